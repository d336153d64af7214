import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one target in this process: builds each iteration's input and runs the parser on it.
///
/// With a crash folder, each input is written to `<folder>/<target>.current` (and its iteration number to
/// `<target>.current-iteration`) before it runs, so when a trap kills the process the input that did it is on disk.
struct FuzzRunner {
    /// When to stop.
    enum Limit: Sendable {
        /// After this many iterations.
        case iterations(Int)
        /// After this many seconds (checked between inputs).
        case seconds(Double)
    }

    /// What one run did.
    struct Outcome: Sendable, Codable {
        /// Iterations completed.
        var iterations: Int
        /// Wall time in seconds.
        var elapsed: Double
        /// The iteration after the last one run.
        var next: Int
    }

    let seed: UInt64
    /// Where the current input is kept; nil in-process (tests).
    let crashFolder: URL?
    /// In a child: the supervisor's process id; the child stops when it is gone (so no child outlives a killed run).
    var supervisor: pid_t? = nil

    /// Runs `target` from iteration `start` until `limit`.
    func run(_ target: FuzzTarget, from start: Int = 0, limit: Limit) async throws(FuzzError) -> Outcome {
        let mutator = FuzzMutator(target: target)
        let current = try crashFolder.map { folder throws(FuzzError) in
            try CurrentInput(folder: folder, target: target.name)
        }
        let clock = ContinuousClock()
        let began = clock.now
        var iteration = start
        while true {
            if case .iterations(let count) = limit, iteration - start >= count { break }
            if case .seconds(let seconds) = limit, clock.now - began >= .seconds(seconds) { break }
            if let supervisor, iteration % 256 == 0, getppid() != supervisor { break }
            var random = FuzzRandom(seed: seed, target: target.name, iteration: iteration)
            let input = mutator.input(iteration: iteration, random: &random)
            current?.record(input, iteration: iteration)
            await target.run(input)
            iteration += 1
            // Parsing is CPU work on a cooperative thread: let other tasks of this process run between inputs (the
            // in-process fuzz tests share two threads with the whole test suite).
            await Task.yield()
        }
        current?.finish()
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Outcome(iterations: iteration - start, elapsed: seconds, next: iteration)
    }

    /// The input being run, kept on disk.
    final class CurrentInput {
        let inputPath: String
        let iterationPath: String
        private let input: Int32
        private let iteration: Int32

        init(folder: URL, target: String) throws(FuzzError) {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw FuzzError("cannot create the crash folder \(folder.path): \(error.localizedDescription)")
            }
            inputPath = Self.inputPath(folder: folder, target: target)
            iterationPath = inputPath + "-iteration"
            input = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            iteration = open(iterationPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard input >= 0, iteration >= 0 else {
                throw FuzzError("cannot write \(inputPath): \(String(cString: strerror(errno)))")
            }
        }

        /// `<folder>/<target>.current`.
        static func inputPath(folder: URL, target: String) -> String {
            folder.appendingPathComponent("\(target).current").path
        }

        func record(_ bytes: [UInt8], iteration number: Int) {
            _ = ftruncate(input, 0)
            _ = bytes.withUnsafeBytes { pwrite(input, $0.baseAddress, $0.count, 0) }
            let text = Array(String(number).utf8)
            _ = ftruncate(iteration, 0)
            _ = text.withUnsafeBytes { pwrite(iteration, $0.baseAddress, $0.count, 0) }
        }

        /// The run ended without a crash: nothing to keep.
        func finish() {
            close(input)
            close(iteration)
            unlink(inputPath)
            unlink(iterationPath)
        }
    }
}

/// A fuzzer usage or setup problem (not a crash of a target).
struct FuzzError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation
import Synchronization

/// Fault injection for the crash campaign (`hwautomation bench crash`): named points in the code — after a BIOS
/// PATCH and before its reset, while a vendor tool runs, while a firmware task runs, inside a store transaction
/// before it commits — where this process SIGKILLs itself with a configured probability, so that a campaign hits
/// the moments random timing rarely does.
///
/// Inert unless the environment variable `HWA_CRASH_POINTS` is set when the process starts
/// (`bios.patched:0.3,firmware.task:0.2,store.commit:0.01,vendor.tool:0.3`): then each `hit` of a named point draws
/// from a generator seeded by `HWA_CRASH_SEED` (a decimal number) and kills the process when the draw falls below
/// the point's probability. Unset, `hit` costs one check of a value computed once. Operators never set it; the
/// crash campaign hands it to the worker processes it starts.
public enum CrashPoint {
    /// The variable naming the points and their probabilities.
    public static let variable = "HWA_CRASH_POINTS"
    /// The variable holding the seed of the draws.
    public static let seedVariable = "HWA_CRASH_SEED"

    /// After a BIOS PATCH was accepted, before the reset that applies it.
    public static let biosPatched = "bios.patched"
    /// While a vendor tool (SUM, iLOrest, racadm) runs.
    public static let vendorTool = "vendor.tool"
    /// After a firmware update was accepted, while its task runs.
    public static let firmwareTask = "firmware.task"
    /// Inside a store write transaction, before it commits.
    public static let storeCommit = "store.commit"
    /// Every point the code has.
    public static let all = [biosPatched, vendorTool, firmwareTask, storeCommit]

    /// The armed points of this process, read once from its environment (nil: inert).
    static let armed: Armed? = {
        let environment = ProcessInfo.processInfo.environment
        guard let text = environment[variable], !text.isEmpty else { return nil }
        do {
            let points = try parse(text)
            let seed = environment[seedVariable].flatMap { UInt64($0) } ?? 0x4352_4153_4821
            return Armed(points: points, seed: seed)
        } catch {
            FileHandle.standardError.write(Data("crash points ignored: \(error)\n".utf8))
            return nil
        }
    }()

    /// SIGKILLs this process with the probability armed for `name`; nothing when unarmed.
    public static func hit(_ name: String) {
        guard let armed else { return }
        armed.hit(name)
    }

    /// Runs `body`; when `name` is armed, a draw for it is made shortly after `body` starts (while it still runs).
    public static func during<T, E: Error>(_ name: String, _ body: () async throws(E) -> T) async throws(E) -> T {
        guard let armed, armed.points[name] != nil else { return try await body() }
        // Cancelled when `body` returns first: a tool that already ended is not killed under.
        async let _: Void = armed.hit(name, after: .milliseconds(20))
        return try await body()
    }

    /// `bios.patched:0.3,store.commit:0.01` as probabilities by point; errors name the entry that is wrong.
    public static func parse(_ text: String) throws(CrashPointError) -> [String: Double] {
        var points: [String: Double] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: ":", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, let probability = Double(parts[1]), (0...1).contains(probability) else {
                throw CrashPointError(
                    message: "`\(entry)` in \(variable) is not NAME:PROBABILITY with a probability from 0 to 1")
            }
            guard all.contains(parts[0]) else {
                throw CrashPointError(
                    message: "`\(parts[0])` in \(variable) is no crash point; known: \(all.joined(separator: ", "))")
            }
            points[parts[0]] = probability
        }
        return points
    }

    /// Points with their probabilities and the seeded generator.
    final class Armed: Sendable {
        let points: [String: Double]
        private let state: Mutex<UInt64>

        init(points: [String: Double], seed: UInt64) {
            self.points = points
            state = Mutex(seed)
        }

        /// A SplitMix64 draw in 0..<1.
        private func draw() -> Double {
            let value = state.withLock { state -> UInt64 in
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            return Double(value >> 11) / Double(1 << 53)
        }

        func hit(_ name: String) {
            guard let probability = points[name], probability > 0, draw() < probability else { return }
            FileHandle.standardError.write(Data("crash point \(name): SIGKILL to process \(getpid())\n".utf8))
            kill(getpid(), SIGKILL)
        }

        func hit(_ name: String, after delay: Duration) async {
            guard (try? await Task.sleep(for: delay)) != nil else { return }
            hit(name)
        }
    }
}

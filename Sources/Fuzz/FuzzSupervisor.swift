import Foundation

/// Runs each target in a child process (this executable with `--child`), so a trap in a parser ends only that
/// child: the supervisor counts the crash, keeps the input as `<target>-<iteration>.bin`, and goes on from the
/// next iteration with what is left of the target's budget.
struct FuzzSupervisor {
    /// At most this many crashes are collected per target before it is given up on.
    static let crashLimit = 20

    let executable: URL
    let root: URL
    let seed: UInt64
    let crashFolder: URL

    /// Runs `target` for `limit` across as many children as crashes require.
    func run(target: String, limit: FuzzRunner.Limit) throws(FuzzError) -> FuzzReport.TargetResult {
        var result = FuzzReport.TargetResult(
            target: target, iterations: 0, crashes: 0, elapsedSeconds: 0, crashFiles: [])
        let began = Date()
        var start = 0
        while result.crashes < Self.crashLimit {
            let remaining: FuzzRunner.Limit
            switch limit {
            case .iterations(let count):
                guard result.iterations < count else { return finish(result, began) }
                remaining = .iterations(count - result.iterations)
            case .seconds(let seconds):
                let left = seconds - Date().timeIntervalSince(began)
                guard left > 0 else { return finish(result, began) }
                remaining = .seconds(left)
            }
            switch try child(target: target, from: start, limit: remaining) {
            case .finished(let outcome):
                result.iterations += outcome.iterations
                return finish(result, began)
            case .crashed(let iteration, let status):
                result.crashes += 1
                result.iterations += iteration - start + 1
                let saved = crashFolder.appendingPathComponent("\(target)-\(iteration).bin")
                let current = FuzzRunner.CurrentInput.inputPath(folder: crashFolder, target: target)
                try? FileManager.default.removeItem(at: saved)
                try? FileManager.default.moveItem(atPath: current, toPath: saved.path)
                try? FileManager.default.removeItem(atPath: current + "-iteration")
                result.crashFiles.append(saved.path)
                FileHandle.standardError.write(
                    Data(
                        "hwa-fuzz: \(target) crashed (\(status)) on iteration \(iteration); input saved as \(saved.path)\n"
                            .utf8))
                start = iteration + 1
            }
        }
        return finish(result, began)
    }

    private func finish(_ result: FuzzReport.TargetResult, _ began: Date) -> FuzzReport.TargetResult {
        var result = result
        result.elapsedSeconds = (Date().timeIntervalSince(began) * 1000).rounded() / 1000
        return result
    }

    private enum ChildEnd {
        case finished(FuzzRunner.Outcome)
        case crashed(iteration: Int, status: String)
    }

    private func child(target: String, from start: Int, limit: FuzzRunner.Limit) throws(FuzzError) -> ChildEnd {
        var arguments = [
            "--child", "--target", target, "--seed", String(seed), "--start", String(start), "--root", root.path,
            "--crash-dir", crashFolder.path,
        ]
        switch limit {
        case .iterations(let count): arguments += ["--iterations", String(count)]
        case .seconds(let seconds): arguments += ["--seconds", String(seconds)]
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw FuzzError("cannot start \(executable.path): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // A child that crashed could not remove its temporary catalog folders (`hwa-fuzz-<pid>-…`).
        let temporary = FileManager.default.temporaryDirectory
        let prefix = "hwa-fuzz-\(process.processIdentifier)-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
        if process.terminationReason == .exit, process.terminationStatus == 0,
            let outcome = try? JSONDecoder().decode(FuzzRunner.Outcome.self, from: data)
        {
            return .finished(outcome)
        }
        let status =
            process.terminationReason == .uncaughtSignal
            ? "signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)"
        let iterationFile = FuzzRunner.CurrentInput.inputPath(folder: crashFolder, target: target) + "-iteration"
        guard let text = try? String(contentsOfFile: iterationFile, encoding: .utf8), let iteration = Int(text) else {
            throw FuzzError(
                "the child for \(target) ended with \(status) before running any input; run it alone: "
                    + "hwa-fuzz --target \(target) --in-process")
        }
        return .crashed(iteration: iteration, status: status)
    }
}

import ArgumentParser
import Foundation

/// `hwa-fuzz`: a seeded, dictionary-driven mutation fuzzer over every parser of outside input.
@main
struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwa-fuzz",
        abstract: "Mutation fuzzing of HWAutomation's parsers (tool output, Redfish, MAAS, catalog YAML, BIOS XML).",
        discussion: """
            Each target runs its parser on mutated seeds; the same --seed gives the same inputs. Every target runs in \
            a child process, so a trap is counted as a crash and its input saved as <crash-dir>/<target>-<n>.bin; \
            replay one with --target <target> --replay <file>. Prints a JSON summary; exits 1 when anything crashed.
            """)

    @Option(help: "A target name (see --list), or all.")
    var target = "all"

    @Option(help: "Iterations per target (default 1000 unless --seconds is given).")
    var iterations: Int?

    @Option(help: "Seconds per target, instead of --iterations.")
    var seconds: Double?

    @Option(help: "The run's seed.")
    var seed: UInt64 = 1

    @Option(help: "Where crashing inputs are saved.")
    var crashDir = "fuzz-crashes"

    @Option(help: "The repository root (seeds come from its Tests and from ../shared/redfish-mockups).")
    var root: String?

    @Flag(help: "List the targets and exit.")
    var list = false

    @Flag(help: "Run in this process (a crash ends the run; the input is left as <crash-dir>/<target>.current).")
    var inProcess = false

    @Option(help: "Run the target once on this file's bytes.")
    var replay: String?

    @Flag(help: .hidden)
    var child = false

    @Option(help: .hidden)
    var start = 0

    mutating func validate() throws {
        if iterations != nil && seconds != nil { throw ValidationError("give --iterations or --seconds, not both") }
        if let iterations, iterations < 0 { throw ValidationError("--iterations must not be negative") }
        if let seconds, !(seconds >= 0 && seconds.isFinite) {
            throw ValidationError("--seconds must be a non-negative number")
        }
        if start < 0 { throw ValidationError("--start must not be negative") }
    }

    func run() async throws {
        let rootURL = try root.map { URL(fileURLWithPath: $0) } ?? Self.locateRoot()
        let limit: FuzzRunner.Limit = seconds.map { .seconds($0) } ?? .iterations(iterations ?? 1000)
        let crashFolder = URL(fileURLWithPath: crashDir)
        let targets = try await FuzzTargets.make(root: rootURL)
        defer { for target in targets { target.cleanup() } }
        if list {
            for target in targets { print("\(target.name)\t\(target.summary) (\(target.seeds.count) seeds)") }
            return
        }
        let chosen = target == "all" ? targets : targets.filter { $0.name == target }
        guard !chosen.isEmpty else {
            throw ValidationError(
                "no target \(target); targets: \(targets.map(\.name).joined(separator: ", ")), or all")
        }
        if let replay {
            guard chosen.count == 1, let data = FileManager.default.contents(atPath: replay) else {
                throw ValidationError("--replay needs one --target and a readable file")
            }
            await chosen[0].run(Array(data))
            print("{\"target\": \"\(chosen[0].name)\", \"replayed\": \"\(replay)\", \"crashed\": false}")
            return
        }
        if child {
            let outcome = try await FuzzRunner(seed: seed, crashFolder: crashFolder, supervisor: getppid()).run(
                chosen[0], from: start, limit: limit)
            print(String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self))
            return
        }
        var results: [FuzzReport.TargetResult] = []
        for target in chosen {
            if inProcess {
                let outcome = try await FuzzRunner(seed: seed, crashFolder: crashFolder).run(target, limit: limit)
                results.append(
                    FuzzReport.TargetResult(
                        target: target.name, iterations: outcome.iterations, crashes: 0,
                        elapsedSeconds: (outcome.elapsed * 1000).rounded() / 1000, crashFiles: []))
            } else {
                let supervisor = FuzzSupervisor(
                    executable: Self.executable, root: rootURL, seed: seed, crashFolder: crashFolder)
                results.append(try supervisor.run(target: target.name, limit: limit))
            }
        }
        let report = FuzzReport(seed: seed, build: FuzzReport.buildConfiguration, targets: results)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
        if report.totalCrashes > 0 { throw ExitCode(1) }
    }

    /// This executable, for the children (on Linux its /proc link, which still runs this binary when a rebuild has
    /// replaced the file meanwhile).
    static var executable: URL {
        if FileManager.default.fileExists(atPath: "/proc/self/exe") { return URL(fileURLWithPath: "/proc/self/exe") }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }

    /// The repository: the current directory or a parent holding Package.swift and Tests, else this source's.
    static func locateRoot() throws -> URL {
        var candidate = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while candidate.path != "/" {
            let manifest = candidate.appendingPathComponent("Package.swift").path
            if FileManager.default.fileExists(atPath: manifest),
                FileManager.default.fileExists(atPath: candidate.appendingPathComponent("Tests/InventoryTests").path)
            {
                return candidate
            }
            candidate.deleteLastPathComponent()
        }
        return FuzzTargets.sourceRoot
    }
}

import ArgumentParser
import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Orchestration
import Redfish

/// `hwautomation bench`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure HWAutomation's own speed; prints JSON.",
        subcommands: [
            BenchClassifyCommand.self, BenchFleetCommand.self, BenchEngineCommand.self, BenchWorkersCommand.self,
            BenchCrashCommand.self, BenchAPICommand.self, BenchBIOSCommand.self,
        ])
}

/// `hwautomation bench classify`.
struct BenchClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify N inventories (one per catalog type, round robin) against the whole catalog.",
        discussion: """
            Build with `swift build -c release` for the figure that counts (target: 100,000 in under 0.5 s). Reports \
            the batch on all jobs (`seconds`) and the same batch on one (`one_job_seconds`).
            """)

    @Option(help: "Inventories to classify.")
    var count = 100_000

    @Option(help: "Classify the batch in this many concurrent jobs (default: the active cores).")
    var jobs: Int?

    @Flag(help: "Print JSON (the default and only format; accepted for symmetry).")
    var json = false

    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let classifier = Classifier(catalog: catalog)
        var inventories: [Inventory] = []
        for (index, type) in catalog.sortedDeviceTypes().enumerated() {
            inventories.append(await ServerModel(deviceType: type, index: index).discoveryBundle().inventory())
        }
        let clock = ContinuousClock()
        // One job: the classifier's own speed. All jobs: the batch as a machine with this many cores classifies it
        // (a fleet's servers are classified concurrently, one workflow each).
        let batch = inventories
        // Each inventory once before the clock starts (a fleet's classifier has seen its CPU brands).
        _ = Self.classify(classifier, batch, range: 0..<batch.count)
        let one = clock.measure { _ = Self.classify(classifier, batch, range: 0..<count) }
        let jobs = max(1, self.jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        var matched = 0
        let all = await clock.measure {
            matched = await withTaskGroup(of: Int.self) { group in
                for job in 0..<jobs {
                    let range = (count * job / jobs)..<(count * (job + 1) / jobs)
                    group.addTask { Self.classify(classifier, batch, range: range) }
                }
                return await group.reduce(0, +)
            }
        }
        let seconds = BenchFigures.seconds(all)
        let oneJob = BenchFigures.seconds(one)
        let report: [String: JSONNumberOrText] = [
            "benchmark": .text("classify"), "build": .text(BenchFigures.build), "inventories": .number(Double(count)),
            "catalog_types": .number(Double(catalog.deviceTypes.count)), "jobs": .number(Double(jobs)),
            "seconds": BenchFigures.round(seconds), "one_job_seconds": BenchFigures.round(oneJob),
            "microseconds_per_classification": BenchFigures.round(oneJob / Double(max(count, 1)) * 1e6, 2),
            "per_second": .number((Double(count) / max(seconds, 1e-9)).rounded()), "matched": .number(Double(matched)),
            "target_seconds": .number(0.5), "target_met": .text(seconds < 0.5 ? "yes" : "no"),
        ]
        print(try Terminal.json(report))
    }

    /// Classifies `inventories` round robin for the indexes in `range`; how many matched a type. The inventories are
    /// read in place (the benchmark does not copy one per classification).
    private static func classify(_ classifier: Classifier, _ inventories: [Inventory], range: Range<Int>) -> Int {
        inventories.withUnsafeBufferPointer { inventories in
            var matched = 0
            for index in range where classifier.classify(inventories[index % inventories.count]).outcome == .matched {
                matched += 1
            }
            return matched
        }
    }
}

/// A JSON scalar for benchmark reports.
enum JSONNumberOrText: Encodable {
    case number(Double)
    case text(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value):
            if value == value.rounded() { try container.encode(Int(value)) } else { try container.encode(value) }
        case .text(let value): try container.encode(value)
        }
    }
}

/// Figures every benchmark reports.
enum BenchFigures {
    /// VmHWM from /proc/self/status, in MB (0 where there is no /proc).
    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return (kilobytes / 1024 * 10).rounded() / 10
    }

    /// This process's peak resident set (`getrusage(RUSAGE_SELF)`'s `ru_maxrss`, KiB on Linux), in MB; its
    /// children are not counted.
    static func maxRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10
    }

    /// User + system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// "debug" or "release".
    static var build: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// `value` rounded to `places` decimals.
    static func round(_ value: Double, _ places: Int = 3) -> JSONNumberOrText {
        let scale = pow(10, Double(places))
        return .number((value * scale).rounded() / scale)
    }
}

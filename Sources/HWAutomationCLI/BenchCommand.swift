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
        discussion: "Build with `swift build -c release` for the figure that counts (target: 100,000 in under 0.5 s).")

    @Option(help: "Inventories to classify.")
    var count = 100_000

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
        var matched = 0
        let elapsed = clock.measure {
            for index in 0..<count where classifier.classify(inventories[index % inventories.count]).outcome == .matched
            {
                matched += 1
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let build = BenchFigures.build
        let report: [String: JSONNumberOrText] = [
            "benchmark": .text("classify"), "build": .text(build), "inventories": .number(Double(count)),
            "catalog_types": .number(Double(catalog.deviceTypes.count)),
            "seconds": .number((seconds * 1000).rounded() / 1000),
            "per_second": .number((Double(count) / max(seconds, 1e-9)).rounded()), "matched": .number(Double(matched)),
            "target_seconds": .number(0.5), "target_met": .text(seconds < 0.5 ? "yes" : "no"),
        ]
        print(try Terminal.json(report))
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

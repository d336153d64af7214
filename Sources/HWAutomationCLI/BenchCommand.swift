import ArgumentParser
import Catalog
import Foundation
import Inventory

/// `hwautomation bench`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure HWAutomation's own speed; prints JSON.",
        subcommands: [BenchClassifyCommand.self])
}

/// `hwautomation bench classify`.
struct BenchClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify N inventories (one per catalog type, round robin) against the whole catalog.",
        discussion: "Build with `swift build -c release` for the figure that counts (target: 100,000 in under 1 s).")

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
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        let report: [String: JSONNumberOrText] = [
            "benchmark": .text("classify"), "build": .text(build), "inventories": .number(Double(count)),
            "catalog_types": .number(Double(catalog.deviceTypes.count)),
            "seconds": .number((seconds * 1000).rounded() / 1000),
            "per_second": .number((Double(count) / max(seconds, 1e-9)).rounded()), "matched": .number(Double(matched)),
            "target_seconds": .number(1), "target_met": .text(seconds < 1 ? "yes" : "no"),
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

import ArgumentParser
import Catalog
import Foundation
import Inventory

/// `hwautomation classify`.
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Say which device type an inventory is, with a confidence, the runner-up and the reasons.",
        discussion: """
            Confidence: high = nothing contradicts the type and CPU, cores and memory match; medium = one \
            contradiction in board, NIC speed or vendor, or thinner evidence; low = only the CPU fits; none = \
            unknown hardware (the nearest types and a proposed catalog entry are printed). Types that fit \
            equally are reported as ambiguous, never picked. What discovery could not read in a compared section \
            (a DIMM, a drive, a network adapter) lowers the confidence one step and is listed.
            """)

    @OptionGroup var input: InventoryInput
    @OptionGroup var catalogOptions: CatalogOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Show every field compared, for the best and the runner-up.")
    var explain = false

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let inventory = try await input.load()
        let result = Classifier(catalog: catalog).classify(inventory)
        if json {
            print(try Terminal.json(result))
            return
        }
        print(Self.text(result, explain: explain))
    }

    static func text(_ result: Classification, explain: Bool) -> String {
        var lines: [String] = []
        switch result.outcome {
        case .matched:
            lines.append("\(result.deviceType!)  (confidence \(result.confidence.rawValue), score \(result.score))")
            if let runnerUp = result.runnerUp, let margin = result.margin {
                lines.append("runner-up: \(runnerUp), \(margin) behind")
            }
        case .ambiguous:
            lines.append("ambiguous: \(result.ambiguousWith.joined(separator: ", ")) fit equally well; none is picked")
            lines.append(
                "(the catalog cannot tell them apart: make their specs differ, or commission with an explicit type)")
        case .unknown:
            lines.append("unknown hardware: no catalog type fits")
            lines.append(
                "nearest: "
                    + result.candidates.prefix(3).map { "\($0.deviceType) (\($0.score))" }.joined(separator: ", "))
        }
        let reasons = explain ? result.reasons : result.reasons.filter { $0.verdict != .matched }
        if !reasons.isEmpty {
            lines.append(explain ? "fields:" : "differences:")
            for reason in reasons { lines.append("  \(reason)") }
        }
        if !result.problems.isEmpty {
            lines.append("confidence lowered: discovery could not read all of the inventory")
            for line in result.problemLines { lines.append("  \(line)") }
        }
        if explain {
            lines.append("candidates:")
            for candidate in result.candidates {
                let mismatches =
                    candidate.mismatches.isEmpty ? "" : "  (differs: \(candidate.mismatches.joined(separator: ", ")))"
                lines.append("  \(candidate.deviceType)  \(candidate.score)\(mismatches)")
            }
        }
        if let proposal = result.proposal {
            lines.append("\nproposed catalog entry (review, then add to vendors/<vendor>.yaml):\n\(proposal)")
        }
        return lines.joined(separator: "\n")
    }
}

/// `hwautomation recommend`.
struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend the workflow and BIOS method for a discovered server, with reasons.")

    @OptionGroup var input: InventoryInput
    @OptionGroup var catalogOptions: CatalogOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let inventory = try await input.load()
        let classification = Classifier(catalog: catalog).classify(inventory)
        let recommendation = WorkflowRecommendation(
            inventory: inventory, classification: classification, catalog: catalog)
        if json {
            print(try Terminal.json(recommendation))
            return
        }
        print("workflow:    \(recommendation.workflow.rawValue)")
        if let type = recommendation.deviceType { print("device type: \(type)") }
        if let method = recommendation.biosMethod { print("bios method: \(method.rawValue)") }
        if !recommendation.vendorTools.isEmpty {
            print("tools:       \(recommendation.vendorTools.joined(separator: ", "))")
        }
        for reason in recommendation.reasons { print("- \(reason)") }
    }
}

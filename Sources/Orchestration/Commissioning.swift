import BIOS
import Catalog
import Foundation
import Inventory
import Logging
import Redfish

/// What commissioning one server over its BMC did.
public struct CommissioningResult: Sendable, Codable {
    /// The BMC.
    public var bmc: String
    /// The type it was classified as.
    public var deviceType: String?
    /// Classification confidence.
    public var confidence: String
    /// BIOS settings changed.
    public var biosChanges: Int
    /// Whether the host was reset.
    public var reset: Bool
    /// Whether every change read back as desired.
    public var verified: Bool
    /// Redfish requests sent.
    public var requests: Int
    /// Wall time.
    public var seconds: Double
    /// Why it stopped, when it did.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case bmc
        case deviceType = "device_type"
        case confidence
        case biosChanges = "bios_changes"
        case reset, verified, requests, seconds, error
    }
}

/// The commissioning steps for one server over Redfish — discover, classify, plan BIOS, apply with one reset,
/// verify — as plain functions. (Not durable by themselves: the workflow engine will run these steps with its
/// persistence and resume rules; the fleet benchmark runs them directly.)
public enum Commissioning {
    /// Runs the steps; a failing step ends the run with its error in the result (nothing is thrown).
    public static func run(
        endpoint: RedfishEndpoint, catalog: Catalog, classifier: Classifier, backups: any BIOSBackupSink,
        firstPoll: Duration = .seconds(2), logger: Logger
    ) async -> CommissioningResult {
        let started = ContinuousClock.now
        var result = CommissioningResult(
            bmc: endpoint.host, deviceType: nil, confidence: "none", biosChanges: 0, reset: false, verified: false,
            requests: 0,
            seconds: 0, error: nil)
        let client: RedfishClient
        do {
            client = try RedfishClient(endpoint: endpoint, logger: logger)
        } catch {
            result.error = "\(error)"
            return result
        }
        defer { result.seconds = seconds(since: started) }
        let inventory = await RedfishDiscovery(client: client).inventory()
        let classification = classifier.classify(inventory)
        result.confidence = classification.confidence.rawValue
        guard classification.outcome == .matched, classification.confidence >= .medium,
            let name = classification.deviceType,
            let type = catalog.deviceType(named: name)
        else {
            result.error =
                classification.outcome == .ambiguous
                ? "ambiguous: \(classification.ambiguousWith.joined(separator: ", "))"
                : "unknown hardware (\(inventory.problems.first.map(\.description) ?? "no catalog type fits"))"
            result.requests = await client.requestCount
            await client.close()
            result.seconds = seconds(since: started)
            return result
        }
        result.deviceType = name
        do {
            let bios = RedfishBIOS(client: client, logger: logger)
            let plan = try await bios.plan(
                try DesiredBIOSState(type: type, catalog: catalog), type: type, catalog: catalog)
            let report = try await bios.apply(plan, backupTo: backups, firstPoll: firstPoll)
            result.biosChanges = plan.redfishChanges.count
            result.reset = report.reset
            result.verified = report.verified.values.allSatisfy { $0 }
        } catch {
            result.error = "\(error)"
        }
        result.requests = await client.requestCount
        await client.close()
        result.seconds = seconds(since: started)
        return result
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

import BIOS
import Catalog
import Firmware
import Foundation
import Inventory
import Redfish
import Store
import WorkflowEngine

/// What `check-drift` found, as its step output (the whole record is in the store's drift history).
public struct DriftStepOutput: Sendable, Hashable, Codable {
    /// The verdict.
    public var state: DriftState
    /// The device type compared with.
    public var deviceType: String?
    /// BIOS settings that differ, as `Attribute: current → desired (fate)`.
    public var settings: [String]
    /// Firmware components behind the policy, as `component: current → target`.
    public var firmware: [String]
    /// Whether firmware was compared.
    public var firmwareChecked: Bool
    /// The stored record's id.
    public var record: Int64?

    enum CodingKeys: String, CodingKey {
        case state
        case deviceType = "device_type"
        case settings, firmware
        case firmwareChecked = "firmware_checked"
        case record
    }
}

/// The drift check: reads a commissioned server's BMC (read-only: system, Bios, its settings object, the firmware
/// inventory when a repository is configured) and compares it with its device type's desired state through the
/// same planners the provisioning runs use, so a setting's fate is the one an apply would meet.
struct DriftSteps: Sendable {
    let services: CommissioningServices

    /// The check's retries (its last attempt records an unreachable BMC).
    static let retry = RetryPolicy()

    func check(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        let record = try await StepError.storing { try await services.store.server(id: context.serverID) }
        guard let typeName = input.deviceType ?? record?.deviceType else {
            let stored = try await save(
                DriftRecord(
                    serverID: context.serverID, deviceType: nil, state: .untyped,
                    error: "no device type is recorded for \(context.serverID): commission or provision it first",
                    workflowID: context.workflowID))
            return .skipped(reason: stored.error ?? "")
        }
        guard let type = services.catalog.deviceType(named: typeName) else {
            throw StepError("device type \(typeName) of \(context.serverID) is not in the catalog")
        }
        let client: RedfishClient
        let plan: BIOSPlan
        do {
            client = try await services.client(context)
            let bios = await services.clients.bios(
                for: context.workflowID, client: client, registries: services.registries, logger: context.logger)
            try await bios.discover(system: input.system)
            plan = try await bios.plan(try services.desired(type), type: type, catalog: services.catalog)
        } catch {
            let failure = StepError.from(error)
            // A transient failure is tried again by the engine; at the last attempt, or when trying again cannot
            // help (a refused credential, a missing system), the server is recorded as unreachable, with why.
            if !((failure as? StepError)?.isTransient ?? false) || context.attempt >= Self.retry.maxAttempts {
                try await save(
                    DriftRecord(
                        serverID: context.serverID, deviceType: type.name, state: .unreachable, error: "\(error)",
                        workflowID: context.workflowID))
            }
            throw failure
        }
        var drift = DriftRecord(
            serverID: context.serverID, deviceType: type.name, state: .inSync,
            settings: Self.settings(plan), workflowID: context.workflowID)
        if let firmware = services.firmware {
            do {
                // Without images there is nothing to be behind: firmware stays "not compared", never "in sync".
                let images = try firmware.library.images().filter { $0.vendor == type.vendor }
                guard !images.isEmpty else {
                    throw FirmwareError(
                        .repository, "the firmware repository has no \(type.vendor) image (`hwautomation firmware add`)"
                    )
                }
                let inventory = try await client.firmwareInventory(system: input.system)
                let policy = input.firmwarePolicy ?? firmware.defaultPolicy
                let firmwarePlan = try FirmwarePlanner(catalog: services.catalog, images: images)
                    .plan(
                        server: context.serverID,
                        target: FirmwareTarget(
                            vendor: type.vendor, deviceType: type.name, board: Self.board(record), model: nil),
                        inventory: inventory, policyName: policy)
                drift.firmware = firmwarePlan.items.filter { $0.decision == .install || $0.decision == .approval }
                    .map {
                        DriftFirmware(
                            component: $0.component.rawValue, current: $0.current, target: $0.target?.version,
                            decision: $0.decision.rawValue, reason: $0.reason)
                    }
                drift.firmwareChecked = true
                drift.firmwarePolicy = firmwarePlan.policy
            } catch {
                drift.error = "firmware not compared: \(error)"
            }
        }
        drift.state = drift.biosDrift + drift.firmwareDrift > 0 ? .drifted : .inSync
        let stored = try await save(drift)
        let output = DriftStepOutput(
            state: stored.state, deviceType: stored.deviceType,
            settings: stored.settings.filter(\.drifted).map {
                "\($0.attribute ?? $0.setting): \($0.current ?? "?") → \($0.desired ?? "?") (\($0.fate))"
            },
            firmware: stored.firmware.map { "\($0.component): \($0.current ?? "?") → \($0.target ?? "?")" },
            firmwareChecked: stored.firmwareChecked, record: stored.id)
        await context.report(
            stored.state == .inSync
                ? "in sync with \(type.name)"
                : "\(stored.biosDrift) BIOS setting(s) and \(stored.firmwareDrift) firmware component(s) differ")
        return .done(output: StepContext.json(output))
    }

    /// The plan's settings a drift record keeps: those that differ and those no apply can carry out.
    static func settings(_ plan: BIOSPlan) -> [DriftSetting] {
        plan.items.compactMap { item in
            switch item.fate {
            case .alreadySet, .preserved: return nil
            case .change, .pending, .vendorTool, .unresolved, .invalid, .readOnly:
                return DriftSetting(
                    setting: item.setting, attribute: item.attribute, current: item.current?.string,
                    desired: item.desired?.string, fate: item.fate.name, reason: item.reason)
            }
        }
    }

    /// The board its recorded inventory names (firmware images may be per board).
    static func board(_ record: ServerRecord?) -> String? {
        guard let text = record?.inventory else { return nil }
        return (try? JSONDecoder().decode(Inventory.self, from: Data(text.utf8)))?.baseboard.product
    }

    @discardableResult
    func save(_ record: DriftRecord) async throws -> DriftRecord {
        try await StepError.storing { try await services.store.recordDrift(record) }
    }
}

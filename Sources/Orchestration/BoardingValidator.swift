import BIOS
import Catalog
import Firmware
import Foundation
import Inventory
import Redfish

/// Judges what a BMC shows (`BoardingFacts`, the BIOS plan, IPMI, the firmware plan) against a device type: the
/// checks of boarding validation. Pure: it reads nothing itself, so every verdict is testable from recorded facts.
public struct BoardingValidator: Sendable {
    /// What the IPMI check found.
    public enum IPMIReach: Sendable, Hashable {
        /// The run has no IPMI address.
        case notConfigured
        /// `mc info` answered with this firmware revision.
        case answered(firmware: String?)
        /// It did not answer, with why.
        case failed(String)
    }

    /// What the firmware check compares.
    public enum FirmwareFacts: Sendable, Hashable {
        /// The plan under the policy from the running versions.
        case plan(FirmwarePlan)
        /// Not compared, with why (no repository, no image for the vendor).
        case notCompared(String)
    }

    /// Why something could not be read (the BIOS plan).
    public struct Unread: Error, Sendable, Hashable {
        /// The reason.
        public var why: String

        /// Creates a reason.
        public init(why: String) { self.why = why }
    }

    /// The device type judged against.
    public var type: DeviceType
    /// Log entries before this are not judged; nil: all are.
    public var since: Date?

    /// A validator for `type`.
    public init(type: DeviceType, since: Date?) {
        self.type = type
        self.since = since
    }

    /// Every check, in `BoardingCheck.Name` order.
    public func checks(
        facts: BoardingFacts, bios: Result<BIOSPlan, Unread>, redfish: String, ipmi: IPMIReach,
        firmware: FirmwareFacts
    ) -> [BoardingCheck] {
        [
            bootMode(bios), secureBoot(facts, bios), BoardingCheck(.bmcRedfish, .passed, redfish), ipmiCheck(ipmi),
            sensors(facts), eventLog(facts), links(facts), drives(facts), firmwareCheck(firmware),
        ]
    }

    // MARK: BIOS

    /// The BIOS plan's `BootMode`: as desired, or what it is instead.
    func bootMode(_ bios: Result<BIOSPlan, Unread>) -> BoardingCheck {
        let plan: BIOSPlan
        switch bios {
        case .success(let read): plan = read
        case .failure(let unread): return BoardingCheck(.bootMode, .notChecked, unread.why)
        }
        guard let item = plan.items.first(where: { $0.setting == "BootMode" }), let desired = item.desired else {
            return BoardingCheck(.bootMode, .notChecked, "\(type.name) sets no boot mode")
        }
        let wanted = desired.string ?? "\(desired)"
        switch item.status {
        case .alreadySet:
            return BoardingCheck(.bootMode, .passed, "\(item.attribute ?? item.setting) is \(wanted)")
        case .unresolved, .readOnly, .invalid, .preserved, .vendorTool:
            return BoardingCheck(
                .bootMode, .notChecked,
                "\(type.name) wants \(wanted), which this BMC's BIOS does not show as a value to compare "
                    + "(\(item.status.rawValue))")
        case .change, .pending:
            return BoardingCheck(
                .bootMode, .failed,
                "\(item.attribute ?? item.setting) is \(item.current?.string ?? "unknown"), \(type.name) wants "
                    + wanted + (item.status == .pending ? " (pending a reset)" : ""))
        }
    }

    /// Secure Boot from the system's `SecureBoot` resource (the BIOS attribute when the BMC has none), against the
    /// type's desired `SecureBoot` setting.
    func secureBoot(_ facts: BoardingFacts, _ bios: Result<BIOSPlan, Unread>) -> BoardingCheck {
        let item = (try? bios.get())?.items.first { $0.setting == "SecureBoot" }
        let state = facts.secureBoot?.enabled.map { $0 ? "enabled" : "disabled" }
        guard let item, let desired = item.desired else {
            return BoardingCheck(
                .secureBoot, .notChecked,
                "\(type.name) does not set Secure Boot" + (state.map { "; the BMC says it is \($0)" } ?? ""))
        }
        let wanted = Self.enabled(desired)
        if let enabled = facts.secureBoot?.enabled, let wanted {
            let current = facts.secureBoot?.currentBoot.map { ", current boot: \($0)" } ?? ""
            return enabled == wanted
                ? BoardingCheck(.secureBoot, .passed, "Secure Boot \(state ?? "?") as wanted\(current)")
                : BoardingCheck(
                    .secureBoot, .failed,
                    "Secure Boot is \(state ?? "?"), \(type.name) wants it \(wanted ? "enabled" : "disabled")\(current)"
                )
        }
        switch item.status {
        case .alreadySet:
            return BoardingCheck(
                .secureBoot, .passed, "\(item.attribute ?? item.setting) is \(desired.string ?? "\(desired)")")
        case .change, .pending:
            return BoardingCheck(
                .secureBoot, .failed,
                "\(item.attribute ?? item.setting) is \(item.current?.string ?? "unknown"), \(type.name) wants "
                    + (desired.string ?? "\(desired)"))
        default:
            return BoardingCheck(
                .secureBoot, .notChecked, "the BMC shows no SecureBoot resource and no BIOS value to compare")
        }
    }

    /// `Enabled`/`true`/`on` → true, `Disabled`/`false`/`off` → false.
    static func enabled(_ value: JSONValue) -> Bool? {
        if let bool = value.bool { return bool }
        switch value.string?.lowercased() {
        case "enabled", "enable", "true", "on", "yes": return true
        case "disabled", "disable", "false", "off", "no": return false
        default: return nil
        }
    }

    // MARK: BMC

    func ipmiCheck(_ reach: IPMIReach) -> BoardingCheck {
        switch reach {
        case .notConfigured:
            BoardingCheck(.bmcIPMI, .notChecked, "no IPMI address for this server (input ipmi_host)")
        case .answered(let firmware):
            BoardingCheck(.bmcIPMI, .passed, "mc info answered (firmware \(firmware ?? "?"))")
        case .failed(let why):
            BoardingCheck(.bmcIPMI, .failed, why)
        }
    }

    // MARK: Firmware

    func firmwareCheck(_ facts: FirmwareFacts) -> BoardingCheck {
        switch facts {
        case .notCompared(let why):
            return BoardingCheck(.firmware, .notChecked, why)
        case .plan(let plan):
            let behind = plan.updates.map { "\($0.component.rawValue) \($0.current ?? "?") < \($0.available ?? "?")" }
            return behind.isEmpty
                ? BoardingCheck(.firmware, .passed, "at policy \(plan.policy)'s versions")
                : BoardingCheck(
                    .firmware, .failed, behind.joined(separator: ", ") + " (policy \(plan.policy))")
        }
    }

    /// Reads that failed under `marker` (a path segment: `Sensors`, `LogServices`), for a check's detail.
    static func unread(_ facts: BoardingFacts, _ markers: [String]) -> [String] {
        facts.unread.filter { line in markers.contains { line.contains($0) } }
    }
}

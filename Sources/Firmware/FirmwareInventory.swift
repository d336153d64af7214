import Foundation

/// The firmware a server runs, per component, and where the versions were read.
public struct FirmwareInventory: Sendable, Hashable, Codable {
    /// One installed firmware.
    public struct Item: Sendable, Hashable, Codable {
        /// Its id at the source (`BMC`, `BIOS`, `CPLD`).
        public var id: String
        /// Its name.
        public var name: String
        /// The component it is.
        public var component: FirmwareComponent
        /// The version as the BMC reports it.
        public var version: String
        /// Whether the BMC says it can be updated.
        public var updateable: Bool?
        /// `Enabled` for running firmware; `StandbyOffline`/`StandbySpare` for staged images.
        public var state: String?
        /// The BMC's health for it (`OK`, `Critical`).
        public var health: String?

        /// Creates an item.
        public init(
            id: String, name: String, component: FirmwareComponent, version: String, updateable: Bool? = nil,
            state: String? = nil, health: String? = nil
        ) {
            self.id = id
            self.name = name
            self.component = component
            self.version = version
            self.updateable = updateable
            self.state = state
            self.health = health
        }

        /// Running (not a staged or spare image).
        public var isActive: Bool { state == nil || state == "Enabled" }
    }

    /// What was read.
    public var items: [Item]
    /// Where: `redfish` (FirmwareInventory), `redfish-summary` (BiosVersion and the manager's FirmwareVersion),
    /// `ipmi` (`mc info` and dmidecode).
    public var source: String

    /// Creates an inventory.
    public init(items: [Item], source: String) {
        self.items = items
        self.source = source
    }

    /// The running version of `component` (the first active item of it).
    public func version(of component: FirmwareComponent) -> String? {
        items.first { $0.component == component && $0.isActive }?.version
    }

    /// The inventory from the versions a discovery found (BIOS from dmidecode/BiosVersion, BMC from `mc info`).
    public static func from(biosVersion: String?, bmcVersion: String?, source: String) -> FirmwareInventory {
        var items: [Item] = []
        if let bmcVersion { items.append(Item(id: "BMC", name: "BMC firmware", component: .bmc, version: bmcVersion)) }
        if let biosVersion {
            items.append(Item(id: "BIOS", name: "System BIOS", component: .bios, version: biosVersion))
        }
        return FirmwareInventory(items: items, source: source)
    }

    /// Which component a FirmwareInventory member is, from its id, name and related item.
    static func component(id: String, name: String, related: [String]) -> FirmwareComponent {
        let words = (id + " " + name).lowercased()
        if related.contains(where: { $0.contains("/Managers/") }) || words.contains("bmc") || words.contains("ilo")
            || words.contains("idrac") || words.contains("manager")
        {
            return .bmc
        }
        if related.contains(where: { $0.contains("/Systems/") }) || words.contains("bios") || words.contains("uefi")
            || words.contains("system rom")
        {
            return .bios
        }
        return .other
    }
}

/// A part of an inventory: what a discovery problem leaves incomplete, and what `discover` checks is present.
public enum InventorySection: String, Sendable, Hashable, Codable, CaseIterable {
    /// System identity (manufacturer, product, serial).
    case system
    /// The motherboard.
    case board
    /// Processors.
    case cpu
    /// Memory.
    case memory
    /// Data drives.
    case storage
    /// The host's network ports.
    case nics
    /// The BMC's own settings.
    case bmc

    /// The sections the classifier compares: a problem in one of them lowers a classification's confidence.
    public static let classified: Set<InventorySection> = [.board, .cpu, .memory, .storage, .nics]

    /// The sections the classifier cannot do without: an inventory missing one is an incomplete discovery.
    public static let required: [InventorySection] = [.cpu, .memory, .storage, .nics]

    /// The section a tool output of a discovery bundle fills (nil: it only adds to others).
    public init?(_ file: DiscoveryBundle.File) {
        switch file {
        case .dmidecode: self = .board
        case .lscpuJSON, .lscpuText: self = .cpu
        case .free: self = .memory
        case .lsblk: self = .storage
        case .ipAddr, .netSpeed: self = .nics
        case .ipmitoolLan: self = .bmc
        case .lshw: return nil
        }
    }
}

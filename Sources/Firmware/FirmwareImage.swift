import Foundation

/// A firmware component of a server.
public enum FirmwareComponent: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The BMC (iLO, iDRAC, Supermicro BMC): updated without a host reset.
    case bmc
    /// The system BIOS/UEFI: takes effect at the next host reset.
    case bios
    /// Anything else the BMC lists (CPLD, NIC, drive, power supply firmware).
    case other

    /// The order updates run in: BMC, then BIOS, then the rest.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .bmc: 0
        case .bios: 1
        case .other: 2
        }
    }

    /// Whether the host must reset for the component's new firmware to run.
    public var needsHostReset: Bool { self == .bios }
}

/// How urgent a firmware release is, as the vendor rates it.
public enum FirmwarePriority: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fixes a critical problem or vulnerability.
    case critical
    /// Recommended soon.
    case high
    /// Routine.
    case normal
    /// Optional.
    case low
}

/// One image in the firmware repository: what it is, what it fits, and its checksum.
public struct FirmwareImage: Sendable, Hashable, Codable {
    /// Path relative to the repository (`supermicro/bios/X11SPL_3.5.rom`).
    public var file: String
    /// Vendor identifier (`supermicro`, `hpe`, `dell`).
    public var vendor: String
    /// The component it flashes.
    public var component: FirmwareComponent
    /// Its version, as the vendor writes it.
    public var version: String
    /// Device types it fits (empty: not restricted by type).
    public var deviceTypes: [String]
    /// Boards it fits (empty: not restricted by board).
    public var boards: [String]
    /// Server models it fits (empty: not restricted by model).
    public var models: [String]
    /// Release date, `YYYY-MM-DD`.
    public var releaseDate: String?
    /// The vendor's rating.
    public var priority: FirmwarePriority
    /// Whether it fixes a security problem.
    public var security: Bool
    /// SHA-256 of the file, lower-case hex.
    public var sha256: String
    /// Size in bytes.
    public var size: Int
    /// Release notes.
    public var notes: String?

    /// Creates an image record.
    public init(
        file: String, vendor: String, component: FirmwareComponent, version: String, deviceTypes: [String] = [],
        boards: [String] = [], models: [String] = [], releaseDate: String? = nil, priority: FirmwarePriority = .normal,
        security: Bool = false, sha256: String, size: Int, notes: String? = nil
    ) {
        self.file = file
        self.vendor = vendor
        self.component = component
        self.version = version
        self.deviceTypes = deviceTypes
        self.boards = boards
        self.models = models
        self.releaseDate = releaseDate
        self.priority = priority
        self.security = security
        self.sha256 = sha256
        self.size = size
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case file, vendor, component, version, boards, models, priority, security, sha256, size, notes
        case deviceTypes = "device_types"
        case releaseDate = "release_date"
    }

    /// Decodes; absent lists are empty, priority normal, security false.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        vendor = try container.decode(String.self, forKey: .vendor)
        component = try container.decode(FirmwareComponent.self, forKey: .component)
        version = try container.decode(String.self, forKey: .version)
        deviceTypes = try container.decodeIfPresent([String].self, forKey: .deviceTypes) ?? []
        boards = try container.decodeIfPresent([String].self, forKey: .boards) ?? []
        models = try container.decodeIfPresent([String].self, forKey: .models) ?? []
        releaseDate = try container.decodeIfPresent(String.self, forKey: .releaseDate)
        priority = try container.decodeIfPresent(FirmwarePriority.self, forKey: .priority) ?? .normal
        security = try container.decodeIfPresent(Bool.self, forKey: .security) ?? false
        sha256 = try container.decode(String.self, forKey: .sha256)
        size = try container.decode(Int.self, forKey: .size)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
    }

    /// The parsed version.
    public var parsedVersion: FirmwareVersion { FirmwareVersion(version) }

    /// Whether the image fits a server of this vendor, device type, board and model (restrictions it does not
    /// state do not exclude).
    public func fits(vendor: String, deviceType: String?, board: String?, model: String?) -> Bool {
        guard self.vendor.lowercased() == vendor.lowercased() else { return false }
        if !deviceTypes.isEmpty, !deviceTypes.contains(where: { $0 == deviceType }) { return false }
        if !boards.isEmpty, !boards.contains(where: { $0.lowercased() == board?.lowercased() }) { return false }
        if !models.isEmpty, !models.contains(where: { $0.lowercased() == model?.lowercased() }) { return false }
        return true
    }
}

/// The repository's manifest file (`manifest.yaml`): our schema.
struct FirmwareManifest: Codable {
    /// Schema version.
    var schema: Int
    /// The images, in the order they were added.
    var images: [FirmwareImage]
}

import Foundation

/// The hardware a device type is made of: what the classifier compares an inventory against.
public struct HardwareSpec: Sendable, Hashable, Codable {
    /// The processors.
    public var cpu: CPUSpec
    /// Installed memory in GiB, when the catalog says.
    public var memoryGiB: Int?
    /// Drives, grouped; `nil` when the catalog does not say.
    public var storage: [DriveGroup]?
    /// Network ports, grouped; `nil` when the catalog does not say.
    public var network: [NICGroup]?

    /// Creates a spec.
    public init(cpu: CPUSpec, memoryGiB: Int?, storage: [DriveGroup]?, network: [NICGroup]?) {
        self.cpu = cpu
        self.memoryGiB = memoryGiB
        self.storage = storage
        self.network = network
    }

    enum CodingKeys: String, CodingKey {
        case cpu
        case memoryGiB = "memory_gib"
        case storage, network
    }
}

/// Processors of a device type.
public struct CPUSpec: Sendable, Hashable, Codable {
    /// The model without the socket count, e.g. `Xeon Silver 4210R`, `Intel Xeon E-2388G`.
    public var model: String?
    /// Populated sockets.
    public var sockets: Int
    /// Total physical cores over all sockets (`Dual Xeon Silver 4210R` = 2 × 10 = 20).
    public var cores: Int?
    /// Base frequency in GHz, when known.
    public var frequencyGHz: Double?

    /// Creates a CPU spec.
    public init(model: String?, sockets: Int, cores: Int?, frequencyGHz: Double?) {
        self.model = model
        self.sockets = sockets
        self.cores = cores
        self.frequencyGHz = frequencyGHz
    }

    /// Reads a legacy `cpu_name`: a leading `Dual`/`Quad` is the socket count.
    public init(legacyName: String?, cores: Int?, frequencyGHz: Double?) {
        var model = legacyName?.trimmingCharacters(in: .whitespaces)
        var sockets = 1
        if let name = model {
            for (word, count) in [("Dual ", 2), ("Quad ", 4)] where name.lowercased().hasPrefix(word.lowercased()) {
                sockets = count
                model = String(name.dropFirst(word.count))
            }
        }
        self.init(model: model, sockets: sockets, cores: cores, frequencyGHz: frequencyGHz)
    }

    /// The legacy form: `Dual Xeon Silver 4210R`.
    public var legacyName: String? {
        guard let model else { return nil }
        switch sockets {
        case 2: return "Dual \(model)"
        case 4: return "Quad \(model)"
        default: return model
        }
    }

    enum CodingKeys: String, CodingKey {
        case model, sockets, cores
        case frequencyGHz = "frequency_ghz"
    }
}

/// Identical drives: `count × size kind`.
public struct DriveGroup: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What sort of device.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// NVMe flash.
        case nvme
        /// SATA/SAS flash.
        case ssd
        /// Spinning disk.
        case hdd
        /// Intel Optane DC persistent memory (DCPMM) counted as storage by the catalog.
        case persistentMemory = "pmem"
    }

    /// Number of drives.
    public var count: Int
    /// Size of one drive in decimal GB (vendor sizes: 1 TB = 1000 GB).
    public var sizeGB: Double
    /// Device kind.
    public var kind: Kind
    /// What the drives are for, when the catalog says (`boot drive`).
    public var role: String?

    /// Creates a group.
    public init(count: Int, sizeGB: Double, kind: Kind, role: String? = nil) {
        self.count = count
        self.sizeGB = sizeGB
        self.kind = kind
        self.role = role
    }

    /// `2x 1TB NVMe`.
    public var description: String {
        let size = sizeGB >= 1000 ? "\(Self.trim(sizeGB / 1000))TB" : "\(Self.trim(sizeGB))GB"
        let kindName: String
        switch kind {
        case .nvme: kindName = "NVMe"
        case .ssd: kindName = "SSD"
        case .hdd: kindName = "HDD"
        case .persistentMemory: kindName = "DCPMM"
        }
        return "\(count)x \(size) \(kindName)" + (role.map { " (\($0))" } ?? "")
    }

    /// A number without a trailing `.0` (`2`, `15.36`); numbers no `Int` holds as Swift writes them (`1e+300`).
    public static func trim(_ value: Double) -> String {
        Int(exactly: value).map(String.init) ?? String(value)
    }

    enum CodingKeys: String, CodingKey {
        case count
        case sizeGB = "size_gb"
        case kind, role
    }
}

/// Identical network ports: `count × speed`.
public struct NICGroup: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Number of ports.
    public var count: Int
    /// Speed of one port in Gbit/s.
    public var speedGbps: Double

    /// Creates a group.
    public init(count: Int, speedGbps: Double) {
        self.count = count
        self.speedGbps = speedGbps
    }

    /// `2x 25Gbps`.
    public var description: String { "\(count)x \(DriveGroup.trim(speedGbps))Gbps" }

    enum CodingKeys: String, CodingKey {
        case count
        case speedGbps = "speed_gbps"
    }
}

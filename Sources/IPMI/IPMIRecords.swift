import Foundation
import Inventory

/// `ipmitool mc info`.
public struct MCInfo: Sendable, Hashable, Codable {
    /// IANA enterprise number of the maker.
    public var manufacturerID: Int?
    /// Maker's name as the BMC reports it.
    public var manufacturerName: String?
    /// BMC firmware revision.
    public var firmwareRevision: String?
    /// IPMI version.
    public var ipmiVersion: String?
    /// Product ID.
    public var productID: String?

    /// The catalog vendor for the manufacturer ID: Supermicro 10876, HPE 11 and 47196, Dell 674.
    public var vendor: String? {
        switch manufacturerID {
        case 10876: return "supermicro"
        case 11, 47196: return "hpe"
        case 674: return "dell"
        default: return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case manufacturerID = "manufacturer_id"
        case manufacturerName = "manufacturer_name"
        case firmwareRevision = "firmware_revision"
        case ipmiVersion = "ipmi_version"
        case productID = "product_id"
        case vendor
    }

    /// Encodes, including the derived vendor.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(manufacturerID, forKey: .manufacturerID)
        try container.encodeIfPresent(manufacturerName, forKey: .manufacturerName)
        try container.encodeIfPresent(firmwareRevision, forKey: .firmwareRevision)
        try container.encodeIfPresent(ipmiVersion, forKey: .ipmiVersion)
        try container.encodeIfPresent(productID, forKey: .productID)
        try container.encodeIfPresent(vendor, forKey: .vendor)
    }

    /// Decodes (the vendor is derived again).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        manufacturerID = try container.decodeIfPresent(Int.self, forKey: .manufacturerID)
        manufacturerName = try container.decodeIfPresent(String.self, forKey: .manufacturerName)
        firmwareRevision = try container.decodeIfPresent(String.self, forKey: .firmwareRevision)
        ipmiVersion = try container.decodeIfPresent(String.self, forKey: .ipmiVersion)
        productID = try container.decodeIfPresent(String.self, forKey: .productID)
    }

    /// Reads `mc info` output; nil when it has neither a `Manufacturer ID` nor a `Firmware Revision` line.
    public static func parse(_ text: String) -> MCInfo? {
        let fields = KeyValueLines.fields(text)
        guard fields["Manufacturer ID"] != nil || fields["Firmware Revision"] != nil else { return nil }
        return MCInfo(fields: fields)
    }

    init(fields: [String: String]) {
        manufacturerID = fields["Manufacturer ID"].flatMap { Int($0.split(separator: " ").first ?? "") }
        manufacturerName = fields["Manufacturer Name"]
        firmwareRevision = fields["Firmware Revision"]
        ipmiVersion = fields["IPMI Version"]
        productID = fields["Product ID"]
    }
}

/// A user slot of `ipmitool user list`.
public struct IPMIUser: Sendable, Hashable, Codable {
    /// Slot.
    public var id: Int
    /// Name (empty for an unused slot).
    public var name: String
    /// Whether IPMI messaging is enabled for it.
    public var ipmiMessaging: Bool
    /// Privilege on the channel (`ADMINISTRATOR`, `USER`, `NO ACCESS`, ...).
    public var privilege: String

    enum CodingKeys: String, CodingKey {
        case id, name
        case ipmiMessaging = "ipmi_messaging"
        case privilege
    }

    /// Reads `user list` (fixed columns: ID, Name, Callin, Link Auth, IPMI Msg, Channel Priv Limit).
    public static func parse(_ text: String) -> [IPMIUser] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let id = words.first.flatMap(Int.init), words.count >= 5 else { return nil }
            // Name may be empty or contain spaces; the last four columns are fixed words.
            let booleans = words.indices.filter { ["true", "false"].contains(words[$0]) }
            guard booleans.count >= 3 else { return nil }
            let name = words[1..<booleans[0]].joined(separator: " ")
            let privilege = words[(booleans[2] + 1)...].joined(separator: " ")
            return IPMIUser(id: id, name: name, ipmiMessaging: words[booleans[2]] == "true", privilege: privilege)
        }
    }
}

/// One threshold sensor of `ipmitool sensor`, with its thresholds in their real order.
public struct SensorReading: Sendable, Hashable, Codable {
    /// Thresholds: lower non-recoverable, lower critical, lower non-critical, upper non-critical, upper critical,
    /// upper non-recoverable.
    public struct Thresholds: Sendable, Hashable, Codable {
        /// Lower non-recoverable.
        public var lnr: Double?
        /// Lower critical.
        public var lcr: Double?
        /// Lower non-critical.
        public var lnc: Double?
        /// Upper non-critical.
        public var unc: Double?
        /// Upper critical.
        public var ucr: Double?
        /// Upper non-recoverable.
        public var unr: Double?
    }

    /// Sensor name.
    public var name: String
    /// Reading, when there is one.
    public var value: Double?
    /// Unit (`degrees C`).
    public var unit: String
    /// Status as ipmitool prints it (`ok`, `cr`, `nc`, `nr`, `na`).
    public var status: String
    /// Thresholds.
    public var thresholds: Thresholds

    /// The threshold the reading crosses, most severe first (`upper critical`), or nil.
    public var breach: String? {
        guard let value else { return nil }
        let checks: [(Double?, (Double, Double) -> Bool, String)] = [
            (thresholds.unr, { $0 >= $1 }, "upper non-recoverable"),
            (thresholds.lnr, { $0 <= $1 }, "lower non-recoverable"),
            (thresholds.ucr, { $0 >= $1 }, "upper critical"), (thresholds.lcr, { $0 <= $1 }, "lower critical"),
            (thresholds.unc, { $0 >= $1 }, "upper non-critical"), (thresholds.lnc, { $0 <= $1 }, "lower non-critical"),
        ]
        return checks.first { limit, crosses, _ in limit.map { crosses(value, $0) } ?? false }?.2
    }

    /// Reads `ipmitool sensor`: `name | value | unit | status | lnr | lcr | lnc | unc | ucr | unr`.
    public static func parse(_ text: String) -> [SensorReading] {
        text.split(separator: "\n").compactMap { line in
            let columns = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard columns.count >= 10, !columns[0].isEmpty else { return nil }
            let number = { (text: String) in Double(text) }
            return SensorReading(
                name: columns[0], value: number(columns[1]), unit: columns[2], status: columns[3],
                thresholds: Thresholds(
                    lnr: number(columns[4]), lcr: number(columns[5]), lnc: number(columns[6]), unc: number(columns[7]),
                    ucr: number(columns[8]), unr: number(columns[9])))
        }
    }
}

/// One line of `ipmitool sdr elist`.
public struct SDREntry: Sendable, Hashable, Codable {
    /// Sensor name.
    public var name: String
    /// Sensor number (`01h`).
    public var number: String
    /// Status (`ok`, `ns`).
    public var status: String
    /// Entity (`7.1`).
    public var entity: String
    /// Reading as printed (`28 degrees C`, `Device Present`).
    public var reading: String

    /// Reads `sdr elist`: `name | number | status | entity | reading`.
    public static func parse(_ text: String) -> [SDREntry] {
        text.split(separator: "\n").compactMap { line in
            let columns = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard columns.count >= 5 else { return nil }
            return SDREntry(
                name: columns[0], number: columns[1], status: columns[2], entity: columns[3], reading: columns[4])
        }
    }
}

/// One System Event Log entry (`ipmitool sel elist`).
public struct SELEntry: Sendable, Hashable, Codable {
    /// Record id.
    public var id: String
    /// Date and time as printed.
    public var timestamp: String
    /// The sensor.
    public var sensor: String
    /// What happened (`Upper Critical going high`).
    public var event: String
    /// `Asserted` or `Deasserted`.
    public var direction: String

    /// Reads `sel elist`: `id | date | time | sensor | event | direction`.
    public static func parse(_ text: String) -> [SELEntry] {
        text.split(separator: "\n").compactMap { line in
            let columns = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard columns.count >= 5 else { return nil }
            let direction = columns.count >= 6 ? columns[5] : ""
            return SELEntry(
                id: columns[0], timestamp: "\(columns[1]) \(columns[2])", sensor: columns[3], event: columns[4],
                direction: direction)
        }
    }
}

/// `ipmitool fru print`: the inventory area fields the BMC keeps (board, product, chassis).
public struct FRUInfo: Sendable, Hashable, Codable {
    /// Every `Key : Value` field, as printed (`Board Mfg`, `Product Serial`, ...).
    public var fields: [String: String]

    /// Board maker.
    public var boardManufacturer: String? { fields["Board Mfg"] }
    /// Board product.
    public var boardProduct: String? { fields["Board Product"] }
    /// Board serial.
    public var boardSerial: String? { fields["Board Serial"] }
    /// Product name.
    public var productName: String? { fields["Product Name"] }
    /// Product serial.
    public var productSerial: String? { fields["Product Serial"] }
    /// Chassis serial.
    public var chassisSerial: String? { fields["Chassis Serial"] }

    /// Reads `fru print` output.
    public static func parse(_ text: String) -> FRUInfo {
        FRUInfo(fields: KeyValueLines.fields(text))
    }
}

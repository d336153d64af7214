import Catalog
import Crypto
import Foundation

/// What makes two servers the same build, hashed: vendor, board, CPU model, sockets, physical cores, installed memory,
/// data drives by kind and marketing size, and data ports by speed, as the proposed catalog entry states them
/// (`Classifier.proposedType(for:)`, so after `Normalisation`). Serials, MACs, UUIDs and firmware versions are not
/// part of it: two servers of one build have one fingerprint.
public struct HardwareFingerprint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The SHA-256 of `facts`, in lower-case hex (64 characters).
    public let digest: String
    /// The facts hashed, one `key=value` a line (`cpu=amd epyc 7313p`), for people and tests.
    public let facts: String

    /// The first 12 hex characters of `digest`: the id of a catalog proposal.
    public var id: String { String(digest.prefix(12)) }

    /// `id`.
    public var description: String { id }

    /// The fingerprint of the hardware `type` describes (its name, description and BIOS policy do not count).
    public init(_ type: DeviceType) {
        let facts = Self.canonicalFacts(type)
        self.facts = facts
        digest = SHA256.hash(data: Data(facts.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The fingerprint of an inventory's hardware; nil when it states neither cores nor memory (nothing to propose).
    public init?(inventory: Inventory) {
        guard let type = Classifier.proposedType(for: inventory) else { return nil }
        self.init(type)
    }

    /// The normalised facts of `type`, in a fixed order, lower-cased; groups sorted so their order never matters.
    static func canonicalFacts(_ type: DeviceType) -> String {
        let hardware = type.hardware
        func number(_ value: Double) -> String {
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        let drives = (hardware.storage ?? []).map { "\($0.kind.rawValue):\(number($0.sizeGB))x\($0.count)" }.sorted()
        let ports = (hardware.network ?? []).map { "\(number($0.speedGbps * 1000))x\($0.count)" }.sorted()
        let lines = [
            "vendor=\(type.vendor)",
            "board=\(type.boards.sorted().joined(separator: ","))",
            "cpu=\(hardware.cpu.model ?? "")",
            "sockets=\(hardware.cpu.sockets)",
            "cores=\(hardware.cpu.cores.map(String.init) ?? "")",
            "memory_gib=\(hardware.memoryGiB.map(String.init) ?? "")",
            "drives=\(hardware.storage == nil ? "-" : drives.joined(separator: ","))",
            "nics=\(hardware.network == nil ? "-" : ports.joined(separator: ","))",
        ]
        return lines.map { $0.lowercased() }.joined(separator: "\n")
    }
}

import Catalog
import Foundation

/// A catalog type, reduced to what the classifier compares (computed once per catalog; a class, so the hot loop
/// passes references instead of copying its strings and arrays).
final class TypeFeatures: Sendable {
    struct Drives: Sendable, CustomStringConvertible {
        var count: Int
        var sizeBytes: Double
        var kind: StorageDevice.Kind

        func accepts(_ drive: InventoryFeatures.Drive) -> Bool {
            (drive.kind == kind || drive.kind == .unknown)
                && abs(drive.sizeBytes - sizeBytes) <= sizeBytes * Normalisation.driveSizeTolerance
        }

        var description: String {
            "\(count)× \(Classifier.Explanation.driveSize(sizeBytes)) \(Classifier.Explanation.kind(kind))"
        }
    }

    struct Ports: Sendable {
        var count: Int
        var speedMbps: Int
    }

    let name: String
    let vendor: String
    let boards: [String]
    let boardNames: [String]
    let model: String?
    let modelNumbers: [String]
    /// `modelNumbers` as indexes into the classifier's model-number table.
    let modelIDs: [Int]
    let sockets: Int
    let cores: Int?
    let memoryGiB: Double?
    let storage: [Drives]?
    let network: [Ports]?

    init(_ type: DeviceType, modelIndex: inout [String: Int]) {
        name = type.name
        vendor = type.vendor
        boards = type.boards.map { $0.lowercased() }
        boardNames = type.boards
        model = type.hardware.cpu.legacyName
        modelNumbers = CPUModel.modelNumbers(type.hardware.cpu.model ?? "")
        modelIDs = modelNumbers.map { number in
            if let id = modelIndex[number] { return id }
            modelIndex[number] = modelIndex.count
            return modelIndex.count - 1
        }
        sockets = type.hardware.cpu.sockets
        cores = type.hardware.cpu.cores
        memoryGiB = type.hardware.memoryGiB.map(Double.init)
        // Persistent memory is rarely visible as a block device; it is not compared.
        storage = type.hardware.storage.map { groups in
            groups.filter { $0.kind != .persistentMemory }.map { group in
                let kind: StorageDevice.Kind
                switch group.kind {
                case .nvme: kind = .nvme
                case .ssd: kind = .ssd
                case .hdd: kind = .hdd
                case .persistentMemory: kind = .pmem
                }
                return Drives(count: group.count, sizeBytes: group.sizeGB * 1e9, kind: kind)
            }
        }
        network = type.hardware.network.map {
            $0.map { Ports(count: $0.count, speedMbps: ParsedNumber.whole($0.speedGbps * 1000) ?? 0) }
        }
    }
}

/// An inventory, reduced to what the classifier compares (computed once per classification; a class, so passing it
/// around the verdicts and the explanation costs one reference count, not one per string and array it holds).
final class InventoryFeatures: Sendable {
    struct Drive: Sendable {
        var sizeBytes: Double
        var kind: StorageDevice.Kind
    }

    /// Drives smaller than this (USB sticks, SATA DOMs) are not compared.
    static let smallestDataDrive = 64e9

    let vendor: String?
    let boards: [String]
    let boardText: String?
    let model: String?
    /// Which of the catalog's model numbers the brand string contains (by model-number id); nil when unknown.
    let models: [Bool]?
    let sockets: Int?
    let cores: Int?
    let memoryGiB: Double?
    let memoryIsUsable: Bool
    let drives: [Drive]?
    /// Speeds of the data ports (BMC links, USB and software interfaces left out).
    let nicSpeeds: [Int]

    /// Reads the features of a normalised inventory (`Normalisation.normalised(_:)`); `brands` remembers brand
    /// strings already tokenised (nil: tokenise here).
    init(_ inventory: Inventory, modelIndex: [String: Int], brands: Classifier.BrandMemo? = nil) {
        vendor =
            inventory.system.vendor
            ?? VendorName.normalise(inventory.system.manufacturer ?? inventory.baseboard.manufacturer)
        var boards: [String] = []
        if let product = inventory.baseboard.product { boards.append(product.lowercased()) }
        if vendor == "hpe", let product = inventory.system.product { boards.append(product.lowercased()) }
        self.boards = boards
        boardText = inventory.baseboard.product ?? (vendor == "hpe" ? inventory.system.product : nil)
        model = inventory.cpu.model
        models = inventory.cpu.model.map { brand in
            brands?.models(brand, modelIndex: modelIndex) ?? Self.models(brand, modelIndex: modelIndex)
        }
        sockets = inventory.cpu.sockets
        cores = inventory.cpu.physicalCores
        memoryGiB = inventory.memory.totalGiB
        memoryIsUsable = inventory.memory.totalIsUsable
        if inventory.sources["storage"] != nil || !inventory.storage.isEmpty {
            var drives: [Drive] = []
            drives.reserveCapacity(inventory.storage.count)
            for device in inventory.storage where Double(device.sizeBytes) >= Self.smallestDataDrive {
                drives.append(Drive(sizeBytes: Double(device.sizeBytes), kind: device.kind))
            }
            self.drives = drives
        } else {
            drives = nil
        }
        var speeds: [Int] = []
        speeds.reserveCapacity(inventory.nics.count)
        for nic in inventory.nics where nic.isDataPort {
            if let speed = nic.speedMbps, speed > 0 { speeds.append(speed) }
        }
        speeds.sort(by: >)
        nicSpeeds = speeds
    }
}

extension InventoryFeatures {
    /// Which of the catalog's model numbers (by id in `modelIndex`) the brand string contains.
    static func models(_ brand: String, modelIndex: [String: Int]) -> [Bool] {
        var present = [Bool](repeating: false, count: modelIndex.count)
        CPUModel.forEachToken(brand) { token in
            if let id = modelIndex[token] { present[id] = true }
        }
        return present
    }
}

/// CPU brand strings, normalised for comparison.
enum CPUModel {
    /// Lower-case words of a brand string without trademarks, clock, `CPU`, `Processor` and `N-Core`; a trailing
    /// `v3` joins the word before it (`E3-1240 v3` → `e3-1240v3`). Plain Swift, no Foundation: it runs per inventory.
    static func tokens(_ brand: String) -> [String] {
        var brand = brand
        // A native string's bytes are read in place (one copy otherwise).
        return brand.withUTF8 { tokens(bytes: $0) }
    }

    /// `tokens(_:)` of a brand string's UTF-8 bytes.
    private static func tokens(bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var tokens: [String] = []
        tokens.reserveCapacity(8)
        var word: [UInt8] = []
        word.reserveCapacity(24)
        func flush() {
            defer { word.removeAll(keepingCapacity: true) }
            guard !word.isEmpty else { return }
            let text = String(decoding: word, as: UTF8.self)
            if isNoise(text) || text.hasSuffix("-core") { return }
            if word.count >= 2, word[0] == UInt8(ascii: "v"), word.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let last = tokens.popLast()
            {
                tokens.append(last + text)
                return
            }
            tokens.append(text)
        }
        var index = 0
        scan: while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "@"):
                break scan
            case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "\t"), 0x80...:
                // Separators; non-ASCII bytes are the ® and ™ signs.
                flush()
            case UInt8(ascii: "("):
                if startsFolded(bytes, at: index, with: "(r)") {
                    flush()
                    index += 3
                    continue
                }
                if startsFolded(bytes, at: index, with: "(tm)") {
                    flush()
                    index += 4
                    continue
                }
                word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                word.append(byte | 0x20)
            default:
                word.append(byte)
            }
            index += 1
        }
        flush()
        return tokens
    }

    /// Whether the bytes at `index`, each with bit 0x20 set (ASCII letters in lower case), begin with `literal`.
    private static func startsFolded(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, with literal: StaticString
    ) -> Bool {
        guard bytes.count - index >= literal.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for offset in 0..<expected.count where bytes[index + offset] | 0x20 != expected[offset] { return false }
        return true
    }

    /// Whether `word` is a filler word (`cpu`, `processor`) or a trademark sign, compared directly: no hashing.
    private static func isNoise(_ word: String) -> Bool {
        switch word {
        case "cpu", "processor", "(r)", "(tm)", "®", "™": return true
        default: return false
        }
    }

    /// The words of a brand string plus their hyphen-separated parts (`i9-14900k` also gives `i9` and `14900k`).
    static func tokenSet(_ brand: String) -> Set<String> {
        var set = Set<String>()
        forEachToken(brand) { set.insert($0) }
        return set
    }

    /// Calls `body` with each word of `tokenSet(brand)` (duplicates possible), without building the set.
    static func forEachToken(_ brand: String, _ body: (String) -> Void) {
        for token in tokens(brand) {
            body(token)
            if token.utf8.contains(UInt8(ascii: "-")) {
                for part in token.utf8.split(separator: UInt8(ascii: "-")) {
                    body(String(decoding: part, as: UTF8.self))
                }
            }
        }
    }

    /// The brand string without trademarks, clock and filler, case kept: `Intel Xeon Gold 6326`.
    static func clean(_ brand: String) -> String {
        var text = brand
        if let at = text.firstIndex(of: "@") { text = String(text[..<at]) }
        for mark in ["(R)", "(r)", "(TM)", "(tm)", "®", "™"] { text = text.replacingOccurrences(of: mark, with: "") }
        return text.split(separator: " ").filter { word in
            let lowered = word.lowercased()
            return lowered != "cpu" && lowered != "processor" && !lowered.hasSuffix("-core")
        }.joined(separator: " ")
    }

    /// The words that name the model (have a digit and at least 3 characters): `6326`, `e-2388g`, `q80-30`.
    static func modelNumbers(_ model: String) -> [String] {
        tokens(model).filter { $0.count >= 3 && $0.contains(where: \.isNumber) }
    }
}

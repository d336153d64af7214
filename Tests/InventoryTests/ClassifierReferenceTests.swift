import Catalog
import Foundation
import Testing

@testable import Inventory

/// The classifier's fast path (verdicts per distinct spec, a top five kept by insertion, verdicts reused for the
/// reasons, explanations grouped by index) against a straightforward reference written here: every type scored
/// field by field, a full stable sort, explanations grouped with dictionaries and sets. Both must give the same
/// `Classification`, to the last string, on a wide set of inventories.
@Suite("Classifier against a straightforward reference")
struct ClassifierReferenceTests {
    /// The reference classification of `inventory` against `catalog`.
    static func reference(_ inventory: Inventory, catalog: Catalog) -> Classification {
        let inventory = Normalisation.normalised(inventory)
        var modelIndex: [String: Int] = [:]
        let types = catalog.sortedDeviceTypes().map { TypeFeatures($0, modelIndex: &modelIndex) }
        let features = InventoryFeatures(inventory, modelIndex: modelIndex)
        struct Scored {
            var index: Int
            var verdicts: [FieldReason.Verdict]
            var score: Double
            var clean: Bool
        }
        let fields = Classifier.Field.allCases
        let scored = types.enumerated().map { index, type in
            let verdicts = fields.map { Classifier.verdict($0, type, features) }
            var points = 0
            for (field, verdict) in zip(fields, verdicts) {
                if verdict == .matched { points += field.weight }
                if verdict == .mismatched { points -= 2 * field.weight }
            }
            return Scored(
                index: index, verdicts: verdicts, score: Double(points) / Classifier.totalWeight,
                clean: !verdicts.contains(.mismatched))
        }
        let ranking = scored.sorted { ($0.score, -$0.index) > ($1.score, -$1.index) }
        let best = ranking[0]
        let bestType = types[best.index]
        let reasons = fields.map { field in
            FieldReason(
                field: field.name, verdict: best.verdicts[field.rawValue],
                expected: Classifier.expectation(field, bestType), found: finding(field, features, inventory),
                weight: field.weight)
        }
        let tiedWithBest = best.clean ? scored.count { $0.score == best.score && $0.clean } : 0
        var confidence = Classifier.confidence(score: best.score, reasons: reasons)
        let outcome: Classification.Outcome
        var tied: [String] = []
        if confidence == .none {
            outcome = .unknown
        } else if tiedWithBest > 1 {
            outcome = .ambiguous
            confidence = min(confidence, .medium)
            tied = scored.filter { $0.clean && abs($0.score - best.score) < 1e-9 }.map { types[$0.index].name }
        } else {
            outcome = .matched
        }
        let top = ranking.prefix(5)
        let runnerUp = top.dropFirst().first
        return Classification(
            outcome: outcome, deviceType: outcome == .matched ? bestType.name : nil, confidence: confidence,
            score: (best.score * 1000).rounded() / 1000, runnerUp: runnerUp.map { types[$0.index].name },
            margin: runnerUp.map { ((best.score - $0.score) * 1000).rounded() / 1000 }, ambiguousWith: tied,
            reasons: reasons,
            candidates: top.map { entry in
                Candidate(
                    deviceType: types[entry.index].name, score: (entry.score * 1000).rounded() / 1000,
                    mismatches: fields.filter { entry.verdicts[$0.rawValue] == .mismatched }.map(\.name))
            },
            proposal: confidence <= .low ? Classifier.proposal(for: inventory) : nil
        ).weighing(inventory.problems)
    }

    static func finding(_ field: Classifier.Field, _ features: InventoryFeatures, _ inventory: Inventory) -> String? {
        switch field {
        case .vendor: return features.vendor
        case .board: return features.boardText
        case .cpuModel: return features.model
        case .sockets: return features.sockets.map(String.init)
        case .cores: return features.cores.map(String.init)
        case .memory: return Classifier.Explanation.memory(inventory)
        case .storage: return features.drives == nil ? nil : storage(inventory)
        case .network: return features.nicSpeeds.isEmpty ? nil : network(inventory)
        }
    }

    /// Data drives by size and kind, largest first, with what was reported: grouped with a dictionary and sets.
    static func storage(_ inventory: Inventory) -> String {
        typealias Explanation = Classifier.Explanation
        let drives = inventory.storage.filter { Double($0.sizeBytes) >= InventoryFeatures.smallestDataDrive }
        guard !drives.isEmpty else { return "no data drives" }
        struct Group: Hashable {
            var sizeBytes: Int64
            var kind: StorageDevice.Kind
        }
        let groups = Dictionary(grouping: drives) { Group(sizeBytes: $0.sizeBytes, kind: $0.kind) }
        let order = groups.keys.sorted { ($0.sizeBytes, $0.kind.rawValue) > ($1.sizeBytes, $1.kind.rawValue) }
        return order.map { key in
            let members = groups[key]!
            var text = "\(members.count)× \(Explanation.driveSize(Double(key.sizeBytes))) \(Explanation.kind(key.kind))"
            let sizes = Set(
                members.compactMap(\.reportedSizeBytes).filter {
                    abs(Double($0 - key.sizeBytes)) >= Double(key.sizeBytes) * 0.01
                })
            var reported = sizes.sorted().map { "\(Explanation.number(Double($0) / 1e9)) GB" }
            let kinds = Set(
                members.filter { $0.reportedKind != nil && $0.reportedKind != .unknown }.map { drive in
                    [drive.transport, drive.mediaType].compactMap { $0 }.joined(separator: " ")
                }.filter { !$0.isEmpty })
            reported += kinds.sorted()
            if !reported.isEmpty {
                text += " (\(Explanation.reporter(inventory, "storage")) \(reported.joined(separator: ", ")))"
            }
            return text
        }.joined(separator: " + ")
    }

    /// Data ports by speed, fastest first, and the interfaces not counted: grouped with a dictionary and sets.
    static func network(_ inventory: Inventory) -> String {
        let ports = inventory.nics.filter { $0.isDataPort && ($0.speedMbps ?? 0) > 0 }
        let groups = Dictionary(grouping: ports) { $0.speedMbps ?? 0 }
        var text = groups.keys.sorted(by: >).map { speed in
            let members = groups[speed]!
            var text = "\(members.count)× \(Classifier.Explanation.linkSpeed(speed))"
            let reported = Set(members.compactMap(\.reportedSpeedMbps)).sorted()
            if !reported.isEmpty {
                let figures = reported.map { "\($0) Mbps" }.joined(separator: ", ")
                text += " (\(Classifier.Explanation.reporter(inventory, "nic.speed")) \(figures))"
            }
            return text
        }.joined(separator: ", ")
        let others = inventory.nics.filter { !$0.isDataPort }
        if !others.isEmpty {
            let names = others.prefix(3).map { "\($0.name) (\($0.role?.rawValue ?? "other"))" }
            text += "; not counted: " + names.joined(separator: ", ") + (others.count > 3 ? ", …" : "")
        }
        return text
    }

    /// Variants of `inventory` that take the classifier down its other paths: usable memory, a drive missing, a
    /// small drive, reported sizes, kinds and speeds, BMC and software NICs, another CPU, another vendor, nothing.
    static func variants(of inventory: Inventory) -> [Inventory] {
        var variants = [inventory]
        var usable = inventory
        usable.memory = MemoryInventory(
            totalGiB: (inventory.memory.totalGiB ?? 64) * 0.95, totalIsUsable: true)
        variants.append(usable)
        if !inventory.storage.isEmpty {
            var fewer = inventory
            fewer.storage.removeLast()
            fewer.storage.append(StorageDevice(name: "sdz", sizeBytes: 32_000_000_000, kind: .ssd))
            variants.append(fewer)
            var reported = inventory
            for index in reported.storage.indices where index % 2 == 0 {
                reported.storage[index].reportedSizeBytes = reported.storage[index].sizeBytes / 100 * 93
                reported.storage[index].reportedKind = index % 4 == 0 ? .ssd : .unknown
                reported.storage[index].transport = "PCIe"
                reported.storage[index].mediaType = index % 4 == 0 ? "SSD" : nil
            }
            reported.storage.append(
                StorageDevice(name: "sdy", sizeBytes: 8_000_000_000_000, kind: .hdd, transport: "SATA"))
            reported.sources["storage"] = "redfish SmartStorage"
            variants.append(reported)
        }
        var nics = inventory
        for index in nics.nics.indices {
            if index % 2 == 0 { nics.nics[index].reportedSpeedMbps = (nics.nics[index].speedMbps ?? 0) * 1024 / 1000 }
            if index == 1 { nics.nics[index].speedMbps = 1000 }
        }
        for (index, role) in [NetworkInterface.Role.management, .virtual, .virtual, .virtual].enumerated() {
            var extra = NetworkInterface(name: "extra\(index)", speedMbps: 100)
            extra.role = role
            nics.nics.append(extra)
        }
        nics.sources["nic.speed"] = "ethtool.txt"
        variants.append(nics)
        var cpu = inventory
        cpu.cpu.model = "AMD EPYC 7763 64-Core Processor"
        cpu.cpu.physicalCores = (inventory.cpu.physicalCores ?? 2) * 2
        variants.append(cpu)
        var vendor = inventory
        vendor.system.vendor = inventory.system.vendor == "dell" ? "hpe" : "dell"
        vendor.system.product = "ProLiant DL360 Gen10"
        variants.append(vendor)
        var bare = Inventory()
        bare.cpu = inventory.cpu
        variants.append(bare)
        variants.append(Inventory())
        return variants
    }

    static func expectSame(_ classifier: Classifier, _ catalog: Catalog, _ inventory: Inventory, _ label: String) {
        let fast = classifier.classify(inventory)
        let slow = reference(inventory, catalog: catalog)
        #expect(fast == slow, "\(label):\nfast: \(fast)\nreference: \(slow)")
    }

    @Test("every catalog type's server, and variants of each: the same classification as the reference")
    func catalogServers() async throws {
        let catalog = ClassifierTests.catalog
        let classifier = ClassifierTests.classifier
        var count = 0
        for (index, type) in catalog.sortedDeviceTypes().enumerated() {
            let inventory = await ClassifierTests.inventory(of: type, index: index + 1)
            for (variant, candidate) in Self.variants(of: inventory).enumerated() {
                Self.expectSame(classifier, catalog, candidate, "\(type.name) variant \(variant)")
                count += 1
            }
        }
        #expect(count > 300)
    }

    @Test("vendor-shaped inventories (Dell, HPE, Lenovo, Supermicro) and their variants: the same as the reference")
    func vendorShapes() {
        let catalog = VendorShapeClassificationTests.catalog
        let classifier = VendorShapeClassificationTests.classifier
        let shapes = [
            ("dell", VendorShapeClassificationTests.dell()), ("hpe", VendorShapeClassificationTests.hpe()),
            ("lenovo", VendorShapeClassificationTests.lenovo()),
            ("supermicro", VendorShapeClassificationTests.supermicro()),
        ]
        for (name, inventory) in shapes {
            for (variant, candidate) in Self.variants(of: Normalisation.normalised(inventory)).enumerated() {
                Self.expectSame(classifier, catalog, candidate, "\(name) variant \(variant)")
            }
            Self.expectSame(classifier, catalog, inventory, "\(name) as read")
        }
    }

    /// The brand-string words as first written: a byte array, a set of noise words, arrays for the `(R)` checks.
    static func referenceTokens(_ brand: String) -> [String] {
        let noise: Set<String> = ["cpu", "processor", "(r)", "(tm)", "®", "™"]
        var tokens: [String] = []
        var word: [UInt8] = []
        func flush() {
            defer { word.removeAll() }
            guard !word.isEmpty else { return }
            let text = String(decoding: word, as: UTF8.self)
            if noise.contains(text) || text.hasSuffix("-core") { return }
            if word.count >= 2, word[0] == UInt8(ascii: "v"), word.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let last = tokens.popLast()
            {
                tokens.append(last + text)
                return
            }
            tokens.append(text)
        }
        let bytes = Array(brand.utf8)
        var index = 0
        scan: while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "@"): break scan
            case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "\t"), 0x80...: flush()
            case UInt8(ascii: "("):
                let rest = bytes[index...].prefix(4).map { $0 | 0x20 }
                if rest.starts(with: Array("(r)".utf8)) {
                    flush()
                    index += 3
                    continue
                }
                if rest.starts(with: Array("(tm)".utf8)) {
                    flush()
                    index += 4
                    continue
                }
                word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte | 0x20)
            default: word.append(byte)
            }
            index += 1
        }
        flush()
        return tokens
    }

    @Test("brand-string words: the same as the reference, trademarks, clock, v-suffixes and odd bytes included")
    func brandTokens() async {
        var brands = [
            "Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz", "INTEL(R) XEON(R) SILVER 4314 CPU @ 2.40GHZ",
            "Intel(R) Xeon(R) CPU E3-1240 v3 @ 3.40GHz", "Intel® Xeon® Platinum 8380 Processor",
            "AMD EPYC 7763 64-Core Processor", "AMD EPYC™ 9654 96-Core Processor", "Ampere(TM) Altra(TM) Q80-30",
            "Intel(r\tXeon(tm Gold", "(R)(TM)(r)(tm)", "(", "(t", "v3", "x v3 v4", "CPU, Processor,\tcpu",
            "Intel(R) Core(TM) i9-14900K", "", "@", "  lots   of   spaces  ", "E-2388G @", "Ü 5318Y",
        ]
        for type in ClassifierTests.catalog.sortedDeviceTypes() {
            brands.append(type.hardware.cpu.model ?? "")
            brands.append(await ClassifierTests.inventory(of: type).cpu.model ?? "")
        }
        for brand in brands {
            #expect(CPUModel.tokens(brand) == Self.referenceTokens(brand), "\(brand)")
        }
    }
}

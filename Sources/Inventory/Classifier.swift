import Catalog
import Foundation

/// Scores every catalog type against an inventory and says which one it is, how sure, and why.
///
/// Fields and their points: vendor 1, board 2, CPU model 3, sockets 1, physical cores 2, memory 2, storage 2,
/// NIC speed 1 (14 in all). A field the type or the inventory does not state scores nothing either way. A type's
/// score is (matched points − 2 × contradicted points) / 14. Confidence thresholds are on `Classification.Confidence`.
///
/// Matching rules: CPU models match when the catalog model's model numbers (`6326`, `e-2388g`, `q80-30`) all appear
/// in the inventory's brand string after normalising (`Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz`); memory matches
/// within 2% of installed DIMMs, or 90–100% when only the OS's usable total is known; storage matches when every
/// drive of 64 GB or more falls in a catalog group of the same kind and size (±12%) and every group's count is
/// exact; NIC speed matches when at least the stated number of ports run at the stated speed. The board is the
/// baseboard's product (and, for HPE, whose catalog names systems, the system's product too).
public struct Classifier: Sendable {
    static let totalWeight = 14.0
    private let types: [TypeFeatures]
    /// Every CPU model number in the catalog → an id.
    private let modelIndex: [String: Int]
    /// Per field: the distinct specs among the catalog's types (a representative type each)…
    private let distinct: [[TypeFeatures]]
    /// …and, per field, which distinct spec each type has, as an index into one flat verdict table (computed once
    /// per distinct spec and inventory).
    private let slotOf: [[Int]]
    /// `slotOf` flattened type-major (`type * 8 + field`), for the hot loop.
    private let slots: [Int]
    /// Per type, per field: what the type expects, in words (fixed per catalog, so written once).
    private let expectations: [[String?]]
    private static let fields = Field.allCases

    /// Prepares the catalog's types for scoring.
    public init(catalog: Catalog) {
        var modelIndex: [String: Int] = [:]
        let types = catalog.sortedDeviceTypes().map { TypeFeatures($0, modelIndex: &modelIndex) }
        self.modelIndex = modelIndex
        var distinct: [[TypeFeatures]] = []
        var specOf: [[Int]] = []
        for field in Field.allCases {
            var seen: [String: Int] = [:]
            var representatives: [TypeFeatures] = []
            specOf.append(
                types.map { type in
                    let key = Self.specKey(field, type)
                    if let index = seen[key] { return index }
                    seen[key] = representatives.count
                    representatives.append(type)
                    return representatives.count - 1
                })
            distinct.append(representatives)
        }
        self.types = types
        expectations = types.map { type in Field.allCases.map { Self.expectation($0, type) } }
        self.distinct = distinct
        var offset = 0
        let slotOf = Field.allCases.map { field in
            defer { offset += distinct[field.rawValue].count }
            return specOf[field.rawValue].map { $0 + offset }
        }
        self.slotOf = slotOf
        slots = types.indices.flatMap { type in Field.allCases.map { slotOf[$0.rawValue][type] } }
    }

    /// Classifies one inventory, after `Normalisation` (so every path, live or read back from a file or the store,
    /// compares the same normalised values and explains them with the reported ones).
    public func classify(_ inventory: Inventory) -> Classification {
        let inventory = Normalisation.normalised(inventory)
        let features = InventoryFeatures(inventory, modelIndex: modelIndex)
        var verdicts: [FieldReason.Verdict] = []
        verdicts.reserveCapacity(slotOf.count * 16)
        for field in Self.fields {
            for spec in distinct[field.rawValue] { verdicts.append(Self.verdict(field, spec, features)) }
        }
        func verdict(_ field: Field, _ type: Int) -> FieldReason.Verdict { verdicts[slotOf[field.rawValue][type]] }
        // The best five by score (name order on ties), kept by insertion: no full sort, no strings.
        var top: [(index: Int, score: Double, mismatched: Int)] = []
        top.reserveCapacity(6)
        var tiedWithBest = 0
        // Points per verdict slot, then eight table lookups per type.
        var gained = [Int](repeating: 0, count: verdicts.count)
        var lost = [Int](repeating: 0, count: verdicts.count)
        var slot = 0
        for field in Self.fields {
            for _ in distinct[field.rawValue] {
                switch verdicts[slot] {
                case .matched: gained[slot] = field.weight
                case .mismatched: lost[slot] = field.weight
                case .unknown: break
                }
                slot += 1
            }
        }
        let fieldCount = Self.fields.count
        let typeCount = types.count
        slots.withUnsafeBufferPointer { slots in
            gained.withUnsafeBufferPointer { gained in
                lost.withUnsafeBufferPointer { lost in
                    for index in 0..<typeCount {
                        var matched = 0
                        var mismatched = 0
                        for slot in slots[(index * fieldCount)..<((index + 1) * fieldCount)] {
                            matched += gained[slot]
                            mismatched += lost[slot]
                        }
                        let score = Double(matched - 2 * mismatched) / Self.totalWeight
                        if let best = top.first {
                            if score > best.score {
                                tiedWithBest = mismatched == 0 ? 1 : 0
                            } else if score == best.score && mismatched == 0 && best.mismatched == 0 {
                                tiedWithBest += 1
                            }
                        } else {
                            tiedWithBest = mismatched == 0 ? 1 : 0
                        }
                        if top.count < 5 || score > top[top.count - 1].score {
                            let position = top.firstIndex { score > $0.score } ?? top.count
                            top.insert((index, score, mismatched), at: position)
                            if top.count > 5 { top.removeLast() }
                        }
                    }
                }
            }
        }
        guard let best = top.first else {
            return Classification(
                outcome: .unknown, deviceType: nil, confidence: .none, score: 0, runnerUp: nil, margin: nil,
                ambiguousWith: [], reasons: [], candidates: [], proposal: Self.proposal(for: inventory))
        }
        let bestType = types[best.index]
        // The best type's verdicts are in the table already (a type's verdict on a field is its spec's).
        let reasons = Self.reasons(
            features, expected: expectations[best.index], verdicts: Self.fields.map { verdict($0, best.index) })
        let runnerUp = top.dropFirst().first
        let candidates = top.map { entry in
            var mismatches: [String] = []
            for field in Self.fields where verdict(field, entry.index) == .mismatched { mismatches.append(field.name) }
            return Candidate(
                deviceType: types[entry.index].name, score: (entry.score * 1000).rounded() / 1000,
                mismatches: mismatches)
        }
        var confidence = Self.confidence(score: best.score, reasons: reasons)
        let outcome: Classification.Outcome
        var tied: [String] = []
        if confidence == .none {
            outcome = .unknown
        } else if tiedWithBest > 1 {
            outcome = .ambiguous
            confidence = min(confidence, .medium)
            tied = types.indices.filter { index in
                Field.allCases.allSatisfy { verdict($0, index) != .mismatched }
                    && abs(Self.score(of: index, verdict) - best.score) < 1e-9
            }.map { types[$0].name }
        } else {
            outcome = .matched
        }
        return Classification(
            outcome: outcome, deviceType: outcome == .matched ? bestType.name : nil, confidence: confidence,
            score: (best.score * 1000).rounded() / 1000, runnerUp: runnerUp.map { types[$0.index].name },
            margin: runnerUp.map { ((best.score - $0.score) * 1000).rounded() / 1000 },
            ambiguousWith: tied, reasons: reasons, candidates: candidates,
            proposal: outcome == .unknown ? Self.proposal(for: inventory) : nil
        ).weighing(inventory.problems)
    }

    /// The field-by-field explanation of `inventory` against one type (for tests and `--explain`).
    func explain(_ type: DeviceType, _ inventory: Inventory) -> [FieldReason] {
        var index = modelIndex
        let features = TypeFeatures(type, modelIndex: &index)
        return Self.reasons(
            features, InventoryFeatures(Normalisation.normalised(inventory), modelIndex: index),
            expected: Field.allCases.map { Self.expectation($0, features) })
    }

    private static func score(of index: Int, _ verdict: (Field, Int) -> FieldReason.Verdict) -> Double {
        var points = 0
        for field in Field.allCases {
            switch verdict(field, index) {
            case .matched: points += field.weight
            case .mismatched: points -= 2 * field.weight
            case .unknown: break
            }
        }
        return Double(points) / totalWeight
    }

    /// Two types with the same key get the same verdict on `field` for every inventory.
    private static func specKey(_ field: Field, _ type: TypeFeatures) -> String {
        switch field {
        case .vendor: return type.vendor
        case .board: return type.boards.joined(separator: "|")
        case .cpuModel: return type.modelNumbers.joined(separator: "|")
        case .sockets: return String(type.sockets)
        case .cores: return type.cores.map(String.init) ?? "-"
        case .memory: return type.memoryGiB.map { String($0) } ?? "-"
        case .storage: return type.storage.map { $0.map(\.description).joined(separator: "+") } ?? "-"
        case .network:
            return type.network.map { $0.map { "\($0.count)x\($0.speedMbps)" }.joined(separator: "+") } ?? "-"
        }
    }

    static func confidence(score: Double, reasons: [FieldReason]) -> Classification.Confidence {
        let mismatched = reasons.filter { $0.verdict == .mismatched }
        func matched(_ field: String) -> Bool { reasons.contains { $0.field == field && $0.verdict == .matched } }
        let core = matched(Field.cpuModel.name) && matched(Field.cores.name) && matched(Field.memory.name)
        let matchedPoints = Double(reasons.filter { $0.verdict == .matched }.reduce(0) { $0 + $1.weight })
        if mismatched.isEmpty && core && matchedPoints >= 10 { return .high }
        if mismatched.isEmpty && matchedPoints >= 6.5 { return .medium }
        let minor: Set<String> = [Field.board.name, Field.network.name, Field.vendor.name]
        if mismatched.count == 1, minor.contains(mismatched[0].field), core { return .medium }
        if (matched(Field.cpuModel.name) || matched(Field.cores.name)) && score > 0 { return .low }
        return .none
    }

    // MARK: Fields

    enum Field: Int, CaseIterable {
        case vendor, board, cpuModel, sockets, cores, memory, storage, network

        var weight: Int {
            switch self {
            case .vendor, .sockets, .network: return 1
            case .board, .cores, .memory, .storage: return 2
            case .cpuModel: return 3
            }
        }

        var name: String {
            switch self {
            case .vendor: return "vendor"
            case .board: return "board"
            case .cpuModel: return "cpu model"
            case .sockets: return "sockets"
            case .cores: return "cores"
            case .memory: return "memory"
            case .storage: return "storage"
            case .network: return "nic speed"
            }
        }
    }

    static func verdict(_ field: Field, _ type: TypeFeatures, _ inventory: InventoryFeatures) -> FieldReason.Verdict {
        func compare<T: Equatable>(_ expected: T?, _ found: T?) -> FieldReason.Verdict {
            guard let expected, let found else { return .unknown }
            return expected == found ? .matched : .mismatched
        }
        switch field {
        case .vendor:
            return compare(type.vendor, inventory.vendor)
        case .board:
            guard !type.boards.isEmpty, !inventory.boards.isEmpty else { return .unknown }
            return type.boards.contains(where: inventory.boards.contains) ? .matched : .mismatched
        case .cpuModel:
            guard !type.modelIDs.isEmpty, let present = inventory.models else { return .unknown }
            return type.modelIDs.allSatisfy { present[$0] } ? .matched : .mismatched
        case .sockets:
            return compare(type.sockets, inventory.sockets)
        case .cores:
            return compare(type.cores, inventory.cores)
        case .memory:
            guard let expected = type.memoryGiB, let found = inventory.memoryGiB else { return .unknown }
            if inventory.memoryIsUsable {
                return found <= expected * 1.001 && found >= expected * 0.90 ? .matched : .mismatched
            }
            return abs(found - expected) <= expected * 0.02 + 0.5 ? .matched : .mismatched
        case .storage:
            guard let groups = type.storage, let drives = inventory.drives else { return .unknown }
            return storageMatches(groups, drives) ? .matched : .mismatched
        case .network:
            guard let groups = type.network, !inventory.nicSpeeds.isEmpty else { return .unknown }
            return groups.allSatisfy { group in
                inventory.nicSpeeds.filter { $0 == group.speedMbps }.count >= group.count
            } ? .matched : .mismatched
        }
    }

    static func storageMatches(_ groups: [TypeFeatures.Drives], _ drives: [InventoryFeatures.Drive]) -> Bool {
        var remaining = groups.map(\.count)
        for drive in drives {
            guard
                let index = groups.indices.first(where: { i in
                    remaining[i] > 0 && groups[i].accepts(drive)
                })
            else { return false }
            remaining[index] -= 1
        }
        return remaining.allSatisfy { $0 == 0 }
    }

    /// The field-by-field explanation for one type, given what it expects (`expectation(_:_:)` per field).
    static func reasons(_ type: TypeFeatures, _ inventory: InventoryFeatures, expected: [String?]) -> [FieldReason] {
        reasons(inventory, expected: expected, verdicts: Field.allCases.map { verdict($0, type, inventory) })
    }

    /// The field-by-field explanation for one type, given what it expects and its verdicts, per field.
    static func reasons(
        _ inventory: InventoryFeatures, expected: [String?], verdicts: [FieldReason.Verdict]
    ) -> [FieldReason] {
        Field.allCases.map { field in
            FieldReason(
                field: field.name, verdict: verdicts[field.rawValue], expected: expected[field.rawValue],
                found: finding(field, inventory), weight: field.weight)
        }
    }

    /// What `type` expects of `field`, in words: `2 or 4`, `256 GB`, `2× 1.92 TB NVMe`, `2× 25 GbE`.
    static func expectation(_ field: Field, _ type: TypeFeatures) -> String? {
        switch field {
        case .vendor: return type.vendor
        case .board: return type.boardNames.isEmpty ? nil : type.boardNames.joined(separator: " or ")
        case .cpuModel: return type.model
        case .sockets: return String(type.sockets)
        case .cores: return type.cores.map(String.init)
        case .memory: return type.memoryGiB.map { "\(Explanation.number($0)) GB" }
        case .storage: return type.storage.map { $0.map(\.description).joined(separator: " + ") }
        case .network:
            return type.network.map {
                $0.map { "\($0.count)× \(Explanation.linkSpeed($0.speedMbps))" }.joined(separator: " + ")
            }
        }
    }

    /// What the inventory shows for `field`, in words, with what was reported where normalisation changed it.
    private static func finding(_ field: Field, _ inventory: InventoryFeatures) -> String? {
        switch field {
        case .vendor: return inventory.vendor
        case .board: return inventory.boardText
        case .cpuModel: return inventory.model
        case .sockets: return inventory.sockets.map(String.init)
        case .cores: return inventory.cores.map(String.init)
        case .memory: return Explanation.memory(inventory.inventory)
        case .storage: return inventory.drives == nil ? nil : Explanation.storage(inventory.inventory)
        case .network: return inventory.nicSpeeds.isEmpty ? nil : Explanation.network(inventory.inventory)
        }
    }
}

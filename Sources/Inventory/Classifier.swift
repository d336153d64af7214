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
    /// Every verdict slot: a field and the representative type of one distinct spec of it, field by field (the types
    /// are kept alive by `types`, so the hot loop reads them without reference counting)…
    private let specSlots: [(field: Field, spec: Unmanaged<TypeFeatures>)]
    /// …and, per field, which distinct spec each type has, as an index into one flat verdict table (computed once
    /// per distinct spec and inventory).
    private let slotOf: [[Int]]
    /// `slotOf` flattened type-major (`type * 8 + field`), for the hot loop.
    private let slots: [Int]
    /// Per type, per field: what the type expects, in words (fixed per catalog, so written once).
    private let expectations: [[String?]]
    /// How many verdict slots there are (distinct specs over all fields), and each slot's field weight.
    private let slotCount: Int
    private let slotWeights: [Int]
    /// CPU brand strings seen → which catalog model numbers they contain (a fleet has a handful of brands).
    private let brands = BrandMemo()
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
        specSlots = Field.allCases.flatMap { field in
            distinct[field.rawValue].map { (field, Unmanaged.passUnretained($0)) }
        }
        var offset = 0
        let slotOf = Field.allCases.map { field in
            defer { offset += distinct[field.rawValue].count }
            return specOf[field.rawValue].map { $0 + offset }
        }
        self.slotOf = slotOf
        slots = types.indices.flatMap { type in Field.allCases.map { slotOf[$0.rawValue][type] } }
        slotWeights = Field.allCases.flatMap { field in
            Array(repeating: field.weight, count: distinct[field.rawValue].count)
        }
        slotCount = slotWeights.count
    }

    /// Classifies one inventory, after `Normalisation` (so every path, live or read back from a file or the store,
    /// compares the same normalised values and explains them with the reported ones).
    public func classify(_ inventory: Inventory) -> Classification {
        // Most inventories come normalised (discovery normalises): classified as they are, not copied.
        inventory.isNormalised
            ? classify(normalised: inventory) : classify(normalised: Normalisation.normalised(inventory))
    }

    /// `classify(_:)` of a normalised inventory.
    private func classify(normalised inventory: Inventory) -> Classification {
        let features = InventoryFeatures(inventory, modelIndex: modelIndex, brands: brands)
        // One verdict per distinct spec and field, in a buffer on the stack (no allocation per classification).
        return withUnsafeTemporaryAllocation(of: FieldReason.Verdict.self, capacity: slotCount) { verdicts in
            specSlots.withUnsafeBufferPointer { specSlots in
                for (slot, entry) in specSlots.enumerated() {
                    let verdict = entry.spec._withUnsafeGuaranteedRef { Self.verdict(entry.field, $0, features) }
                    verdicts.initializeElement(at: slot, to: verdict)
                }
            }
            return classify(inventory, features, verdicts: UnsafeBufferPointer(verdicts))
        }
    }

    /// The rest of `classify(_:)`, given every distinct spec's verdict.
    private func classify(
        _ inventory: Inventory, _ features: InventoryFeatures, verdicts: UnsafeBufferPointer<FieldReason.Verdict>
    ) -> Classification {
        func verdict(_ field: Field, _ type: Int) -> FieldReason.Verdict { verdicts[slotOf[field.rawValue][type]] }
        // The best five by score (name order on ties), kept by insertion: no full sort, no strings.
        var top = TopFive()
        var tiedWithBest = 0
        let fieldCount = Self.fields.count
        let typeCount = types.count
        // Per verdict slot, in one integer: its points (matched: +weight, mismatched: −2 × weight) in the low half
        // (offset by `bias` to stay positive) and its contradicted weight in the high half; a type's score is then
        // eight additions, compared as integers (divided by 14 only for the five kept).
        let bias = 1 << 8
        withUnsafeTemporaryAllocation(of: Int.self, capacity: slotCount) { packed in
            for (index, weight) in slotWeights.enumerated() {
                switch verdicts[index] {
                case .matched: packed.initializeElement(at: index, to: bias + weight)
                case .mismatched: packed.initializeElement(at: index, to: bias - 2 * weight + weight << 32)
                case .unknown: packed.initializeElement(at: index, to: bias)
                }
            }
            var bestPoints = Int.min
            var bestClean = false
            slots.withUnsafeBufferPointer { slots in
                for index in 0..<typeCount {
                    var sum = 0
                    for offset in (index &* fieldCount)..<((index &+ 1) &* fieldCount) { sum &+= packed[slots[offset]] }
                    let mismatched = sum >> 32
                    let points = (sum & 0xFFFF_FFFF) - fieldCount * bias
                    let clean = mismatched == 0
                    if points > bestPoints {
                        tiedWithBest = clean ? 1 : 0
                        bestPoints = points
                        bestClean = clean
                    } else if points == bestPoints && clean && bestClean {
                        tiedWithBest += 1
                    }
                    top.offer(index: index, points: points, mismatched: mismatched)
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
        let bestVerdicts = Self.fields.map { verdict($0, best.index) }
        let reasons = Self.reasons(
            features, inventory, expected: expectations[best.index], verdicts: bestVerdicts)
        let runnerUp: TopFive.Entry? = top.count > 1 ? top[1] : nil
        let candidates = (0..<top.count).map { position in
            let entry = top[position]
            var mismatches: [String] = []
            for field in Self.fields where verdict(field, entry.index) == .mismatched { mismatches.append(field.name) }
            return Candidate(
                deviceType: types[entry.index].name, score: (entry.score * 1000).rounded() / 1000,
                mismatches: mismatches)
        }
        var confidence = Self.confidence(score: best.score, verdicts: bestVerdicts)
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
        var result = Classification(
            outcome: outcome, deviceType: outcome == .matched ? bestType.name : nil, confidence: confidence,
            score: (best.score * 1000).rounded() / 1000, runnerUp: runnerUp.map { types[$0.index].name },
            margin: runnerUp.map { ((best.score - $0.score) * 1000).rounded() / 1000 },
            ambiguousWith: tied, reasons: reasons, candidates: candidates,
            proposal: confidence <= .low ? Self.proposal(for: inventory) : nil)
        if !inventory.problems.isEmpty { result = result.weighing(inventory.problems) }
        return result
    }

    /// The field-by-field explanation of `inventory` against one type (for tests and `--explain`).
    func explain(_ type: DeviceType, _ inventory: Inventory) -> [FieldReason] {
        var index = modelIndex
        let features = TypeFeatures(type, modelIndex: &index)
        let inventory = Normalisation.normalised(inventory)
        return Self.reasons(
            features, InventoryFeatures(inventory, modelIndex: index), inventory,
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

    /// The confidence of the best type, from its score and its reasons (`FieldReason.field` names the field).
    static func confidence(score: Double, reasons: [FieldReason]) -> Classification.Confidence {
        var verdicts = [FieldReason.Verdict](repeating: .unknown, count: Field.allCases.count)
        for reason in reasons {
            if let field = Field.allCases.first(where: { $0.name == reason.field }) {
                verdicts[field.rawValue] = reason.verdict
            }
        }
        return confidence(score: score, verdicts: verdicts)
    }

    /// The confidence of the best type, from its score and its verdicts (indexed by `Field.rawValue`): high when
    /// nothing contradicts it, CPU model, cores and memory match, and 10 points or more match; medium when nothing
    /// contradicts it and 6.5 points match, or only a minor field (board, NIC speed, vendor) does and the core
    /// matches; low when the CPU model or cores match and the score is positive.
    static func confidence(score: Double, verdicts: [FieldReason.Verdict]) -> Classification.Confidence {
        var matchedPoints = 0
        var mismatchedCount = 0
        var mismatchedField = Field.vendor
        for field in Field.allCases {
            switch verdicts[field.rawValue] {
            case .matched: matchedPoints += field.weight
            case .mismatched:
                mismatchedCount += 1
                mismatchedField = field
            case .unknown: break
            }
        }
        func matched(_ field: Field) -> Bool { verdicts[field.rawValue] == .matched }
        let core = matched(.cpuModel) && matched(.cores) && matched(.memory)
        if mismatchedCount == 0 && core && matchedPoints >= 10 { return .high }
        if mismatchedCount == 0 && Double(matchedPoints) >= 6.5 { return .medium }
        let minor: Bool
        switch mismatchedField {
        case .board, .network, .vendor: minor = true
        default: minor = false
        }
        if mismatchedCount == 1, minor, core { return .medium }
        if (matched(.cpuModel) || matched(.cores)) && score > 0 { return .low }
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
            for group in groups {
                var ports = 0
                for speed in inventory.nicSpeeds where speed == group.speedMbps { ports += 1 }
                if ports < group.count { return .mismatched }
            }
            return .matched
        }
    }

    static func storageMatches(_ groups: [TypeFeatures.Drives], _ drives: [InventoryFeatures.Drive]) -> Bool {
        // Every group's count is exact, so the drive counts must agree first (most types fail here, cheaply).
        var expected = 0
        for group in groups { expected += group.count }
        guard expected == drives.count else { return false }
        if groups.count == 1 { return drives.allSatisfy(groups[0].accepts) }
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
    static func reasons(
        _ type: TypeFeatures, _ features: InventoryFeatures, _ inventory: Inventory, expected: [String?]
    ) -> [FieldReason] {
        reasons(
            features, inventory, expected: expected, verdicts: Field.allCases.map { verdict($0, type, features) })
    }

    /// The field-by-field explanation for one type, given what it expects and its verdicts, per field.
    static func reasons(
        _ features: InventoryFeatures, _ inventory: Inventory, expected: [String?], verdicts: [FieldReason.Verdict]
    ) -> [FieldReason] {
        Field.allCases.map { field in
            FieldReason(
                field: field.name, verdict: verdicts[field.rawValue], expected: expected[field.rawValue],
                found: finding(field, features, inventory), weight: field.weight)
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
    private static func finding(_ field: Field, _ features: InventoryFeatures, _ inventory: Inventory) -> String? {
        switch field {
        case .vendor: return features.vendor
        case .board: return features.boardText
        case .cpuModel: return features.model
        case .sockets: return features.sockets.map(String.init)
        case .cores: return features.cores.map(String.init)
        case .memory: return Explanation.memory(inventory)
        case .storage: return features.drives == nil ? nil : Explanation.storage(inventory)
        case .network: return features.nicSpeeds.isEmpty ? nil : Explanation.network(inventory)
        }
    }
}

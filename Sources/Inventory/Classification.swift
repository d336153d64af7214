/// The device type an inventory was classified as, how sure, and why.
public struct Classification: Sendable, Hashable, Codable {
    /// How sure the classifier is. Thresholds (see `Classifier`):
    /// - `high`: no field contradicts the type; CPU model, cores and memory match; at least 10 of the 14 points of
    ///   evidence match; and no other type scores as well.
    /// - `medium`: no contradiction and at least 6.5 points, or a single contradiction in board, NIC speed or
    ///   vendor while CPU model, cores and memory match.
    /// - `low`: the CPU model or core count matches, but the rest is weak or contradicts.
    /// - `none`: nothing above; the hardware is unknown to the catalog.
    public enum Confidence: String, Sendable, Hashable, Codable, Comparable {
        /// See the type's documentation.
        case none, low, medium, high

        /// Orders none < low < medium < high.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            let order: [Self] = [.none, .low, .medium, .high]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// What the classifier concluded.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// One type fits best.
        case matched
        /// Several types fit equally well; none is picked.
        case ambiguous
        /// No type fits.
        case unknown
    }

    /// The conclusion.
    public var outcome: Outcome
    /// The type, when `outcome` is `matched`.
    public var deviceType: String?
    /// How sure.
    public var confidence: Confidence
    /// The best type's score, −1…1: (matched points − 2 × contradicted points) / 14.
    public var score: Double
    /// The second-best type (or, when ambiguous, the first of the others).
    public var runnerUp: String?
    /// Best score minus the runner-up's.
    public var margin: Double?
    /// When ambiguous: every type that fits equally well.
    public var ambiguousWith: [String]
    /// Field by field, for the best type (or the first tied one).
    public var reasons: [FieldReason]
    /// The nearest types, best first.
    public var candidates: [Candidate]
    /// For unknown hardware and a `low` best fit (the classifier's confidence before discovery problems weigh in): a
    /// catalog entry in our schema (YAML) for a person to review (`catalog proposals` groups them).
    public var proposal: String?
    /// What discovery could not read in a section the classifier compares (`InventorySection.classified`): each
    /// one lowered the confidence (see `weighing(_:)`).
    public var problems: [InventoryProblem] = []

    enum CodingKeys: String, CodingKey {
        case outcome
        case deviceType = "device_type"
        case confidence, score
        case runnerUp = "runner_up"
        case margin
        case ambiguousWith = "ambiguous_with"
        case reasons, candidates, proposal, problems
    }
}

/// One field compared between the inventory and a type.
public struct FieldReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The verdict on a field.
    public enum Verdict: String, Sendable, Hashable, Codable {
        /// Inventory and type agree.
        case matched
        /// They disagree.
        case mismatched
        /// One side does not say.
        case unknown
    }

    /// The field (`cpu model`, `cores`, `memory`, ...).
    public var field: String
    /// The verdict.
    public var verdict: Verdict
    /// What the type expects.
    public var expected: String?
    /// What the inventory has.
    public var found: String?
    /// Points this field is worth.
    public var weight: Int

    /// `cores: matched (20)` or `memory: mismatched (expected 64 GB, found 128 GB)`.
    public var description: String {
        switch verdict {
        case .matched: return "\(field): matched (\(found ?? expected ?? "-"))"
        case .mismatched: return "\(field): mismatched (expected \(expected ?? "-"), found \(found ?? "-"))"
        case .unknown:
            return "\(field): unknown (" + (expected == nil ? "the type does not say" : "the inventory does not say")
                + ")"
        }
    }
}

/// A type and its score.
public struct Candidate: Sendable, Hashable, Codable {
    /// The type.
    public var deviceType: String
    /// Its score.
    public var score: Double
    /// Fields that contradict it.
    public var mismatches: [String]

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case score, mismatches
    }
}

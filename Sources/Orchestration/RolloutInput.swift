import Foundation
import WorkflowEngine

/// A firmware rollout's input: the servers, the waves, when to halt, and how each server is updated.
public struct RolloutInput: WorkflowInput, Sendable, Hashable {
    /// The servers, in rollout order (the first ones are the canaries).
    public var servers: [String]
    /// The waves, cumulative: `1` (one server), `5%` (up to 5% of the servers), …, the last `100%`.
    public var waves: [WaveSize]
    /// The failure rate of a wave, in percent, above which the rollout halts.
    public var haltAt: Double
    /// Seconds to wait before each wave after the first.
    public var pauseSeconds: Int
    /// The update policy (`recommended` when nil).
    public var policy: String?
    /// Approve what a manual policy holds back.
    public var approve = false
    /// Plan only: every server's firmware-update run is a dry run.
    public var dryRun = false

    /// How large a wave is, counted from the start of the rollout.
    public enum WaveSize: Sendable, Hashable, CustomStringConvertible {
        /// Up to this many servers.
        case count(Int)
        /// Up to this share of the servers (rounded up).
        case percent(Double)

        /// `1`, `5%`.
        public var description: String {
            switch self {
            case .count(let count): String(count)
            case .percent(let share): share == share.rounded() ? "\(Int(share))%" : "\(share)%"
            }
        }

        /// How many servers of `total` the rollout has reached by the end of this wave.
        func reach(of total: Int) -> Int {
            switch self {
            case .count(let count): min(total, count)
            case .percent(let share): min(total, Int((Double(total) * share / 100).rounded(.up)))
            }
        }
    }

    /// At most this many waves (each is a step of the rollout workflow).
    public static let maximumWaves = 8

    /// An input; `waves` and `haltAt` as given on a command line (`1,5%,25%,100%`, `2%`).
    public init(
        servers: [String], waves: String, haltAt: String, pauseSeconds: Int = 0, policy: String? = nil,
        approve: Bool = false, dryRun: Bool = false
    ) throws(RolloutInputError) {
        self.servers = servers
        self.waves = try Self.waves(waves)
        self.haltAt = try Self.share(haltAt, field: .haltAt)
        guard pauseSeconds >= 0 else { throw RolloutInputError(.pauseBetween, "must not be negative") }
        self.pauseSeconds = pauseSeconds
        self.policy = policy
        self.approve = approve
        self.dryRun = dryRun
    }

    /// Decodes the stored input.
    public init(values: [String: String]) throws {
        servers = (values["servers"] ?? "").split(separator: ",").map(String.init)
        waves = try Self.waves(values["waves"] ?? "")
        haltAt = try Self.share(values["halt_at"] ?? "", field: .haltAt)
        pauseSeconds = Int(values["pause_seconds"] ?? "0") ?? 0
        policy = values["firmware_policy"]
        approve = values["firmware_approve"] == "true"
        dryRun = values["dry_run"] == "true"
    }

    /// The input as stored.
    public var values: [String: String] {
        var values = [
            "servers": servers.joined(separator: ","), "waves": waves.map(\.description).joined(separator: ","),
            "halt_at": "\(haltAt)%", "pause_seconds": String(pauseSeconds),
        ]
        if let policy { values["firmware_policy"] = policy }
        if approve { values["firmware_approve"] = "true" }
        if dryRun { values["dry_run"] = "true" }
        return values
    }

    /// The servers of each wave, in order; waves that would add no server are left out.
    public var plan: [[String]] {
        var waves: [[String]] = []
        var reached = 0
        for size in self.waves {
            let end = max(reached, size.reach(of: servers.count))
            if end > reached { waves.append(Array(servers[reached..<end])) }
            reached = end
        }
        return waves
    }

    /// `1,5%,25%,100%`: counts or shares, growing, the last one `100%`, at most `maximumWaves`.
    static func waves(_ text: String) throws(RolloutInputError) -> [WaveSize] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, parts.count <= maximumWaves else {
            throw RolloutInputError(.waves, "give 1 to \(maximumWaves) waves, such as 1,5%,25%,100%")
        }
        var sizes: [WaveSize] = []
        for part in parts {
            if part.hasSuffix("%") {
                sizes.append(.percent(try share(part, field: .waves)))
            } else if let count = Int(part), count >= 1 {
                sizes.append(.count(count))
            } else {
                throw RolloutInputError(.waves, "`\(part)` is neither a count (1) nor a share (5%)")
            }
        }
        guard case .percent(100) = sizes.last else {
            throw RolloutInputError(.waves, "the last wave must be 100% (every selected server)")
        }
        return sizes
    }

    /// `2%` (or `2`) as a share from 0 to 100.
    static func share(_ text: String, field: RolloutInputError.Field) throws(RolloutInputError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.hasSuffix("%") ? String(trimmed.dropLast()) : trimmed
        guard let value = Double(number), value.isFinite, (0...100).contains(value) else {
            throw RolloutInputError(field, "`\(text)` is not a share from 0% to 100%")
        }
        return value
    }
}

/// Why a rollout's input was refused, naming the option or field.
public struct RolloutInputError: Error, Sendable, CustomStringConvertible {
    /// The input at fault.
    public enum Field: String, Sendable {
        case waves
        case haltAt = "halt_at"
        case pauseBetween = "pause_between"
    }

    /// The input at fault.
    public var field: Field
    /// What is wrong.
    public var message: String
    /// The message after the field's name.
    public var description: String { "\(field.rawValue): \(message)" }

    init(_ field: Field, _ message: String) {
        self.field = field
        self.message = message
    }
}

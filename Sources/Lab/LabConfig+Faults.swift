import Foundation

extension LabConfig {
    /// Faults injected into answers, at random (seeded, so a run repeats), for every request or by request kind
    /// (`get`, `patch`, `reset`, `update`, `session`: see `SimulatedBMC.ActionKind`).
    ///
    /// ```yaml
    /// faults:
    ///   error_rate: 0.05            # every request: 503, not performed
    ///   garbage_rate: 0.0           # every request: 200 with a body that is not JSON
    ///   timeout_rate: 0.0           # every request: held for hang_seconds, not performed, then 503
    ///   reset_rate: 0.0             # every request: TCP reset, not performed
    ///   error: {patch: 0.1}         # the same four by kind (a kind named here uses its own rate, not the global)
    ///   garbage: {get: 0.01}
    ///   timeout: {update: 0.0}
    ///   connection_reset: {get: 0.01}
    ///   lost_answer: {reset: 0.1, patch: 0.3}   # performed, then the connection is reset…
    ///   lost_answer_status: 503     # …or this 5xx is answered instead
    ///   no_answer: {update: 0.2}    # performed, then held for hang_seconds and the connection reset
    ///   hang_seconds: 120           # how long timeout and no_answer hold a connection
    ///   slow: {reset: {rate: 0.5, ms: 2000}}    # an extra delay before the BMC handles the request
    ///   restart_after_update: {seconds: 30, status: 503}   # after BMC firmware activates: 30 s of 503 (no
    ///                                                      # status: connections reset), then the new version
    ///   seed: 42
    /// ```
    ///
    /// Unknown keys, unknown kinds and out-of-range values are refused when the configuration is read, naming the
    /// key.
    public struct Faults: Sendable, Codable, Equatable {
        /// An extra delay for a share of requests of one kind.
        public struct Slow: Sendable, Codable, Equatable {
            /// Share of requests delayed (0…1).
            public var rate: Double
            /// The delay, milliseconds.
            public var ms: Int

            /// A delay of `ms` for a `rate` share of requests.
            public init(rate: Double, ms: Int) {
                self.rate = rate
                self.ms = ms
            }
        }

        /// What a BMC does right after its own firmware is activated: its web server restarts, and for `seconds`
        /// (lab time, see `LabClock`) it answers nothing — each connection reset — or, with `status`, that 5xx.
        public struct RestartAfterUpdate: Sendable, Codable, Equatable {
            /// How long the web server is away.
            public var seconds: Double
            /// The status answered meanwhile; nil resets each connection.
            public var status: Int?

            /// A restart of `seconds`, answering `status` (nil: connection resets).
            public init(seconds: Double, status: Int? = nil) {
                self.seconds = seconds
                self.status = status
            }
        }

        /// Share of answers that are 503.
        public var errorRate: Double?
        /// Share of answers whose body is not JSON.
        public var garbageRate: Double?
        /// Share of answers that take longer than any client waits (`hangSeconds`), not performed.
        public var timeoutRate: Double?
        /// Share of requests whose connection is reset instead of answered.
        public var resetRate: Double?
        /// `errorRate` by request kind; a kind listed here uses this rate instead of the global one.
        public var error: [String: Double]?
        /// `garbageRate` by request kind.
        public var garbage: [String: Double]?
        /// `timeoutRate` by request kind.
        public var timeout: [String: Double]?
        /// `resetRate` by request kind.
        public var connectionReset: [String: Double]?
        /// Share of requests, by kind, that the BMC performs and then loses the answer to (the connection is
        /// reset, or `lostAnswerStatus` is answered): `lost_answer: {reset: 1.0}`.
        public var lostAnswer: [String: Double]?
        /// The 5xx a lost answer is replaced by; nil resets the connection.
        public var lostAnswerStatus: Int?
        /// Share of requests, by kind, that the BMC performs and then never answers: the connection is held for
        /// `hangSeconds`, then reset.
        public var noAnswer: [String: Double]?
        /// How long `timeout` and `no_answer` hold a connection (seconds, real time); default 120.
        public var hangSeconds: Double?
        /// Extra delays by request kind.
        public var slow: [String: Slow]?
        /// A BMC web-server restart after each BMC firmware activation.
        public var restartAfterUpdate: RestartAfterUpdate?
        /// Random seed.
        public var seed: UInt64?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case errorRate = "error_rate"
            case garbageRate = "garbage_rate"
            case timeoutRate = "timeout_rate"
            case resetRate = "reset_rate"
            case error, garbage, timeout
            case connectionReset = "connection_reset"
            case lostAnswer = "lost_answer"
            case lostAnswerStatus = "lost_answer_status"
            case noAnswer = "no_answer"
            case hangSeconds = "hang_seconds"
            case slow
            case restartAfterUpdate = "restart_after_update"
            case seed
        }

        /// No faults.
        public static let none = Faults()

        /// The hang of `timeout` and `no_answer` when none is configured.
        public static let defaultHangSeconds = 120.0

        /// Faults with the given settings (all optional).
        public init(
            errorRate: Double? = nil, garbageRate: Double? = nil, timeoutRate: Double? = nil, resetRate: Double? = nil,
            error: [String: Double]? = nil, garbage: [String: Double]? = nil, timeout: [String: Double]? = nil,
            connectionReset: [String: Double]? = nil, lostAnswer: [String: Double]? = nil,
            lostAnswerStatus: Int? = nil, noAnswer: [String: Double]? = nil, hangSeconds: Double? = nil,
            slow: [String: Slow]? = nil, restartAfterUpdate: RestartAfterUpdate? = nil, seed: UInt64? = nil
        ) {
            self.errorRate = errorRate
            self.garbageRate = garbageRate
            self.timeoutRate = timeoutRate
            self.resetRate = resetRate
            self.error = error
            self.garbage = garbage
            self.timeout = timeout
            self.connectionReset = connectionReset
            self.lostAnswer = lostAnswer
            self.lostAnswerStatus = lostAnswerStatus
            self.noAnswer = noAnswer
            self.hangSeconds = hangSeconds
            self.slow = slow
            self.restartAfterUpdate = restartAfterUpdate
            self.seed = seed
        }

        /// Reads the `faults` section, refusing unknown keys and kinds and values out of range.
        public init(from decoder: any Decoder) throws {
            let present = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            let known = Set(CodingKeys.allCases.map(\.stringValue))
            if let unknown = present.sorted().first(where: { !known.contains($0) }) {
                throw LabError(
                    message:
                        "faults: unknown key `\(unknown)` (known: \(CodingKeys.allCases.map(\.stringValue).sorted().joined(separator: ", ")))"
                )
            }
            let values = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                errorRate: try values.decodeIfPresent(Double.self, forKey: .errorRate),
                garbageRate: try values.decodeIfPresent(Double.self, forKey: .garbageRate),
                timeoutRate: try values.decodeIfPresent(Double.self, forKey: .timeoutRate),
                resetRate: try values.decodeIfPresent(Double.self, forKey: .resetRate),
                error: try values.decodeIfPresent([String: Double].self, forKey: .error),
                garbage: try values.decodeIfPresent([String: Double].self, forKey: .garbage),
                timeout: try values.decodeIfPresent([String: Double].self, forKey: .timeout),
                connectionReset: try values.decodeIfPresent([String: Double].self, forKey: .connectionReset),
                lostAnswer: try values.decodeIfPresent([String: Double].self, forKey: .lostAnswer),
                lostAnswerStatus: try values.decodeIfPresent(Int.self, forKey: .lostAnswerStatus),
                noAnswer: try values.decodeIfPresent([String: Double].self, forKey: .noAnswer),
                hangSeconds: try values.decodeIfPresent(Double.self, forKey: .hangSeconds),
                slow: try values.decodeIfPresent([String: Slow].self, forKey: .slow),
                restartAfterUpdate: try values.decodeIfPresent(RestartAfterUpdate.self, forKey: .restartAfterUpdate),
                seed: try values.decodeIfPresent(UInt64.self, forKey: .seed))
            try validate()
        }

        /// Checks every key and value: rates within 0…1, kinds among `SimulatedBMC.ActionKind`, statuses 5xx,
        /// durations positive; the error names the key (``faults.lost_answer: `pach` is not a request kind``).
        public func validate() throws {
            let global: [(CodingKeys, Double?)] = [
                (.errorRate, errorRate), (.garbageRate, garbageRate), (.timeoutRate, timeoutRate),
                (.resetRate, resetRate),
            ]
            for (key, rate) in global {
                if let rate { try Self.check(rate: rate, at: "faults.\(key.stringValue)") }
            }
            let byKind: [(CodingKeys, [String: Double]?)] = [
                (.error, error), (.garbage, garbage), (.timeout, timeout), (.connectionReset, connectionReset),
                (.lostAnswer, lostAnswer), (.noAnswer, noAnswer),
            ]
            for (key, rates) in byKind {
                for (kind, rate) in (rates ?? [:]).sorted(by: { $0.key < $1.key }) {
                    try Self.check(kind: kind, at: "faults.\(key.stringValue)")
                    try Self.check(rate: rate, at: "faults.\(key.stringValue).\(kind)")
                }
            }
            for (kind, slow) in (slow ?? [:]).sorted(by: { $0.key < $1.key }) {
                try Self.check(kind: kind, at: "faults.slow")
                try Self.check(rate: slow.rate, at: "faults.slow.\(kind).rate")
                guard slow.ms >= 0 else {
                    throw LabError(message: "faults.slow.\(kind).ms: \(slow.ms) is negative; give milliseconds ≥ 0")
                }
            }
            if let lostAnswerStatus { try Self.check(status: lostAnswerStatus, at: "faults.lost_answer_status") }
            if let hangSeconds, !(hangSeconds > 0) {
                throw LabError(message: "faults.hang_seconds: \(hangSeconds) is not a positive number of seconds")
            }
            if let restartAfterUpdate {
                guard restartAfterUpdate.seconds > 0 else {
                    throw LabError(
                        message:
                            "faults.restart_after_update.seconds: \(restartAfterUpdate.seconds) is not a positive number of seconds"
                    )
                }
                if let status = restartAfterUpdate.status {
                    try Self.check(status: status, at: "faults.restart_after_update.status")
                }
            }
        }

        private static func check(rate: Double, at key: String) throws {
            guard (0...1).contains(rate) else {
                throw LabError(message: "\(key): \(rate) is not a share of requests; give a rate from 0 to 1")
            }
        }

        private static func check(kind: String, at key: String) throws {
            guard SimulatedBMC.ActionKind(rawValue: kind) == nil else { return }
            let kinds = SimulatedBMC.ActionKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw LabError(message: "\(key): `\(kind)` is not a request kind (known: \(kinds))")
        }

        private static func check(status: Int, at key: String) throws {
            guard (500...599).contains(status) else {
                throw LabError(message: "\(key): \(status) is not a 5xx status; give 500 to 599 (503 is usual)")
            }
        }

        /// The share of requests of `kind` that get `fault`: the kind's own rate if it has one, else the global
        /// rate (requests of no kind always get the global rate).
        func rate(_ fault: Lab.Fault, for kind: SimulatedBMC.ActionKind?) -> Double {
            let (global, byKind): (Double?, [String: Double]?)
            switch fault {
            case .error: (global, byKind) = (errorRate, error)
            case .garbage: (global, byKind) = (garbageRate, garbage)
            case .timeout: (global, byKind) = (timeoutRate, timeout)
            case .reset: (global, byKind) = (resetRate, connectionReset)
            case .none: return 0
            }
            if let kind, let rate = byKind?[kind.rawValue] { return rate }
            return global ?? 0
        }

        /// The `timeout` and `no_answer` hold.
        var hang: Duration { .seconds(hangSeconds ?? Self.defaultHangSeconds) }
    }

    /// Any key, to list what a mapping holds.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            nil
        }
    }
}

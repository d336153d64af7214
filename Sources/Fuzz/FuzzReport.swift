/// The JSON summary of a fuzz run.
struct FuzzReport: Codable, Sendable {
    /// One target's totals.
    struct TargetResult: Codable, Sendable {
        /// The target.
        var target: String
        /// Inputs run (a crashing input counts once).
        var iterations: Int
        /// Inputs that killed the process.
        var crashes: Int
        /// Wall time in seconds.
        var elapsedSeconds: Double
        /// The saved crashing inputs (`fuzz-crashes/<target>-<iteration>.bin`).
        var crashFiles: [String]

        enum CodingKeys: String, CodingKey {
            case target, iterations, crashes
            case elapsedSeconds = "elapsed_seconds"
            case crashFiles = "crash_files"
        }
    }

    /// The run's seed.
    var seed: UInt64
    /// `debug` or `release`.
    var build: String
    /// Per target.
    var targets: [TargetResult]
    /// Sum of iterations.
    var totalIterations: Int { targets.reduce(0) { $0 + $1.iterations } }
    /// Sum of crashes.
    var totalCrashes: Int { targets.reduce(0) { $0 + $1.crashes } }

    enum CodingKeys: String, CodingKey {
        case seed, build, targets
        case totalIterations = "total_iterations"
        case totalCrashes = "total_crashes"
    }

    init(seed: UInt64, build: String, targets: [TargetResult]) {
        self.seed = seed
        self.build = build
        self.targets = targets
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decode(UInt64.self, forKey: .seed)
        build = try container.decode(String.self, forKey: .build)
        targets = try container.decode([TargetResult].self, forKey: .targets)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seed, forKey: .seed)
        try container.encode(build, forKey: .build)
        try container.encode(targets, forKey: .targets)
        try container.encode(totalIterations, forKey: .totalIterations)
        try container.encode(totalCrashes, forKey: .totalCrashes)
    }

    /// How this binary was built.
    static var buildConfiguration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }
}

import Lab

/// The lab's SplitMix64 (`SeededRandom`), seeded per target and iteration, so every iteration can be replayed exactly.
struct FuzzRandom: RandomNumberGenerator {
    private var generator: SeededRandom

    /// A generator for iteration `iteration` of `target` under the run's `seed`.
    init(seed: UInt64, target: String, iteration: Int) {
        generator = SeededRandom(
            seed: seed ^ Self.fnv1a(target) ^ (UInt64(truncatingIfNeeded: iteration) &* 0x9E37_79B9_7F4A_7C15))
        _ = next()
    }

    /// A generator from a raw seed.
    init(seed: UInt64) {
        generator = SeededRandom(seed: seed)
    }

    mutating func next() -> UInt64 { generator.next() }

    /// A number in `0..<bound` (`bound` > 0).
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// True with probability 1/`n`.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

    /// A stable hash of a name (Swift's `Hasher` is seeded per process, which would break replay).
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

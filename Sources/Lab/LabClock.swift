import Foundation
import Synchronization

/// The lab's notion of time, in seconds: real (for the demo and benchmarks) or manual (for tests that must not
/// depend on timing).
public protocol LabClock: Sendable {
    /// Seconds since an arbitrary start.
    func now() -> Double
}

/// Real time.
public struct RealLabClock: LabClock {
    private let start = ContinuousClock.now

    /// Creates a clock starting now.
    public init() {}

    /// Seconds since the clock was created.
    public func now() -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Time that moves only when a test says.
public final class ManualLabClock: LabClock {
    private let seconds = Mutex<Double>(0)

    /// Creates a clock at 0.
    public init() {}

    /// The current time.
    public func now() -> Double { seconds.withLock { $0 } }

    /// Moves time forward.
    public func advance(by delta: Double) {
        seconds.withLock { $0 += delta }
    }
}

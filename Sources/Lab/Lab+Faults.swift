import Foundation
import Synchronization

/// The lab's random faults: the draw for each request (seeded), and the waits some faults impose.
extension Lab {
    /// What the random draw says for one answer.
    enum Fault { case none, error, garbage, timeout, reset }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One draw in 0..<1 from the lab's seeded generator.
    func draw() -> Double {
        random.withLock { Double.random(in: 0..<1, using: &$0) }
    }

    /// The latency of one answer and the global fault it gets, at the rates for requests of `kind` (a kind's own
    /// rate replaces the global one: `LabConfig.Faults.rate(_:for:)`).
    func drawFault(_ kind: SimulatedBMC.ActionKind?) -> (Fault, Duration) {
        random.withLock { generator in
            var delay = latency.lowerBound
            if latency.upperBound > latency.lowerBound {
                delay = .seconds(
                    Double.random(
                        in: Self.seconds(latency.lowerBound)...Self.seconds(latency.upperBound), using: &generator))
            }
            let roll = Double.random(in: 0..<1, using: &generator)
            var bound = 0.0
            for fault in [Fault.error, .garbage, .timeout, .reset] {
                bound += faults.rate(fault, for: kind)
                if roll < bound { return (fault, delay) }
            }
            return (.none, delay)
        }
    }

    /// Holds the request for `duration` of real time, or until the lab shuts down (a held connection must not keep
    /// a test or `withServer` waiting for the graceful-shutdown limit).
    func hold(_ duration: Duration) async {
        let end = ContinuousClock.now + duration
        while !stopping.withLock({ $0 }), !Task.isCancelled {
            let left = end - ContinuousClock.now
            guard left > .zero else { return }
            try? await Task.sleep(for: min(left, .milliseconds(50)))
        }
    }
}

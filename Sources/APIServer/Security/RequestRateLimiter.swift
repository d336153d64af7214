import Foundation
import Synchronization

/// A token bucket per API token: `burst` requests at once, refilled at `perSecond`. Over the rate, a request is
/// refused with the seconds until one is allowed again.
public final class RequestRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// Requests per second a token may make on average (0: unlimited).
    public let perSecond: Double
    /// Requests a token may make at once.
    public let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock = ContinuousClock()

    /// A limiter; `perSecond` 0 admits everything.
    public init(perSecond: Double, burst: Int) {
        self.perSecond = max(0, perSecond)
        self.burst = Double(max(1, burst))
    }

    /// Nil when the request of `key` may go ahead (and counts it); otherwise the whole seconds to wait.
    func admit(_ key: String) -> Int? {
        guard perSecond > 0 else { return nil }
        let now = clock.now
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return Int(min(3600, max(1, ((1 - bucket.tokens) / perSecond).rounded(.up))))
        }
    }
}

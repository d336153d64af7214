/// The server's protections that an operator may tune: per-token request rate, live streams per token, and how
/// soon an open stream notices its token was revoked or expired.
public struct APISecurity: Sendable {
    /// Requests per second each token may make on average (0: unlimited).
    public var requestsPerSecond: Double
    /// Requests a token may make at once before the rate applies.
    public var burst: Int
    /// Live event streams (`/api/v1/events`) open at once per token.
    public var streamsPerToken: Int
    /// How often an open stream re-reads its token (a revoked or expired one ends the stream).
    public var tokenRecheck: Duration

    /// Defaults: 50 requests/s with bursts of 200, 4 streams per token, tokens re-checked every 2 s.
    public init(
        requestsPerSecond: Double = 50, burst: Int = 200, streamsPerToken: Int = 4,
        tokenRecheck: Duration = .seconds(2)
    ) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.streamsPerToken = streamsPerToken
        self.tokenRecheck = tokenRecheck
    }
}

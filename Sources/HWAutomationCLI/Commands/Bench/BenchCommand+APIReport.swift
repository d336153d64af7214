import Foundation
import Store

/// What `hwautomation bench api` prints.
struct APIBenchReport: Encodable {
    /// One call's (or one set of concurrent calls') times over the tries, in milliseconds.
    struct Timing: Encodable {
        var paths: [String]
        var statuses: [Int]
        var firstMs: Double
        var p50Ms: Double
        var p99Ms: Double
        var maxMs: Double

        enum CodingKeys: String, CodingKey {
            case paths, statuses
            case firstMs = "first_ms"
            case p50Ms = "p50_ms"
            case p99Ms = "p99_ms"
            case maxMs = "max_ms"
        }
    }

    /// The SSE catch-up of a client reconnecting from event 0.
    struct CatchUp: Encodable {
        var path: String
        var truncated: Bool
        var events: Int
        var bound: Int
        var firstEventMs: Double
        var p50Ms: Double
        var p99Ms: Double

        enum CodingKeys: String, CodingKey {
            case path, truncated, events, bound
            case firstEventMs = "first_event_ms"
            case p50Ms = "p50_ms"
            case p99Ms = "p99_ms"
        }
    }

    /// The dashboard's first render in headless Chromium.
    struct Dashboard: Encodable {
        /// From navigation start to the fleet and runs first drawn, as the page measured it.
        var firstRenderMs: Double?
        /// The Chromium process, start to exit (its own start-up included).
        var chromiumSeconds: Double
        var serverRows: Int
        var rendered: Bool

        enum CodingKeys: String, CodingKey {
            case firstRenderMs = "first_render_ms"
            case chromiumSeconds = "chromium_seconds"
            case serverRows = "server_rows"
            case rendered
        }
    }

    /// The prune of finished runs' progress events.
    struct Prune: Encodable {
        /// ISO 8601.
        var finishedBefore: String
        var pruned: Int
        var eventsStored: Int
        var milliseconds: Double

        enum CodingKeys: String, CodingKey {
            case pruned, milliseconds
            case finishedBefore = "finished_before"
            case eventsStored = "events_stored"
        }
    }

    var benchmark = "api"
    var build = BenchFigures.build
    var store = ""
    var runs: Int
    var events: Int
    var servers: Int
    var tries: Int
    var fillSeconds: JSONNumberOrText = .number(0)
    var endpoints: [String: Timing] = [:]
    var sseCatchUp: CatchUp?
    var dashboard: Dashboard?
    var prune: Prune?
    var targetMs = 50
    var dashboardTargetMs = 2000

    /// Whether every listing and detail's p50 is under `targetMs` and the dashboard (when measured) under its
    /// target.
    var targetsMet: Bool {
        endpoints.values.allSatisfy { $0.p50Ms < Double(targetMs) }
            && (dashboard?.firstRenderMs).map { $0 < Double(dashboardTargetMs) } ?? true
    }

    enum CodingKeys: String, CodingKey {
        case benchmark, build, store, runs, events, servers, tries, endpoints, dashboard, prune
        case fillSeconds = "fill_seconds"
        case sseCatchUp = "sse_catch_up"
        case targetMs = "target_ms"
        case dashboardTargetMs = "dashboard_target_ms"
        case targetsMet = "targets_met"
        case peakRSS = "peak_rss_mb"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(benchmark, forKey: .benchmark)
        try container.encode(build, forKey: .build)
        try container.encode(store, forKey: .store)
        try container.encode(runs, forKey: .runs)
        try container.encode(events, forKey: .events)
        try container.encode(servers, forKey: .servers)
        try container.encode(tries, forKey: .tries)
        try container.encode(fillSeconds, forKey: .fillSeconds)
        try container.encode(endpoints, forKey: .endpoints)
        try container.encode(sseCatchUp, forKey: .sseCatchUp)
        try container.encode(dashboard, forKey: .dashboard)
        try container.encode(prune, forKey: .prune)
        try container.encode(targetMs, forKey: .targetMs)
        try container.encode(dashboardTargetMs, forKey: .dashboardTargetMs)
        try container.encode(targetsMet, forKey: .targetsMet)
        try container.encode(BenchFigures.peakRSSMegabytes(), forKey: .peakRSS)
    }

    /// `duration` in milliseconds, to the microsecond.
    static func milliseconds(_ duration: Duration) -> Double {
        (BenchFigures.seconds(duration) * 1_000_000).rounded() / 1000
    }

    /// The `fraction` percentile (nearest rank) of `values`.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Remote
import Store

/// The client side of `bench api`: times the API's calls, the SSE catch-up and the dashboard in Chromium.
struct APIBenchProbe: Sendable {
    /// `http://127.0.0.1:PORT`.
    let base: String
    /// A read token's secret.
    let token: String
    let tries: Int
    let history: SyntheticHistory
    let logger: Logger
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)

    /// Why a measured call failed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Ends the client's connections.
    func shutdown() async {
        try? await client.shutdown()
    }

    /// Every figure but the store's own (fill, prune).
    func measure(chromium: String?, scratch: URL) async throws -> APIBenchReport {
        var report = APIBenchReport(
            runs: history.runs, events: history.runs * history.eventsPerRun, servers: history.servers, tries: tries)
        let middle = max(1, history.runs / 2)
        // A failed run (i % 100 == 3) near the middle of the history, when there is one.
        let sampleIndex = middle / 100 * 100 + 3 <= history.runs ? middle / 100 * 100 + 3 : middle
        let run = SyntheticHistory.runID(sampleIndex)
        let server = "/api/v1/servers/" + SyntheticHistory.serverID(sampleIndex % history.servers)
        let batch = String(format: "bench-batch-%05d", sampleIndex / 100)
        let list = "/api/v1/workflows?limit=50"
        let calls: [(String, [String])] = [
            ("list_first_page", [list]),
            ("list_deep_page", [list + "&offset=\(history.runs * 9 / 10)"]),
            ("list_by_state", [list + "&state=failed"]),
            ("list_by_state_deep_page", [list + "&state=succeeded&offset=\(history.runs * 8 / 10)"]),
            ("list_by_server", [list + "&server=" + SyntheticHistory.serverID(sampleIndex % history.servers)]),
            ("list_by_batch", [list + "&batch=" + batch]),
            ("list_by_definition", [list + "&definition=" + SyntheticHistory.definitions[1]]),
            (
                "server_detail",
                [
                    server, server + "/inventory", server + "/classification", server + "/bios/plan",
                    server + "/workflows",
                ]
            ),
            ("server_workflows", [server + "/workflows"]),
            ("server_bios_plan", [server + "/bios/plan"]),
            ("workflow_detail", ["/api/v1/workflows/" + run]),
            ("workflow_events", ["/api/v1/workflows/" + run + "/events"]),
            ("metrics", ["/metrics"]),
        ]
        for (name, paths) in calls {
            report.endpoints[name] = try await time(paths)
        }
        report.sseCatchUp = try await catchUp()
        if let chromium {
            report.dashboard = try await dashboard(chromium: chromium, scratch: scratch)
        }
        return report
    }

    /// GET `path` with the token; its status and body size.
    private func get(_ path: String) async throws -> (status: Int, bytes: Int) {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        let status = Int(response.status.code)
        // The server's detail asks for what a server without inventory does not have: 404 is its answer.
        guard status == 200 || status == 404 else {
            throw Failure(description: "GET \(path): HTTP \(status): \(String(buffer: body).prefix(300))")
        }
        return (status, body.readableBytes)
    }

    /// `paths` requested at once, `tries` times after a first (cold) time.
    private func time(_ paths: [String]) async throws -> APIBenchReport.Timing {
        let clock = ContinuousClock()
        var statuses: [Int] = []
        var times: [Double] = []
        for attempt in 0...tries {
            var answered: [Int] = []
            let elapsed = try await clock.measure {
                answered = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                    for (index, path) in paths.enumerated() {
                        group.addTask { (index, try await get(path).status) }
                    }
                    var statuses = Array(repeating: 0, count: paths.count)
                    for try await (index, status) in group { statuses[index] = status }
                    return statuses
                }
            }
            statuses = answered
            times.append(APIBenchReport.milliseconds(elapsed))
            _ = attempt
        }
        let warm = Array(times.dropFirst())
        return APIBenchReport.Timing(
            paths: paths, statuses: statuses, firstMs: times[0], p50Ms: APIBenchReport.percentile(warm, 0.5),
            p99Ms: APIBenchReport.percentile(warm, 0.99), maxMs: warm.max() ?? 0)
    }

    /// A client reconnecting from event 0: the time to its first event and to the end of its (bounded) catch-up.
    private func catchUp() async throws -> APIBenchReport.CatchUp {
        let stored = history.runs * history.eventsPerRun
        let bound = 1000
        let expected = min(bound, stored)
        let path = "/api/v1/events?after=0&max_seconds=2"
        let clock = ContinuousClock()
        var times: [Double] = []
        var firsts: [Double] = []
        var received = 0
        var truncated = false
        for _ in 0..<min(tries, 3) {
            var request = HTTPClientRequest(url: base + path)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let start = clock.now
            let response = try await client.execute(request, timeout: .seconds(60))
            guard response.status == .ok else {
                throw Failure(description: "GET \(path): HTTP \(response.status.code)")
            }
            var text = ""
            var count = 0
            var first: Double?
            var done: Double?
            truncated = false
            // Read to the stream's end (max_seconds), so that its slot is free for the next try.
            for try await chunk in response.body {
                text += String(buffer: chunk)
                while let end = text.range(of: "\n\n") {
                    let frame = text[..<end.lowerBound]
                    text = String(text[end.upperBound...])
                    if frame.hasPrefix("event: truncated") {
                        truncated = true
                    } else if frame.contains("data: ") {
                        count += 1
                        let now = APIBenchReport.milliseconds(clock.now - start)
                        if first == nil { first = now }
                        if count == expected { done = now }
                    }
                }
            }
            guard let done, let first else {
                throw Failure(description: "GET \(path): \(count) event(s) caught up, \(expected) expected")
            }
            received = count
            times.append(done)
            firsts.append(first)
        }
        return APIBenchReport.CatchUp(
            path: path, truncated: truncated, events: received, bound: bound,
            firstEventMs: APIBenchReport.percentile(firsts, 0.5), p50Ms: APIBenchReport.percentile(times, 0.5),
            p99Ms: APIBenchReport.percentile(times, 0.99))
    }

    /// Headless Chromium loads the dashboard (the token handed over through a 0600 page in `scratch`, never on
    /// the command line). The first render's time is read from Chromium's log, whose timestamps are the wall
    /// clock: from the opening page's `hwa: open` to the dashboard's `hwa: first render` (the page's own
    /// `performance.now()` runs on headless Chromium's virtual time, which skips idle waits).
    private func dashboard(chromium: String, scratch: URL) async throws -> APIBenchReport.Dashboard {
        let opener = scratch.appendingPathComponent("open-dashboard.html")
        let target = base + "/dashboard/#stream=5&token=" + token
        let page =
            "<!doctype html><meta charset=utf-8><script>console.info(\"hwa: open\");"
            + "location.replace(\(Self.jsString(target)))</script>"
        guard
            FileManager.default.createFile(
                atPath: opener.path, contents: Data(page.utf8), attributes: [.posixPermissions: 0o600])
        else { throw Failure(description: "\(opener.path): cannot write the page that opens the dashboard") }
        let profile = scratch.appendingPathComponent("chromium-profile")
        let runner = ProcessRunner(logger: logger)
        let command = Command(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=\(profile.path)", "--window-size=1400,1000", "--virtual-time-budget=10000",
                "--enable-logging=stderr", "--v=0", "--dump-dom", opener.absoluteString,
            ], timeout: .seconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await runner.run(command)
        let seconds = BenchFigures.seconds(clock.now - start)
        try? FileManager.default.removeItem(at: opener)
        guard result.succeeded else {
            throw Failure(description: "\(chromium): \(result.termination): \(result.standardError.suffix(500))")
        }
        let dom = result.standardOutput
        let opened = Self.logTime(of: "\"hwa: open", in: result.standardError)
        let rendered = Self.logTime(of: "\"hwa: first render", in: result.standardError)
        var firstRender: Double?
        if let opened, let rendered {
            // Past midnight the log's time of day starts again.
            let elapsed = rendered >= opened ? rendered - opened : rendered + 86_400 - opened
            firstRender = (elapsed * 10_000).rounded() / 10
        }
        return APIBenchReport.Dashboard(
            firstRenderMs: firstRender, chromiumSeconds: (seconds * 1000).rounded() / 1000,
            serverRows: dom.components(separatedBy: "class=\"clickable server-row").count - 1,
            rendered: dom.contains("data-first-render-ms="))
    }

    /// The time of day, in seconds, of the first Chromium log line holding `marker`
    /// (`[pid:tid:MMDD/HHMMSS.micro:INFO:CONSOLE…] "marker…"`).
    static func logTime(of marker: String, in log: String) -> Double? {
        for line in log.split(separator: "\n") where line.contains(marker) {
            let fields = line.split(separator: ":")
            guard fields.count > 2, let slash = fields[2].firstIndex(of: "/") else { continue }
            let clock = fields[2][fields[2].index(after: slash)...]
            guard clock.count >= 8, let hours = Double(clock.prefix(2)),
                let minutes = Double(clock.dropFirst(2).prefix(2)), let rest = Double(clock.dropFirst(4))
            else { continue }
            return hours * 3600 + minutes * 60 + rest
        }
        return nil
    }

    /// `text` as a JavaScript string literal.
    static func jsString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

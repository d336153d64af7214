import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Inventory
import Logging
import NIOHTTP1
import Redfish
import ServiceLifecycle
import Synchronization

/// Many simulated BMCs behind one HTTP listener, each under its own path prefix `/bmc/<n>` (its base URL is
/// `http://host:port/bmc/<n>`; its Redfish root `…/bmc/<n>/redfish/v1`, and every `@odata.id` it returns carries
/// the prefix). One listener keeps a thousand BMCs to one socket and one event loop group. Each BMC can also be
/// served at the root of a port of its own (`http://host:port/redfish/v1`, links as a real BMC writes them), sharing
/// its state with the prefix listener: see `serve(host:port:bmcPorts:untilSignalled:onRunning:)`.
public final class Lab: Sendable {
    /// One BMC and the lock around its state.
    public final class Node: Sendable {
        /// Index in the lab (the `n` of `/bmc/<n>`).
        public let index: Int
        let state: Mutex<SimulatedBMC>
        /// Requests that reached this BMC through the lab's listeners, by method (`GET`, `PATCH`, …), counted on
        /// arrival: with those answered by an injected fault (see `LabCountersReport`).
        let requestsByMethod = Mutex<[String: Int]>([:])
        /// The same requests by method and path below the lab's prefix (`GET /redfish/v1/Systems?$expand=.`).
        let requestsByPath = Mutex<[String: Int]>([:])

        init(index: Int, bmc: SimulatedBMC) {
            self.index = index
            state = Mutex(bmc)
        }

        /// Reads or changes the BMC's state (tests inspect counters and BIOS values; fault injection).
        public func withState<T: Sendable>(_ body: (inout SimulatedBMC) -> T) -> T {
            state.withLock { body(&$0) }
        }
    }

    /// The BMCs.
    public let nodes: [Node]
    /// Time.
    public let clock: any LabClock
    /// Added to every answer (a BMC's slowness): uniform in this range.
    public let latency: ClosedRange<Duration>
    /// Faults injected at random.
    public let faults: LabConfig.Faults
    let random: Mutex<SeededRandom>
    /// Set while the lab shuts down: held connections (`timeout`, `no_answer`) stop waiting.
    let stopping = Mutex(false)
    let logger: Logger
    /// The simulated MAAS region, when the lab has one (`http://host:port/MAAS/api/2.0/`).
    public let maas: MAASNode?
    /// The login the lab's own endpoints (`/lab/counters`) accept: the BMCs' user and password as configured.
    let login: (user: String, password: String)

    /// The lab's MAAS and the lock around its state.
    public final class MAASNode: Sendable {
        let state: Mutex<SimulatedMAAS>
        let log = Mutex<[Received]>([])

        /// One request as it arrived, byte for byte (tests compare clients' requests with the API description).
        public struct Received: Sendable {
            /// `GET`, `POST`.
            public var method: String
            /// Path and query as sent (`/MAAS/api/2.0/machines/?op=...`).
            public var target: String
            /// The Content-Type header.
            public var contentType: String?
            /// The Authorization header.
            public var authorization: String?
            /// The body as sent.
            public var body: String
        }

        init(_ maas: SimulatedMAAS) {
            state = Mutex(maas)
        }

        /// Every request received so far, in order.
        public var received: [Received] { log.withLock { $0 } }

        /// Reads or changes the MAAS state (tests).
        public func withState<T: Sendable>(_ body: (inout SimulatedMAAS) -> T) -> T {
            state.withLock { body(&$0) }
        }
    }

    /// A lab of `servers`, each behind a BMC with `settings`; with `maasAPIKey`, a MAAS over them whose hosts boot
    /// at `maasHostAddress(index)` (default: each server's `hostAddress`).
    public init(
        servers: [ServerModel], settings: SimulatedBMC.Settings = SimulatedBMC.Settings(),
        clock: any LabClock = RealLabClock(),
        latency: ClosedRange<Duration> = .zero ... .zero, faults: LabConfig.Faults = .none, maasAPIKey: String? = nil,
        maasOperationSeconds: Double = 5, maasHostAddress: ((Int) -> String)? = nil,
        logger: Logger = Logger(label: "hwautomation.lab")
    ) {
        var bmcSettings = settings
        if let restart = faults.restartAfterUpdate { bmcSettings.restartAfterUpdate = restart }
        // The BMCs' clocks read the wall clock: lab time 0 is when the lab's clock started.
        bmcSettings.epoch = Date().addingTimeInterval(-clock.now())
        nodes = servers.enumerated().map { [bmcSettings] in
            Node(index: $0.offset, bmc: SimulatedBMC(server: $0.element, settings: bmcSettings))
        }
        self.clock = clock
        self.latency = latency
        self.faults = faults
        random = Mutex(SeededRandom(seed: faults.seed ?? 0x4857_4121))
        self.logger = logger
        login = (settings.user, settings.password)
        maas = maasAPIKey.map { [nodes] key in
            Self.maasNode(
                servers: servers, nodes: nodes, settings: settings, apiKey: key, operationSeconds: maasOperationSeconds,
                hostAddress: maasHostAddress)
        }
    }

    /// The MAAS API base of a lab listening on `port`.
    public static func maasURL(host: String = "127.0.0.1", port: Int) -> URL {
        URL(string: "http://\(host):\(port)/MAAS/api/2.0/")!
    }

    /// The base URL of BMC `index` on a lab listening on `port`.
    public static func baseURL(host: String = "127.0.0.1", port: Int, index: Int) -> URL {
        URL(string: "http://\(host):\(port)/bmc/\(index)")!
    }

    /// Answers one HTTP request (routing by prefix, latency, then the BMC's own behaviour).
    func respond(_ request: Request, context: LabRequestContext) async throws -> Response {
        if request.uri.path.hasPrefix("/MAAS/api/2.0/"), let maas {
            return try await respondMAAS(request, maas)
        }
        if request.uri.path == Self.countersPath { return respondCounters(request) }
        let path = request.uri.path
        let components = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: true)
        guard components.count >= 2, components[0] == "bmc", let index = Int(components[1]),
            nodes.indices.contains(index)
        else {
            return Self.encode(.error(404, "Base.1.8.ResourceMissingAtURI", "No lab BMC at \(path)."))
        }
        let rest = components.count > 2 ? "/" + components[2] : "/"
        return try await respond(request, context: context, node: index, path: rest, prefixed: true)
    }

    /// Answers a request to BMC `index` for `rest` (its path below any lab prefix): latency and faults, then the
    /// BMC's own behaviour; with `prefixed`, every `/redfish/v1` link in the answer carries `/bmc/<index>`.
    func respond(
        _ request: Request, context: LabRequestContext, node index: Int, path rest: String, prefixed: Bool
    ) async throws -> Response {
        nodes[index].requestsByMethod.withLock { $0[request.method.rawValue, default: 0] += 1 }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        var body: JSONValue?
        let buffer = try await request.body.collect(upTo: 64 * 1024 * 1024)
        let raw = Data(buffer.readableBytesView)
        if !raw.isEmpty, !(headers["content-type"] ?? "").hasPrefix("multipart/") {
            body = (try? JSONValue.parse(raw)) ?? .string(String(decoding: raw, as: UTF8.self))
        }
        let query = (request.uri.query ?? "").removingPercentEncoding ?? ""
        let key = "\(request.method.rawValue) \(rest)" + (query.isEmpty ? "" : "?" + query)
        nodes[index].requestsByPath.withLock { $0[key, default: 0] += 1 }
        var labRequest = LabRequest(
            method: request.method.rawValue, path: rest, headers: headers, body: body, query: query, raw: raw)
        let node = nodes[index]
        let kind = SimulatedBMC.ActionKind(labRequest)
        let isChange = kind?.isChange == true
        if isChange {
            let arrival = clock.now()
            node.withState { $0.changeArrived(now: arrival) }
        }
        defer {
            if isChange { node.withState { $0.changeFinished() } }
        }
        let (fault, delay) = drawFault(kind)
        if delay > .zero { try? await Task.sleep(for: delay) }
        switch fault {
        case .none: break
        case .error: return Self.encode(.error(503, "Base.1.8.ServiceTemporarilyUnavailable", "Injected lab fault."))
        case .garbage: return Self.encode(LabResponse(status: 200, rawBody: "<html>injected lab fault</html>"))
        case .timeout:
            await hold(faults.hang)
            return Self.encode(.error(503, "Base.1.8.ServiceTemporarilyUnavailable", "Injected lab timeout."))
        case .reset:
            await context.resetConnection()
            throw LabError(message: "injected connection reset")
        }
        if let kind, let slow = faults.slow?[kind.rawValue], draw() < slow.rate {
            node.withState { $0.counters.slowedAnswers += 1 }
            await hold(.milliseconds(slow.ms))
        }
        if labRequest.method == "POST", rest.hasSuffix("UpdateService.SimpleUpdate"),
            let uri = body?["ImageURI"].string, let url = URL(string: uri), ["http", "https"].contains(url.scheme),
            Self.isLoopback(url.host)
        {
            // A real BMC downloads the image itself; so does a lab BMC, before it answers — from this machine only
            // (an image elsewhere is taken by its file name, and the lab never reaches beyond loopback).
            (labRequest.raw, labRequest.headers["x-lab-image-fetch"]) = await Self.download(uri)
        }
        // `lost_answer` and `no_answer` faults: this request, if performed, loses its answer or is never answered.
        var lose: SimulatedBMC.ActionKind?
        var withhold = false
        if let kind, let rate = faults.lostAnswer?[kind.rawValue], draw() < rate { lose = kind }
        if lose == nil, let kind, let rate = faults.noAnswer?[kind.rawValue], draw() < rate { withhold = true }
        let now = clock.now()
        let (answer, lost) = node.withState { bmc -> (LabResponse, Bool) in
            guard let lose else { return (bmc.handle(labRequest, now: now), false) }
            bmc.lostAnswers[lose, default: []].insert(.connectionReset, at: 0)
            let armed = bmc.lostAnswers[lose]?.count ?? 0
            let answer = bmc.handle(labRequest, now: now)
            let consumed = (bmc.lostAnswers[lose]?.count ?? 0) < armed
            if !consumed { bmc.lostAnswers[lose]?.removeFirst() }
            if bmc.lostAnswers[lose]?.isEmpty == true { bmc.lostAnswers[lose] = nil }
            return (answer, consumed)
        }
        if withhold {
            node.withState { $0.counters.answersWithheld += 1 }
            await hold(faults.hang)
            await context.resetConnection()
            throw LabError(message: "no answer within \(faults.hang) after the request was performed (no_answer)")
        }
        if lost, let status = faults.lostAnswerStatus {
            return Self.encode(.error(status, "Base.1.8.ServiceTemporarilyUnavailable", "Injected lost answer."))
        }
        if answer.dropsConnection {
            await context.resetConnection()
            throw LabError(message: "connection reset instead of an answer (lost answer, or the BMC restarting)")
        }
        var final = prefixed ? self.prefixed(answer, index: index) : answer
        // Every answer of a Redfish service states the OData version it speaks.
        final.headers["OData-Version"] = "4.0"
        return Self.encode(final)
    }

    /// Whether `host` is this machine (127.0.0.0/8, ::1, localhost).
    static func isLoopback(_ host: String?) -> Bool {
        guard let host else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Downloads a SimpleUpdate's image (64 MiB at most, 60 s): its bytes and `ok`, or nothing and why not.
    static func download(_ uri: String) async -> (Data, String) {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: uri), timeout: .seconds(60))
            guard response.status == .ok else { return (Data(), "HTTP \(response.status.code) from \(uri)") }
            let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            return (Data(body.readableBytesView), "ok")
        } catch {
            return (Data(), "\(error) (\(uri))")
        }
    }

    /// Puts `/bmc/<n>` in front of every `/redfish/v1` link the BMC wrote.
    private func prefixed(_ response: LabResponse, index: Int) -> LabResponse {
        var response = response
        let prefix = "/bmc/\(index)"
        func rewrite(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string(let text) where text.hasPrefix("/redfish/v1"): return .string(prefix + text)
            case .array(let items): return .array(items.map(rewrite))
            case .object(let members): return .object(members.mapValues(rewrite))
            default: return value
            }
        }
        response.body = response.body.map(rewrite)
        if let location = response.headers["Location"], location.hasPrefix("/redfish/v1") {
            response.headers["Location"] = prefix + location
        }
        return response
    }

    static func encode(_ response: LabResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        var data = Data()
        if let raw = response.rawBody {
            data = Data(raw.utf8)
        } else if let body = response.body {
            data = body.encoded()
        }
        if !data.isEmpty, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Serves the lab on `host:port` (0 picks a free port) until the task is cancelled or, with
    /// `untilSignalled`, until SIGINT/SIGTERM; `onRunning` gets the port.
    public func serve(
        host: String = "127.0.0.1", port: Int = 0, untilSignalled: Bool = false,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await serve(host: host, port: port, bmcPorts: [], untilSignalled: untilSignalled) { listeners in
            await onRunning(listeners.port)
        }
    }

    /// The shared listener on `host:port`: every BMC under `/bmc/<n>`, and the MAAS.
    func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void)
        -> some ApplicationProtocol
    {
        listener(host: host, port: port, onRunning: onRunning) { [self] request, context in
            try await self.respond(request, context: context)
        }
    }

    /// A quiet Hummingbird listener on `host:port` answering with `respond`; `onRunning` gets the bound port.
    func listener(
        host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void,
        respond: @escaping @Sendable (Request, LabRequestContext) async throws -> Response
    ) -> some ApplicationProtocol {
        var quiet = logger
        quiet.logLevel = .critical
        return Application(
            responder: CallbackResponder<LabRequestContext>(callback: respond),
            configuration: .init(address: .hostname(host, port: port), serverName: "HWAutomation-Lab"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: quiet)
    }

    /// Runs `body` with the lab serving on a free loopback port, then stops it gracefully: the listener closes
    /// first (a client still at work gets a refused connection, not a half-accepted one), answers in flight are
    /// finished (10 s at most).
    public func withServer<T: Sendable>(_ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
        try await withListeners(perBMC: false) { listeners in try await body(listeners.port) }
    }
}

import APIServer
import Catalog
import Firmware
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Inventory
import Lab
import Logging
import NIOCore
import Orchestration
import Remote
import Store
import Testing
import WorkflowEngine

/// A server over a lab of simulated BMCs (and its MAAS), an in-memory or SQLite store, and two tokens.
struct APIFixture: Sendable {
    let store: any Store
    let lab: Lab
    let servers: [ServerModel]
    let catalog: LoadedCatalog
    let admin: String
    let reader: String
    /// A token of scope `operator`.
    let operatorToken: String
    let maasKey: String
    let labPassword: String

    /// The device types the lab's known servers are built from, in order (node-1 is the first).
    var labTypes: [String] {
        catalog.catalog.sortedDeviceTypes().filter { $0.origin == .unified }.map(\.name)
    }

    /// Records lab server `node-<i+1>` as its type (`labTypes[i]`) for each `i` of `indices`, with `status` when given,
    /// as its commissioning would have left it.
    func recordLabTypes(_ indices: some Sequence<Int>, status: String? = nil) async throws {
        let types = labTypes
        for index in indices {
            var record = try #require(try await store.server(id: "node-\(index + 1)"))
            record.deviceType = types[index]
            if let status { record.status = status }
            try await store.upsertServer(record)
        }
    }

    /// `nodes` lab servers (plus `unknown` no catalog type describes), tokens `admin` and `reader`; the catalog from
    /// `catalogDirectory` (the built-in one when nil).
    static func make(
        nodes: Int = 3, unknown: Int = 0, postSeconds: Double = 0.2, store: (any Store)? = nil,
        catalogDirectory: String? = nil
    ) async throws -> APIFixture {
        let loaded = try CatalogLoader.load(directory: catalogDirectory)
        var config = LabConfig()
        config.nodes = nodes
        config.unknown = unknown
        // The unified types in name order (`labTypes`), not the lab's default turn-taking by vendor.
        config.types = loaded.catalog.sortedDeviceTypes().filter { $0.origin == .unified }.map(\.name)
        let servers = try config.servers(catalog: loaded.catalog)
        var settings = config.bmcSettings
        settings.postSeconds = postSeconds
        let maasKey = "c0nsumer:t0ken:s3cret"
        var quiet = Logger(label: "api-test.lab")
        quiet.logLevel = .critical
        let lab = Lab(
            servers: servers, settings: settings, maasAPIKey: maasKey, maasOperationSeconds: 0.3, logger: quiet)
        let store = store ?? InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        try await store.putCredential(name: "maas", user: nil, secret: maasKey, kind: "maas", scope: .loopbackLab)
        let (admin, adminSecret) = APIToken.make(name: "admin", scope: .admin)
        let (reader, readerSecret) = APIToken.make(name: "reader", scope: .read)
        let (operatorToken, operatorSecret) = APIToken.make(name: "operator", scope: .operator)
        try await store.createToken(admin)
        try await store.createToken(reader)
        try await store.createToken(operatorToken)
        return APIFixture(
            store: store, lab: lab, servers: servers, catalog: loaded, admin: adminSecret, reader: readerSecret,
            operatorToken: operatorSecret, maasKey: maasKey, labPassword: settings.password)
    }

    /// Runs `body` with the lab listening, the servers stored as `node-N` (BMC in the lab, credential `lab`), and
    /// the API server live on a free port.
    func withServer<T: Sendable>(
        storeServers: Bool = true, firmware: FirmwareLibrary? = nil, security: APISecurity = APISecurity(),
        _ body: @escaping @Sendable (APIServer, any TestClientProtocol, Int) async throws -> T
    ) async throws -> T {
        let store = store
        let catalog = catalog
        let servers = servers
        return try await lab.withServer { port in
            if storeServers {
                for index in servers.indices {
                    try await store.upsertServer(
                        ServerRecord(
                            id: "node-\(index + 1)", name: "node-\(index + 1)",
                            bmcAddress: Lab.baseURL(port: port, index: index).absoluteString, credential: "lab"))
                }
            }
            var logger = Logger(label: "api-test")
            logger.logLevel = .warning
            let metrics = APIMetrics()
            var services = CommissioningServices(
                catalog: catalog.catalog, store: store, runner: ProcessRunner(logger: logger),
                hostTimeout: .seconds(120), firstPoll: .milliseconds(200), redfishUsage: metrics.recordRedfish,
                logger: logger)
            let library =
                firmware
                ?? FirmwareLibrary(
                    directory: FileManager.default.temporaryDirectory
                        .appendingPathComponent("hwa-no-firmware-\(UUID().uuidString)"))
            var options = FirmwareUpdater.Options()
            options.activationPoll = .milliseconds(50)
            services.firmware = FirmwareServices(library: library, options: options)
            services.firmware?.retryDelay = .milliseconds(10)
            let engine = Engine(
                repository: store, definitions: CommissioningWorkflows.definitions(services),
                limits: Engine.Limits(global: 16), logger: logger)
            let server = APIServer(
                store: store, engine: engine, catalog: catalog,
                maas: MAASSettings(url: Lab.maasURL(port: port), credential: "maas"), metrics: metrics,
                firmware: library, security: security, logger: logger)
            return try await server.application(host: "127.0.0.1", port: 0).test(.live) { client in
                try await body(server, client, port)
            }
        }
    }
}

extension TestClientProtocol {
    /// A request with a bearer token and an optional JSON body.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await executeRequest(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body as JSON.
    func object() throws -> Any { try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) }

    /// The body as a JSON object.
    func dictionary() throws -> [String: Any] { try #require(try object() as? [String: Any]) }

    /// The body as a JSON array of objects.
    func array() throws -> [[String: Any]] { try #require(try object() as? [[String: Any]]) }

    /// The body as an RFC 9457 problem (and the content type says so).
    func problem() throws -> ProblemDetails {
        #expect(headers[.contentType] == "application/problem+json")
        return try JSONDecoder().decode(ProblemDetails.self, from: Data(body.readableBytesView))
    }
}

/// Polls `condition` until it holds (at most `seconds`, generously: the wait ends as soon as it holds).
func eventually(
    _ what: String, seconds: Double = 120, _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("timed out waiting for \(what)")
    throw CancellationError()
}

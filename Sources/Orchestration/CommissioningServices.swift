import BIOS
import Catalog
import Firmware
import Foundation
import Inventory
import Logging
import Redfish
import Remote
import Store
import Synchronization
import WorkflowEngine

/// What the commissioning steps work with: the catalog, the store (credentials, servers, backups), and how to
/// reach BMCs and hosts. Secrets never travel in a workflow's input: it names a stored credential.
public struct CommissioningServices: Sendable {
    /// The device catalog (fixed for the services' life: what is derived from it is kept).
    public let catalog: Catalog
    /// Its classifier (built once).
    public var classifier: Classifier
    /// Credentials, servers, backups, audit.
    public var store: any Store
    /// Starts ssh and ipmitool.
    public var runner: ProcessRunner
    /// The ipmitool run out of band (a name on PATH, or a path).
    public var ipmitool = "ipmitool"
    /// AttributeRegistries, shared by servers of one model.
    public var registries: RegistryCache
    /// How long a host may take to come back after a reset.
    public var hostTimeout: Duration
    /// The first look at a resetting host (the lab's POST is short; real servers take minutes).
    public var firstPoll: Duration
    /// The time between looks at a host in POST (`RedfishClient.waitForPOSTEnd`).
    public var postPoll: Duration = .seconds(2)
    /// Redfish clients, one per BMC for the life of a workflow.
    public let clients: RedfishClientCache
    /// Each device type's desired BIOS state, derived from the catalog once (plan, apply and verify need it).
    let desiredStates = DesiredStates()
    /// The MAAS region runs commission in when their input names none (from HWA_MAAS_URL / HWA_MAAS_API_KEY).
    public var maas: (url: URL, apiKey: String)?
    /// The firmware repository and how images reach BMCs; nil when none is configured (firmware steps then fail
    /// with a clear error, or find nothing to do when no update is planned).
    public var firmware: FirmwareServices?
    /// Opens a shell on a host: SSH by default; the lab's simulated hosts stand in for them in the demo.
    public var shells: @Sendable (SSHTarget, ProcessRunner, Logger) async throws -> any RemoteShell = {
        target, runner, logger in try SSHSession(target: target, runner: runner, logger: logger)
    }

    /// Services.
    public init(
        catalog: Catalog, store: any Store, runner: ProcessRunner, registries: RegistryCache = .shared,
        hostTimeout: Duration = .seconds(1800), firstPoll: Duration = .seconds(10),
        maas: (url: URL, apiKey: String)? = nil, redfishUsage: (@Sendable (RedfishUsage) -> Void)? = nil,
        logger: Logger
    ) {
        self.maas = maas
        self.catalog = catalog
        classifier = Classifier(catalog: catalog)
        self.store = store
        self.runner = runner
        self.registries = registries
        self.hostTimeout = hostTimeout
        self.firstPoll = firstPoll
        clients = RedfishClientCache(logger: logger, usage: redfishUsage)
    }

    /// `type`'s desired BIOS state (derived once per type; the catalog does not change).
    func desired(_ type: DeviceType) throws -> DesiredBIOSState {
        if let known = desiredStates.states.withLock({ $0[type.name] }) { return known }
        let made = try DesiredBIOSState(type: type, catalog: catalog)
        desiredStates.states.withLock { $0[type.name] = made }
        return made
    }

    /// The stored credential `name` for a connection to `url`, checked before anything connects: refused (a
    /// permanent step error naming the credential and the address) when its bindings do not include the URL's host,
    /// or the URL is plain http and the credential does not allow it.
    func credential(_ name: String?, for what: String, sendingTo url: URL) async throws -> Credential {
        let credential = try await stored(name, for: what)
        do {
            try credential.check(sendingTo: url)
        } catch {
            throw StepError("\(error)")
        }
        return credential
    }

    /// The stored credential `name` for a protocol without URLs (IPMI) to `host`, checked against its bindings
    /// before anything connects.
    func credential(_ name: String?, for what: String, host: String) async throws -> Credential {
        let credential = try await stored(name, for: what)
        do {
            try credential.check(host: host)
        } catch {
            throw StepError("\(error)")
        }
        return credential
    }

    /// The stored credential `name` (a step error naming it when absent).
    private func stored(_ name: String?, for what: String) async throws -> Credential {
        guard let name, !name.isEmpty else {
            throw StepError("no credential given for \(what); store one with `hwautomation credentials set NAME`")
        }
        guard let credential = try await store.credential(name: name) else {
            throw StepError("no stored credential \(name) (for \(what)); `hwautomation credentials list` shows them")
        }
        return credential
    }

    /// The BMC's Redfish endpoint from a workflow's input (`bmc`, `credential`, `tls`).
    func endpoint(_ input: CommissioningInput) async throws -> RedfishEndpoint {
        guard let bmc = input.bmc else { throw StepError("the workflow has no BMC address (input `bmc`)") }
        let url: URL
        do {
            // Refuses a URL with a user or password in it, and names the address without them.
            url = try RedfishEndpoint.parseBaseURL(bmc)
        } catch {
            throw StepError("input `bmc`: \(error)")
        }
        let credential = try await credential(input.credential, for: "BMC \(bmc)", sendingTo: url)
        guard let choice = TLSChoice(input.tls ?? "verify") else {
            throw StepError("input `tls`: unknown TLS policy `\(input.tls ?? "")` (\(TLSChoice.choices))")
        }
        let tls = try await choice.policy(
            host: url.host ?? bmc, port: url.port ?? 443,
            pins: CertificatePins(directory: CertificatePins.defaultDirectory()))
        return RedfishEndpoint(baseURL: url, username: credential.user, password: credential.secret, tls: tls)
    }

    /// A run stopped in this process (finished, failed, waiting, cancelled): its Redfish client is closed, and a
    /// server whose run failed, was cancelled or waits for a decision says so in its record.
    func stopped(_ workflow: WorkflowRecord) async {
        await clients.close(workflow.id)
        let status: String? =
            switch workflow.state {
            case .failed: "failed"
            case .cancelled: "cancelled"
            case .waiting: "needs-decision"
            case .pending, .running, .succeeded: nil
            }
        guard let status, var server = try? await store.server(id: workflow.serverID) else { return }
        server.status = status
        server.updatedAt = Date()
        try? await store.upsertServer(server)
    }

    /// The workflow's Redfish client (created on first use, kept for its later steps).
    func client(_ context: StepContext) async throws -> RedfishClient {
        let endpoint = try await endpoint(try context.input(CommissioningInput.self))
        return try await clients.client(for: context.workflowID, endpoint: endpoint)
    }
}

/// What one workflow's Redfish client sent, reported when the workflow stops (for metrics).
public struct RedfishUsage: Sendable, Hashable {
    /// The BMC's vendor as classified (`unknown` before classification).
    public var vendor: String
    /// Requests sent (retries and the session's DELETE included).
    public var requests: Int
    /// Requests that ended in an error status, a timeout or a transport failure.
    public var errors: Int

    /// A report.
    public init(vendor: String, requests: Int, errors: Int) {
        self.vendor = vendor
        self.requests = requests
        self.errors = errors
    }
}

/// One Redfish client per running workflow, so its steps share a session; closed (session deleted) when the
/// workflow stops.
public actor RedfishClientCache {
    private var clients: [String: RedfishClient] = [:]
    private var bios: [String: RedfishBIOS] = [:]
    private var vendors: [String: String] = [:]
    private let logger: Logger
    private let usage: (@Sendable (RedfishUsage) -> Void)?

    init(logger: Logger, usage: (@Sendable (RedfishUsage) -> Void)? = nil) {
        self.logger = logger
        self.usage = usage
    }

    /// Names the vendor of `workflow`'s BMC (once classified), for the usage report.
    func setVendor(_ vendor: String?, for workflow: String) {
        if let vendor { vendors[workflow] = vendor }
    }

    func client(for workflow: String, endpoint: RedfishEndpoint) throws -> RedfishClient {
        if let client = clients[workflow] { return client }
        do {
            // A run reports its totals (`RedfishUsage`), not requests by path.
            let client = try RedfishClient(endpoint: endpoint, logger: logger, countingPaths: false)
            clients[workflow] = client
            return client
        } catch {
            throw StepError("\(error)")
        }
    }

    /// The workflow's BIOS view over `client` (its system, Bios and settings paths found once, for every step).
    func bios(for workflow: String, client: RedfishClient, registries: RegistryCache, logger: Logger) -> RedfishBIOS {
        if let known = bios[workflow] { return known }
        let made = RedfishBIOS(client: client, logger: logger, registries: registries)
        bios[workflow] = made
        return made
    }

    /// Closes the client of `workflow` (ending its session), if it has one.
    public func close(_ workflow: String) async {
        bios[workflow] = nil
        let vendor = vendors.removeValue(forKey: workflow) ?? "unknown"
        guard let client = clients.removeValue(forKey: workflow) else { return }
        await client.close()
        if let usage {
            let counters = await client.counters
            usage(RedfishUsage(vendor: vendor, requests: counters.requests, errors: counters.errors))
        }
    }

    /// Requests the client of `workflow` has sent so far.
    public func requests(_ workflow: String) async -> Int? {
        await clients[workflow]?.requestCount
    }
}

extension StepError {
    /// `body`'s value; a store failure as a transient step error (the engine tries the step again).
    static func storing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw StepError("the store failed: \(error)", transient: true)
        }
    }

    /// `error` as a step error, transient when retrying may help (no answer, timeouts, 5xx, a busy BMC).
    static func from(_ error: any Error) -> any Error {
        if error is CancellationError || error is StepError { return error }
        if let redfish = error as? RedfishError {
            return StepError(redfish.description, transient: redfish.isWorthRetryingLater)
        }
        return StepError("\(error)")
    }
}

/// Desired BIOS states by device type name.
final class DesiredStates: Sendable {
    let states = Mutex<[String: DesiredBIOSState]>([:])
}

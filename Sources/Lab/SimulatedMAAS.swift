import Foundation
import Inventory
import Redfish

/// A simulated MAAS region answering what MAAS 3.x answers below `/MAAS/api/2.0/` for what HWAutomation and the
/// official client (python-libmaas) use: the anonymous `describe/` and `version/`, machines with MAAS's fields and
/// state machine (commission, allocate, deploy, release, abort, power on/off acting on each machine's BMC), tags,
/// interfaces, zones, resource pools, domains and users; the OAuth 1.0 PLAINTEXT header is checked on every other
/// call.
///
/// Shapes follow canonical/maas `src/maasserver/api/` (machines.py `DISPLAYED_MACHINE_FIELDS`, nodes.py,
/// interfaces.py, tags.py, users.py, zones.py, resourcepools.py, domains.py, version.py, doc.py `_describe_api`) and
/// its worked examples (`src/maasserver/api/examples/machines.json`, `tags.json`, `users.json`, `domains.json`).
///
/// A value type: `handle(method:path:query:form:authorization:now:host:)` is the whole behaviour; time comes in as
/// an argument, and each machine's power goes through `powerDriver` (the lab wires it to its simulated BMCs).
public struct SimulatedMAAS: Sendable {
    /// MAAS node status codes (`status`), with their names (`status_name`): `maasserver/enum.py` `NODE_STATUS`.
    public enum Status: Int, Sendable, CaseIterable {
        /// New.
        case new = 0
        /// Commissioning.
        case commissioning = 1
        /// Failed commissioning.
        case failedCommissioning = 2
        /// Ready.
        case ready = 4
        /// Deployed.
        case deployed = 6
        /// Broken.
        case broken = 8
        /// Deploying.
        case deploying = 9
        /// Allocated.
        case allocated = 10
        /// Releasing.
        case releasing = 12

        /// The name MAAS prints.
        public var name: String {
            switch self {
            case .new: return "New"
            case .commissioning: return "Commissioning"
            case .failedCommissioning: return "Failed commissioning"
            case .ready: return "Ready"
            case .deployed: return "Deployed"
            case .broken: return "Broken"
            case .deploying: return "Deploying"
            case .allocated: return "Allocated"
            case .releasing: return "Releasing"
            }
        }
    }

    /// How the region reaches a machine's BMC, as MAAS's Redfish power driver does
    /// (`src/provisioningserver/drivers/power/redfish.py`): it reads `PowerState` of the system and POSTs
    /// `ComputerSystem.Reset` with a `ResetType`, logged in with the power parameters' user and password.
    public struct PowerDriver: Sendable {
        /// The Redfish `PowerState` (`On`, `Off`, `PoweringOn`) of machine `index`'s system at lab time `now`.
        public var state: @Sendable (_ index: Int, _ now: Double) -> String
        /// Sends `ComputerSystem.Reset` with `resetType` to machine `index`'s BMC as `user`/`password` at `now`;
        /// the HTTP status it answered.
        public var reset:
            @Sendable (_ index: Int, _ resetType: String, _ user: String, _ password: String, _ now: Double) -> Int

        /// A driver from its two operations.
        public init(
            state: @escaping @Sendable (Int, Double) -> String,
            reset: @escaping @Sendable (Int, String, String, String, Double) -> Int
        ) {
            self.state = state
            self.reset = reset
        }
    }

    struct Machine: Sendable {
        /// The machine's place in the lab (its BMC's index).
        var index: Int
        var systemID: String
        var hostname: String
        var status: Status
        var until: Double?
        var next: Status?
        /// The status message MAAS shows for the last transition.
        var statusMessage: String?
        /// The Redfish power state of a machine without a `PowerDriver` (unit tests): `On` or `Off`.
        var power: String
        /// Whether the last power action MAAS sent its BMC failed (`power_state` is then `error`).
        var powerError = false
        var bmcAddress: String
        var hostAddress: String
        var portNames: [String]
        var macs: [String]
        var serial: String
        var tags: Set<String>
        var distro: String?
        var description = ""
        /// The user the machine is allocated to (`owner`).
        var owner: String?
        /// Whether the running commissioning keeps the ephemeral environment up (`enable_ssh`).
        var enableSSH = false
        var cpuCount: Int
        var cpuSpeed: Int
        var memoryMiB: Int
        var storageMB: Double
        var vendor: String
        var product: String
        var uuid: String
    }

    /// The API key `consumer:token:secret` clients must present.
    public let apiKey: String
    /// Seconds commissioning (and deploying, releasing) take.
    public var operationSeconds: Double
    var machines: [Machine]
    var tags: [String: (comment: String, definition: String, kernelOptions: String)] = [:]
    /// Requests answered, and by operation.
    public internal(set) var operations: [String: Int] = [:]
    /// The BMC user MAAS keeps in the machines' power parameters (`power_user`).
    public var bmcUser = "admin"
    /// The BMC password MAAS keeps in the machines' power parameters (`power_pass`); nil leaves it out.
    public var bmcPassword: String?
    /// How power operations reach the machines' BMCs; nil keeps each machine's power in the region (unit tests).
    public var powerDriver: PowerDriver?
    /// The form of the last `commission` of each machine, by system id (tests read `enable_ssh`).
    public internal(set) var commissionForms: [String: [String: [String]]] = [:]
    /// The user the API key belongs to (`users/?op=whoami`, the owner of what it allocates).
    public let user = "admin"

    /// A MAAS knowing `servers` (their BMCs at `bmcURL(index)`).
    /// Hosts get `hostAddress(index)` once they boot (default: the server's own `hostAddress`).
    public init(
        servers: [ServerModel], apiKey: String, operationSeconds: Double = 5, bmcURL: (Int) -> String,
        hostAddress: ((Int) -> String)? = nil
    ) {
        self.apiKey = apiKey
        self.operationSeconds = operationSeconds
        machines = servers.enumerated().map { index, server in
            Machine(
                index: index, systemID: String(format: "m%05x", index + 0xa000),
                hostname: "lab-\(server.serial.lowercased())", status: .new, until: nil, next: nil,
                power: "Off", bmcAddress: bmcURL(index), hostAddress: hostAddress?(index) ?? server.hostAddress,
                portNames: server.ports.map(\.name), macs: server.ports.map(\.mac), serial: server.serial, tags: [],
                distro: nil, cpuCount: server.sockets * server.coresPerSocket * server.threadsPerCore,
                cpuSpeed: server.maxSpeedMHz, memoryMiB: server.dimmGiB * server.dimmCount * 1024,
                storageMB: server.drives.reduce(0) { $0 + Double($1.sizeBytes) / 1_000_000 },
                vendor: server.manufacturer, product: server.product, uuid: server.uuid)
        }
    }

    /// The status of the machine with this serial at `now` (tests).
    public func status(serial: String, at now: Double) -> Status? {
        guard let machine = machines.first(where: { $0.serial == serial }) else { return nil }
        if let until = machine.until, now >= until, let next = machine.next { return next }
        return machine.status
    }

    /// The description of the machine with this serial (tests).
    public func description(serial: String) -> String? { machines.first { $0.serial == serial }?.description }

    /// The tags of the machine with this serial (tests).
    public func tags(serial: String) -> Set<String> { machines.first { $0.serial == serial }?.tags ?? [] }

    /// The system id of the machine with this serial (tests).
    public func systemID(serial: String) -> String? { machines.first { $0.serial == serial }?.systemID }

    // MARK: Requests

    /// Answers a request below `/MAAS/api/2.0/`: `path` like `machines/abc/`, `query` and form `parameters`.
    /// `host` (the request's Host header) makes BMC addresses in power parameters, and the handler URIs in
    /// `describe/`, absolute URLs.
    public mutating func handle(
        method: String, path: String, query: [String: [String]], form: [String: [String]], authorization: String?,
        now: Double, host: String? = nil
    ) -> LabResponse {
        for index in machines.indices { settle(index, now) }
        let parts = path.split(separator: "/").map(String.init)
        let op = query["op"]?.first ?? form["op"]?.first
        // describe/ and version/ answer anyone (urls_api.py: "API URLs accessible to anonymous users").
        switch (method, parts) {
        case ("GET", ["describe"]):
            count(op, method, parts)
            return json(describe(host: host))
        case ("GET", ["version"]):
            count(op, method, parts)
            return json(version)
        default: break
        }
        guard authorized(authorization) else {
            return LabResponse(status: 401, rawBody: "Authorization Error: 'Invalid API key.'")
        }
        count(op, method, parts)
        let request = Request(method: method, op: op, query: query, form: form, now: now, host: host)
        switch parts.first {
        case "machines": return machinesRoute(request, Array(parts.dropFirst()))
        case "nodes" where parts.count >= 3 && parts[2] == "interfaces":
            return interfacesRoute(request, systemID: parts[1], Array(parts.dropFirst(3)))
        case "tags": return tagsRoute(request, Array(parts.dropFirst()))
        case "users", "zones", "resourcepools", "resourcepool", "domains":
            return directoryRoute(request, parts)
        default:
            return notFound(method, path)
        }
    }

    /// One API call, as the routes see it.
    struct Request {
        var method: String
        var op: String?
        var query: [String: [String]]
        var form: [String: [String]]
        var now: Double
        var host: String?

        /// A GET's parameters are its query; a POST's or PUT's, its form (`prepare_payload` in libmaas, Piston's
        /// `request.data` in MAAS).
        var parameters: [String: [String]] { method == "GET" ? query : form }

        /// The first value of `name`.
        func value(_ name: String) -> String? { parameters[name]?.first }

        /// A Django `BooleanField` reading of `name` (`true`, `1`, `on` are true); `otherwise` when absent.
        func flag(_ name: String, otherwise: Bool = false) -> Bool {
            guard let value = value(name)?.lowercased() else { return otherwise }
            return ["true", "1", "on", "yes"].contains(value)
        }

        /// Every value of `name`, comma-separated values split (MAAS's allocate `tags=a,b` or repeated `tags`).
        func list(_ name: String) -> [String] {
            (parameters[name] ?? []).flatMap {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            .filter { !$0.isEmpty }
        }
    }

    private mutating func count(_ op: String?, _ method: String, _ parts: [String]) {
        operations[op ?? "\(method) \(parts.first ?? "")", default: 0] += 1
    }

    /// Django's answer for a URL no handler serves.
    func notFound(_ method: String, _ path: String) -> LabResponse {
        LabResponse(status: 404, rawBody: "Unknown API endpoint: \(method) /MAAS/api/2.0/\(path)")
    }

    /// Piston's answer for an `op` (or method) a handler does not export (`support.py` `OperationsResource`).
    func unrecognised(_ request: Request) -> LabResponse {
        LabResponse(status: 400, rawBody: "Unrecognised signature: method=\(request.method) op=\(request.op ?? "None")")
    }

    private func authorized(_ header: String?) -> Bool {
        guard let header, header.hasPrefix("OAuth ") else { return false }
        var fields: [String: String] = [:]
        for pair in header.dropFirst(6).split(separator: ",") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[String(parts[0])] =
                String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                .removingPercentEncoding
        }
        let key = apiKey.split(separator: ":").map(String.init)
        guard key.count == 3 else { return false }
        return fields["oauth_signature_method"] == "PLAINTEXT" && fields["oauth_consumer_key"] == key[0]
            && fields["oauth_token"] == key[1] && fields["oauth_signature"] == "&" + key[2]
    }

    func json(_ value: JSONValue) -> LabResponse { LabResponse(status: 200, body: value) }
}

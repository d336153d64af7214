import Foundation
import Inventory
import Redfish

/// One simulated BMC: a Redfish service over a `ServerModel`, with the behaviour real BMCs have — BIOS settings
/// pending until a reset, ETags (412 on a stale If-Match), sessions with a limit (exceeding it fails like iDRAC),
/// 202 tasks that progress, resets with power transitions and POST time, Basic and session auth — and counters
/// for every request, PATCH and reset.
///
/// A value type: `handle(_:now:)` is the whole behaviour; time comes in as an argument (see `LabClock`).
public struct SimulatedBMC: Sendable {
    /// Vendor behaviours a lab BMC imitates.
    public enum Profile: String, Sendable, Codable {
        /// Plain Redfish (`Bios/Settings`).
        case generic
        /// HPE iLO: lowercase `bios/settings`, a `SystemResetRequired` message after a PATCH; drives under
        /// SmartStorage, ports under BaseNetworkAdapters (`SimulatedBMC+VendorShapes.swift`).
        case hpe
        /// Supermicro: BIOS changes over Redfish need the out-of-band licence; without it a clear error. NVMe drives
        /// as `PCIe`, AMI placeholders where the server has no value (`SimulatedBMC+VendorShapes.swift`).
        case supermicro
        /// Dell iDRAC: `If-Match` on an action is refused with 412; a BIOS PATCH answers 202 with its configuration
        /// job; with `Settings.dellBusyAfterChange` the first reset after a BIOS change answers SYS518 (busy) once.
        /// 10 GbE as 10240 Mbps, DIMMs in decimal-GB MiB, ports under NetworkAdapters
        /// (`SimulatedBMC+VendorShapes.swift`).
        case dell
        /// Lenovo XClarity Controller: `LNVO`, upper-case MACs, the `ToManager` USB NIC among the host's
        /// interfaces (`SimulatedBMC+VendorShapes.swift`). No catalog type is Lenovo: a server whose manufacturer is
        /// Lenovo gets it, or any server through `Settings.profile`.
        case lenovo

        /// The profile for a server's vendor.
        public static func forVendor(_ manufacturer: String) -> Profile {
            switch manufacturer.lowercased() {
            case let name where name.hasPrefix("hpe") || name.hasPrefix("hewlett"): return .hpe
            case let name where name.hasPrefix("supermicro"): return .supermicro
            case let name where name.hasPrefix("dell"): return .dell
            case let name where name.hasPrefix("lenovo") || name == "lnvo": return .lenovo
            default: return .generic
            }
        }
    }

    /// How a lab BMC behaves.
    public struct Settings: Sendable {
        /// Vendor behaviours; nil picks the profile of the server's vendor.
        public var profile: Profile?
        /// Supermicro only: whether the out-of-band (DCMS) licence is installed.
        public var supermicroLicensed = true
        /// Dell only: the first reset after each BIOS change answers `503 IDRAC.2.8.SYS518` (busy, nothing done) once,
        /// as an iDRAC still busy with the configuration job does; a client must send it again. Off by default: Dell's
        /// own sequence (PATCH with `OnReset`, then reset) meets no such refusal on an idle iDRAC.
        public var dellBusyAfterChange = false
        /// Login user.
        public var user = "admin"
        /// Login password.
        public var password = "password"
        /// Concurrent sessions allowed.
        public var sessionLimit = 4
        /// Seconds of lab time a session may go unused before the BMC deletes it, freeing its slot (Redfish
        /// `SessionService.SessionTimeout`); any request with the session's token counts as a use.
        public var sessionTimeout = 1800.0
        /// Seconds from a reset until the host is On again (POST).
        public var postSeconds = 2.0
        /// How long a firmware update task takes, in steps of `Retry-After` (1 s of lab time): the task finishes
        /// `taskPolls + 1` seconds after it started, whether or not anybody polls it. A client polling its monitor
        /// sooner sees "Running" for `taskPolls` polls, then the outcome: each poll counts as one step, the interval a
        /// client honouring `Retry-After` waits (a manual lab clock stands still while it does).
        public var taskPolls = 2
        /// Resources this BMC answers with `307 Temporary Redirect` instead, by path (`/redfish/v1/Systems/self`) to
        /// `Location`: a path on this BMC (a moved resource) or an absolute URL elsewhere (a misconfigured or
        /// compromised BMC sending clients, and their credentials, to another origin).
        public var redirects: [String: String] = [:]
        /// The web-server restart that follows each activation of new BMC firmware (the task completing): for
        /// that many seconds of lab time nothing is served (connections reset, or the configured 5xx), then the
        /// BMC answers again, with the new version. nil: no restart.
        public var restartAfterUpdate: LabConfig.Faults.RestartAfterUpdate?
        /// The wall-clock time at lab time 0: a log entry written at lab time `t` is dated `epoch + t`. `Lab` sets it
        /// from its clock, so that entries written now carry today's date, as a BMC's clock would.
        public var epoch = Date()

        /// Creates default settings.
        public init() {}
    }

    /// What has been done to this BMC.
    public struct Counters: Sendable, Hashable, Codable {
        /// Requests answered.
        public var requests = 0
        /// Host resets (any ComputerSystem.Reset that power-cycles or powers on).
        public var resets = 0
        /// PATCHes accepted.
        public var patches = 0
        /// Sessions created.
        public var sessionsCreated = 0
        /// Sessions deleted (by a client's DELETE).
        public var sessionsDeleted = 0
        /// Sessions the BMC deleted after `Settings.sessionTimeout` seconds unused.
        public var sessionsExpired = 0
        /// Firmware updates accepted (SimpleUpdate or multipart push).
        public var firmwareUpdates = 0
        /// Requests refused with 412.
        public var preconditionFailures = 0
        /// BIOS changes that arrived while an earlier change was still unfinished (pending, or the host in POST):
        /// two writers on one BMC at once.
        public var overlappingChanges = 0
        /// Accepted PATCHes that change nothing: every value sent already equals the value in force — for BIOS
        /// settings, the pending value of the attribute if one is pending, else its current value; for the manager's
        /// address, a host interface, the KCS privilege or an account, the current value. A repeated PATCH.
        public var redundantPatches = 0
        /// Accepted `ComputerSystem.Reset`s that (re)start or power on a host with nothing to apply: no BIOS
        /// settings pending, no BIOS firmware staged, and the host not Off (On, or still in the POST of an earlier
        /// reset). Power-offs (`ForceOff`, `GracefulShutdown`) and refused resets (412, SYS518, 400) never count.
        /// A reset repeated after its changes were already applied.
        public var redundantResets = 0
        /// Accepted firmware updates of an image whose version is already the component's active version, its
        /// staged version (BIOS firmware waiting for a reset), or the version of an unfinished update task for the
        /// same component. An image the BMC could not download never counts.
        public var redundantFlashes = 0
        /// Changes (PATCH, reset, firmware update: `ActionKind.isChange`) that arrived at the lab's listener while
        /// another change to the same BMC was still in flight there (not yet answered, including one held by a
        /// `no_answer` fault or a delay), or while a firmware update task of this BMC was unfinished (its time not
        /// yet up, nor its monitor polled to completion). Counted on arrival, by `Lab`; a BMC driven through `handle` directly
        /// does not count it. Unlike `overlappingChanges`, this is about concurrency, not about a pending BIOS
        /// change that a reset will apply.
        public var concurrentChanges = 0
        /// Answers delayed by a `slow` fault.
        public var slowedAnswers = 0
        /// Answers lost after the request was performed (`lostAnswers`, a `lost_answer` fault).
        public var answersLost = 0
        /// Requests performed and then never answered (a `no_answer` fault).
        public var answersWithheld = 0
        /// Requests that met a web server restarting after a BMC firmware update (`Settings.restartAfterUpdate`).
        public var answersDuringRestart = 0
        /// GETs of the Bios resource while the host was in POST (its pending settings not yet applied): a client that
        /// verifies settings then reads the old values.
        public var biosReadsDuringPOST = 0
    }

    enum Power: String {
        case on = "On"
        case off = "Off"
        case poweringOn = "PoweringOn"
    }

    /// The server behind the BMC.
    public let server: ServerModel
    /// Its behaviour.
    public var settings: Settings
    /// What it has been asked.
    public internal(set) var counters = Counters()
    /// Failures to inject into the next requests (status codes, served in order, then normal service).
    public var injectedFailures: [Int] = []
    /// Answers to garble (200 with a body that is not JSON) before normal service resumes.
    public var injectedGarbage = 0
    /// Actions performed whose answer is then lost, by kind, served in order: the next action of that kind is
    /// carried out, then the connection is reset or 503 is answered (see `LostAnswer`).
    public var lostAnswers: [ActionKind: [LostAnswer]] = [:]
    /// Actions refused with 503 without being performed, by kind: the next that many actions of the kind.
    public var refusedActions: [ActionKind: Int] = [:]

    var power: Power = .on
    var poweredOnAt = 0.0
    /// Resets so far: the BMC's clock for `BootProgress.LastStateTime` moves a second per boot, so that every
    /// boot's states carry times of their own even while lab time stands still.
    var boots = 0
    /// Lab time of the last request (`settle`), for the resources that show progress through POST.
    var lastSeen = 0.0
    /// The pending BIOS settings and staged BIOS firmware the POST under way applies when it ends.
    var applyingAtPOSTEnd: (settings: [String: JSONValue], firmware: String?) = ([:], nil)
    var attributes: [String: BIOSAttribute]
    /// The BIOS's registry: its identity (with the BIOS version) and dependencies, in the profile's names.
    let labBIOS: LabBIOS
    var pending: [String: JSONValue] = [:]
    var settingsVersion = 1
    var biosVersion: String
    var pendingBIOSFirmware: String?
    var bmcFirmware = "1.73.14"
    /// Sessions by token: their id, the lab time they were last used, their user and the `Context` the login gave.
    var sessions: [String: (id: String, lastUsed: Double, user: String, context: String?)] = [:]
    /// Writes (PATCH, PUT) each resource path has taken; part of its ETag.
    var writeGenerations: [String: Int] = [:]
    /// BMC user accounts by slot id (AccountService); slot 2 is the login user.
    var accounts: [Int: (user: String, password: String, role: String, enabled: Bool)] = [:]
    var nextID = 1
    /// Every firmware update task ever started (TaskService/Tasks), by id.
    var tasks: [String: UpdateTask] = [:]
    /// The BMC's firmware health: `Critical` after a failed flash left it in recovery.
    var bmcHealth = "OK"
    var managerAddress: (address: String, mask: String, gateway: String, origin: String)
    /// The vendor behaviours in force.
    public let profile: Profile
    /// Lab time until which the web server is restarting after a BMC firmware activation.
    var restartingUntil: Double?
    /// Changes the lab's listener is still working on for this BMC (see `Counters.concurrentChanges`).
    var changesInFlight = 0
    var dellBusyPending = false
    /// Dell configuration jobs by id (`JID_<n>`), in creation order: Scheduled → Running (at the reset) →
    /// Completed (when POST ends).
    var jobs: [(id: String, state: String)] = []
    /// The manager's host interface (Redfish from the host): on until a client turns it off.
    var hostInterfaceEnabled = true
    /// Supermicro's KCS interface privilege.
    var kcsPrivilege = "Administrator"
    /// The chassis' sensors (`SimulatedBMC+Health.swift`).
    var sensors: [LabSensor]
    /// Host ports whose link is down, by index into `server.ports`.
    var linksDown: Set<Int> = []
    /// Drives whose health is not OK, by drive name.
    var driveHealth: [String: String] = [:]
    /// The logs' entries, oldest first (`SimulatedBMC+Logs.swift`).
    var logEntries: [LabLogEntry] = []
    /// Secure Boot where no BIOS attribute holds it (iLO): what was asked (`SecureBootEnable`) and what the host
    /// booted with (`SecureBootCurrentBoot`); a request takes effect when the next POST ends.
    var secureBoot = (requested: false, current: false)
    /// The Secure Boot request the POST under way applies when it ends.
    var secureBootAtPOSTEnd: Bool?

    enum TaskEffect: Sendable, Equatable {
        case bmcFirmware(String)
        case biosFirmware(String)
        /// A task that changes nothing (its image never arrived).
        case nothing
    }

    /// A BMC for `server`.
    public init(server: ServerModel, settings: Settings = Settings()) {
        self.server = server
        self.settings = settings
        profile = settings.profile ?? Profile.forVendor(server.manufacturer)
        labBIOS = LabBIOS.of(server, profile: profile)
        attributes = Dictionary(labBIOS.attributes.map { ($0.name, $0) }) { first, _ in first }
        biosVersion = server.biosVersion
        managerAddress = (server.bmcAddress, "255.255.0.0", "10.10.0.1", "Static")
        accounts[2] = (settings.user, settings.password, "Administrator", true)
        sensors = LabSensor.standard(sockets: server.sockets)
        logEntries = seededLogEntries
    }

    /// The settings object's path segment: HPE writes it in lower case.
    var settingsSegments: (String, String) { profile == .hpe ? ("bios", "settings") : ("Bios", "Settings") }

    /// The current value of a BIOS attribute (tests read it to check what a client did).
    public func attribute(_ name: String) -> JSONValue? { attributes[name]?.value }

    /// Settings waiting for the next reset.
    public var pendingAttributes: [String: JSONValue] { pending }

    /// Changes a BIOS attribute in force as a person in the setup screen would, behind every tool's back (drift);
    /// false when the BIOS has no such attribute.
    @discardableResult
    public mutating func changeInSetup(_ name: String, to value: JSONValue) -> Bool {
        guard attributes[name] != nil else { return false }
        attributes[name]?.value = value
        return true
    }

    /// The power state at `now`.
    public mutating func powerState(at now: Double) -> String {
        settle(now)
        return power.rawValue
    }

    // MARK: Dispatch

    /// Answers one request at time `now`; a GET of a collection with `$expand` carries its members inline.
    /// A HEAD is answered as its GET without the body. Every answer is made conformant (`conformed(_:path:)`).
    public mutating func handle(_ request: LabRequest, now: Double) -> LabResponse {
        settle(now)
        if let restarting = restartingAnswer(now: now) { return restarting }
        if let refused = refuse(request) { return refused }
        var request = Self.routed(request)
        let isHead = request.method == "HEAD"
        if isHead { request.method = "GET" }
        if let refused = protocolRefusal(request, now: now) { return refused }
        var response = loseAnswer(of: request, answer(request, now: now))
        recordWrite(request, response)
        if request.method == "GET", request.query.contains("$expand"), response.status == 200,
            case .object(let document)? = response.body
        {
            response.body = .object(expanded(document, request: request, now: now))
        }
        if request.method == "GET" {
            response = Self.conformed(response, path: request.path, generation: generation(of: request.path))
            response = Self.withResponseHeaders(response, request: request)
        }
        // A 201 carries the whole new resource, as a GET of its Location would show it.
        if request.method == "POST", response.status == 201, let location = response.headers["Location"] {
            response.status = 200
            response = Self.conformed(response, path: location)
            response.status = 201
        }
        if isHead {
            response.body = nil
            response.rawBody = nil
        }
        return response
    }

    /// `document` with its subordinate links expanded one level (`$expand=.($levels=1)`, the lab's MaxLevels): a
    /// collection's members, or a singleton's navigation properties (a link, or an array of links, outside `Links`),
    /// as iDRAC expands any resource. A link that does not resolve stays a link.
    mutating func expanded(_ document: [String: JSONValue], request: LabRequest, now: Double) -> [String: JSONValue] {
        func resolve(_ value: JSONValue) -> JSONValue {
            guard case .object(let link) = value, link.count == 1, let path = link["@odata.id"]?.string else {
                return value
            }
            var inner = request
            inner.path = path
            inner.query = ""
            let answer = answer(inner, now: now, counted: false)
            guard answer.status == 200 else { return value }
            return Self.conformed(answer, path: path).body ?? value
        }
        var result = document
        for (name, value) in document where name != "Links" && name != "Actions" && !name.hasPrefix("@") {
            switch value {
            case .object:
                result[name] = resolve(value)
            case .array(let items):
                result[name] = .array(items.map(resolve))
            default:
                continue
            }
        }
        return result
    }

    mutating func answer(_ request: LabRequest, now: Double, counted: Bool = true) -> LabResponse {
        if counted { counters.requests += 1 }
        settle(now)
        if counted, injectedGarbage > 0 {
            injectedGarbage -= 1
            return LabResponse(status: 200, rawBody: "<html><body>502 Bad Gateway</body>")
        }
        if counted, !injectedFailures.isEmpty {
            let status = injectedFailures.removeFirst()
            return .error(status, "Base.1.8.ServiceTemporarilyUnavailable", "injected failure \(status)")
        }
        let path =
            request.path.hasSuffix("/") && request.path.count > 1 ? String(request.path.dropLast()) : request.path
        if let location = settings.redirects[path] {
            return LabResponse(status: 307, headers: ["Location": location])
        }
        // Redfish serves these without authentication: the versions, the service root, the OData documents.
        let isOpen = ["/redfish", "/redfish/v1", "/redfish/v1/odata", "/redfish/v1/$metadata"].contains(path)
        let isLogin = request.method == "POST" && path == "/redfish/v1/SessionService/Sessions"
        if !isOpen && !isLogin {
            if let failure = authenticate(request, now: now) { return failure }
        }
        if path == "/redfish" {
            return request.method == "GET"
                ? ok(Self.versions) : Self.methodNotAllowed(request.method, parts: [], path: path)!
        }
        let parts = Array(path.split(separator: "/").map(String.init).dropFirst(2))  // drop "redfish", "v1"
        let route = Route(method: request.method, parts: parts)
        let r = Self.root
        if route.is("GET") { return ok(serviceRoot) }
        if route.is("GET", "odata") { return ok(Self.serviceDocument(of: serviceRoot)) }
        if route.is("GET", "$metadata") {
            return LabResponse(
                status: 200, headers: ["Content-Type": "application/xml"], rawBody: Self.metadataDocument)
        }
        if route.is("GET", "Systems") { return ok(collection("Systems", ["\(r)/Systems/1"])) }
        if route.is("GET", "Systems", "1") { return ok(system) }
        if route.is("GET", "Systems", "1", "Processors") {
            return ok(collection("Processors", (0..<server.sockets).map { "\(r)/Systems/1/Processors/CPU\($0)" }))
        }
        if let id = route.id("GET", "Systems", "1", "Processors") { return processor(id) }
        if route.is("GET", "Systems", "1", "Memory") {
            return ok(collection("Memory", (0..<server.dimmCount).map { "\(r)/Systems/1/Memory/DIMM\($0)" }))
        }
        if let id = route.id("GET", "Systems", "1", "Memory") { return dimm(id) }
        if route.is("GET", "Systems", "1", "EthernetInterfaces") {
            return ok(collection("EthernetInterfaces", interfaceIDs.map { "\(r)/Systems/1/EthernetInterfaces/\($0)" }))
        }
        if let id = route.id("GET", "Systems", "1", "EthernetInterfaces") { return hostInterface(id) }
        // iLO 5 lists Smart Array drives only under SmartStorage: its Storage collection is empty.
        if route.is("GET", "Systems", "1", "Storage") {
            return ok(collection("Storage", profile == .hpe ? [] : ["\(r)/Systems/1/Storage/1"]))
        }
        if profile != .hpe, route.is("GET", "Systems", "1", "Storage", "1") { return ok(storage) }
        if profile != .hpe, let id = route.id("GET", "Systems", "1", "Storage", "1", "Drives") { return drive(id) }
        if let answer = vendorTreeRoute(route) { return answer }
        if let answer = healthRoute(route, request) { return answer }
        if let answer = logRoute(route, request) { return answer }
        if let answer = licenceRoute(route) { return answer }
        if route.is("GET", "Systems", "1", "Bios") || (profile == .hpe && route.is("GET", "Systems", "1", "bios")) {
            if power == .poweringOn, counted { counters.biosReadsDuringPOST += 1 }
            return self.bios
        }
        let (bios, settingsName) = settingsSegments
        if route.is("GET", "Systems", "1", bios, settingsName) { return biosSettings }
        if route.is("PATCH", "Systems", "1", bios, settingsName) { return patchBIOS(request) }
        if route.is("POST", "Systems", "1", "Actions", "ComputerSystem.Reset") { return reset(request, now: now) }
        if route.is("GET", "Managers") { return ok(collection("Managers", ["\(r)/Managers/1"])) }
        if route.is("GET", "Managers", "1") { return ok(manager) }
        if route.is("GET", "Managers", "1", "EthernetInterfaces") {
            return ok(collection("EthernetInterfaces", ["\(r)/Managers/1/EthernetInterfaces/1"]))
        }
        if route.is("GET", "Managers", "1", "EthernetInterfaces", "1") { return ok(managerInterface) }
        if route.is("PATCH", "Managers", "1", "EthernetInterfaces", "1") { return patchManagerInterface(request) }
        if let answer = inBandInterfaceRoute(route, request) { return answer }
        if route.is("GET", "AccountService") { return ok(accountService) }
        if route.is("GET", "AccountService", "Accounts") {
            return ok(collection("Accounts", accounts.keys.sorted().map { "\(r)/AccountService/Accounts/\($0)" }))
        }
        if let id = route.id("GET", "AccountService", "Accounts") { return account(id) }
        if let id = route.id("PATCH", "AccountService", "Accounts") { return patchAccount(id, request) }
        if route.is("POST", "AccountService", "Accounts") { return createAccount(request) }
        if let id = route.id("DELETE", "AccountService", "Accounts") { return deleteAccount(id, request) }
        if route.is("GET", "AccountService", "Roles") {
            return ok(collection("Roles", Self.roles.map { "\(r)/AccountService/Roles/\($0.id)" }))
        }
        if let id = route.id("GET", "AccountService", "Roles") { return role(id) }
        if route.is("GET", "Chassis") { return ok(collection("Chassis", ["\(r)/Chassis/1"])) }
        if route.is("GET", "Chassis", "1") { return ok(chassis) }
        if route.is("GET", "SessionService") { return ok(sessionService) }
        if route.is("GET", "SessionService", "Sessions") {
            let ids = sessions.values.map(\.id).sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
            return ok(collection("Sessions", ids.map { "\(r)/SessionService/Sessions/\($0)" }))
        }
        if route.is("POST", "SessionService", "Sessions") { return login(request, now: now) }
        if let id = route.id("GET", "SessionService", "Sessions") { return session(id) }
        if let id = route.id("DELETE", "SessionService", "Sessions") { return logout(id) }
        if route.is("GET", "Registries") {
            return ok(collection("Registries", ["\(r)/Registries/\(labBIOS.registryID)"]))
        }
        if route.is("GET", "Registries", labBIOS.registryID) { return ok(registryFile) }
        if route.is("GET", "Registries", labBIOS.registryID, "en") { return ok(registry) }
        if route.is("GET", "UpdateService") { return ok(updateService) }
        if route.is("POST", "UpdateService", "Actions", "UpdateService.SimpleUpdate") {
            return simpleUpdate(request, now: now)
        }
        if route.is("POST", "UpdateService", "upload") { return multipartUpdate(request, now: now) }
        if route.is("GET", "UpdateService", "FirmwareInventory") {
            return ok(
                collection(
                    "FirmwareInventory",
                    ["BMC", "BIOS"].map { "\(r)/UpdateService/FirmwareInventory/\($0)" }
                        + (pendingBIOSFirmware == nil ? [] : ["\(r)/UpdateService/FirmwareInventory/BIOS-Staged"])))
        }
        if let id = route.id("GET", "UpdateService", "FirmwareInventory") { return firmwareItem(id) }
        if profile == .dell, route.is("GET", "Managers", "1", "Jobs") {
            return ok(collection("Jobs", jobs.map { "\(r)/Managers/1/Jobs/\($0.id)" }))
        }
        if profile == .dell, let id = route.id("GET", "Managers", "1", "Jobs") { return job(id) }
        if let id = route.id("GET", "TaskService", "TaskMonitors") { return taskMonitor(id, now: now) }
        if route.is("GET", "TaskService") { return ok(taskService) }
        if route.is("GET", "TaskService", "Tasks") {
            return ok(collection("Tasks", tasks.keys.sorted().map { "\(r)/TaskService/Tasks/\($0)" }))
        }
        if let id = route.id("GET", "TaskService", "Tasks") { return taskRecord(id) }
        if let refused = Self.methodNotAllowed(request.method, parts: parts, path: path) { return refused }
        return .error(404, "Base.1.8.ResourceMissingAtURI", "The resource at \(request.path) was not found.")
    }

    /// A request's method and path components below `/redfish/v1`, matched against fixed routes.
    struct Route {
        var method: String
        var parts: [String]

        /// The route is exactly `method` and `components`.
        func `is`(_ method: String, _ components: String...) -> Bool {
            self.method == method && parts == components
        }

        /// The route is `method`, `components`, then one id, which is returned.
        func id(_ method: String, _ components: String...) -> String? {
            guard self.method == method, parts.count == components.count + 1, Array(parts.dropLast()) == components
            else {
                return nil
            }
            return parts.last
        }
    }

    static let root = "/redfish/v1"

    func ok(_ body: JSONValue, etag: String? = nil) -> LabResponse {
        LabResponse(status: 200, headers: etag.map { ["ETag": $0] } ?? [:], body: body)
    }

    func collection(_ name: String, _ members: [String]) -> JSONValue {
        .object([
            "Name": .string("\(name) Collection"), "Members@odata.count": .number(Double(members.count)),
            "Members": .array(members.map { .object(["@odata.id": .string($0)]) }),
        ])
    }

    // MARK: Time

    /// Applies what time has done by `now`: a host that finished POST is On with its pending BIOS settings applied, firmware update tasks whose time
    /// is up have finished (`settleTasks`), sessions unused for `Settings.sessionTimeout` are gone.
    mutating func settle(_ now: Double) {
        lastSeen = max(lastSeen, now)
        if power == .poweringOn, now >= poweredOnAt + settings.postSeconds { endPOST() }
        settleTasks(now)
        expireSessions(now)
    }

    /// Deletes the sessions unused for `Settings.sessionTimeout` seconds at `now`: their tokens are refused like
    /// any unknown token, and their slots are free.
    mutating func expireSessions(_ now: Double) {
        let idle = sessions.filter { now - $0.value.lastUsed >= settings.sessionTimeout }.keys
        for token in idle { sessions[token] = nil }
        counters.sessionsExpired += idle.count
    }
}

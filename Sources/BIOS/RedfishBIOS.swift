import Catalog
import ChildTasks
import Foundation
import Logging
import Redfish
import Remote
import VendorTools

/// BIOS settings of one system behind a BMC, over Redfish: read, plan, apply with one reset, verify, restore.
///
/// Paths come from the service (system → `Bios` → `@Redfish.Settings.SettingsObject`); the registry (when the BMC
/// has one) is read once per client.
public actor RedfishBIOS {
    /// What `apply` did.
    public struct Report: Sendable, Hashable, Codable {
        /// The plan applied.
        public var plan: BIOSPlan
        /// Whether a PATCH was sent.
        public var patched: Bool
        /// Whether the host was reset.
        public var reset: Bool
        /// Attribute → true when the BMC reads back the desired value after the reset.
        public var verified: [String: Bool]
        /// Where the settings before the change were saved.
        public var backup: String?
        /// Redfish requests this apply sent (after discovery and the registry).
        public var requests: Int
        /// Settings this apply left undone, each with its fate and why: unresolved, invalid, read-only, routed to a
        /// vendor tool that did not set them. Optional ones (the type says it can do without) do not fail it.
        public var notApplied: [BIOSPlan.Exception]
        /// Everything the client has sent this BMC so far (sessions included), at the end of the apply.
        public var counters: RedfishCounters?
        /// With a dry run: the requests an apply would send, in order.
        public var wouldSend: [String] = []
        /// The Dell configuration job that applied the settings, when the BMC made one.
        public var job: String?
        /// The vendor tool that staged the vendor-tool changes before the reset (`sum on 10.0.0.5`), if any did.
        public var vendorTool: String?
        /// Settings routed `redfish_fallback` that went over Redfish because the vendor tool could not be run.
        public var redfishFallback: [String] = []
        /// How the end of POST was seen after the reset: the signal, its last state and the polls it took.
        public var post: POSTProgress?

        enum CodingKeys: String, CodingKey {
            case plan, patched, reset, verified, backup, requests, counters, job, post
            case wouldSend = "would_send"
            case notApplied = "not_applied"
            case vendorTool = "vendor_tool"
            case redfishFallback = "redfish_fallback"
        }

        /// True when every change reads back as desired and nothing the type needs was left undone.
        public var succeeded: Bool { verified.values.allSatisfy { $0 } && notApplied.allSatisfy(\.optional) }
    }

    let client: RedfishClient
    let logger: Logger
    private var systemPath: String?
    private var biosPath: String?
    private var settingsPath: String?
    private var applyTimes: [String] = []
    private var registry: [String: RegistryAttribute]??
    private var lastState: (current: [String: JSONValue], pending: [String: JSONValue], settingsETag: String?)?

    private let registries: RegistryCache
    /// A Supermicro BMC's out-of-band licence: `.unchecked` after `discover` until `checkLicence()` or an apply asks.
    public internal(set) var licence: OutOfBandLicence = .notNeeded
    /// The manager that manages the system (its `Links.ManagedBy`), where a Supermicro BMC lists its licences.
    var managerPath: String?

    /// What an expanded read of the system keeps of its subordinates: its `Bios` (the rest, collections and
    /// `SecureBoot`, is not read here).
    static let keptFromSystem: Set<String> = ["Bios"]

    /// BIOS settings of a system behind `client`; registries are shared through `registries`.
    public init(client: RedfishClient, logger: Logger, registries: RegistryCache = .shared) {
        self.client = client
        self.logger = logger
        self.registries = registries
    }

    /// Finds the system, its Bios resource and settings object, and the registry; once.
    public func discover(system: String? = nil) async throws(RedfishError) {
        guard settingsPath == nil else { return }
        // Everything is found before anything is kept: a failure half-way (a BMC glitch) leaves nothing behind,
        // and the next call starts again.
        let path: String
        if let system, !system.contains("/"), let direct = try await directSystem(system) {
            path = direct
        } else {
            let members = try await client.members(of: "Systems")
            let chosen = system.map { id in members.first { $0.hasSuffix("/" + id) || $0 == id } } ?? members.first
            guard let found = chosen else {
                throw RedfishError(
                    kind: .invalidResponse, bmc: client.endpoint.host, method: "GET", path: "Systems",
                    message: system.map { "no system \($0) behind this BMC" } ?? "the BMC lists no systems")
            }
            path = found
        }
        // Expanded where the service may: its Bios comes embedded, and the read below finds it remembered.
        let systemDocument = try await client.expanded(path, keeping: Self.keptFromSystem).body
        guard let bios = systemDocument["Bios"]["@odata.id"].string else {
            throw RedfishError(
                kind: .invalidResponse, bmc: client.endpoint.host, method: "GET", path: path,
                message: "this system has no Bios resource; use the vendor tool")
        }
        let biosDocument = try await client.cached(bios).body
        let settings = biosDocument["@Redfish.Settings"]
        let settingsPath = settings["SettingsObject"]["@odata.id"].string ?? bios + "/Settings"
        let applyTimes = settings["SupportedApplyTimes"].array.compactMap(\.string)
        // Registries are cached per vendor, model, registry name and BIOS version (servers of one model and BIOS
        // share them; iDRAC names every model's registry alike, so the name alone does not tell them apart).
        let registryName = biosDocument["AttributeRegistry"].string
        let biosVersion = systemDocument["BiosVersion"].string ?? "unknown"
        let cacheName = registryName.map {
            [systemDocument["Manufacturer"].string ?? "-", systemDocument["Model"].string ?? "-", $0]
                .joined(separator: "|")
        }
        if let cacheName, let cached = registries.registry(name: cacheName, biosVersion: biosVersion) {
            registry = .some(cached)
        } else {
            var document: JSONValue?
            do {
                document = try await readRegistry(named: registryName)
            } catch {
                // Without the registry, settings resolve against the current attributes only (no display names,
                // no value checks): said once, naming the BMC and the registry.
                logger.warning(
                    "\(client.endpoint.host): cannot read BIOS registry \(registryName ?? "-"): \(error)")
            }
            registry = .some(document.map(RegistryAttribute.parse))
            if let cacheName, let document {
                registries.store(document: document, name: cacheName, biosVersion: biosVersion)
            }
        }
        let supermicro = systemDocument["Manufacturer"].string?.lowercased().contains("supermicro") == true
        licence = supermicro ? .unchecked : .notNeeded
        managerPath = systemDocument["Links"]["ManagedBy"].array.first?["@odata.id"].string
        self.applyTimes = applyTimes
        systemPath = path
        biosPath = bios
        self.settingsPath = settingsPath
    }

    /// The system `id` read at the URI Redfish gives it (`/redfish/v1/Systems/{id}`, DSP0266's URI patterns), without
    /// reading the service root and the collection first; its `@odata.id`, or nil when the BMC has nothing there (a
    /// service with other URIs: the caller then looks it up in the collection).
    private func directSystem(_ id: String) async throws(RedfishError) -> String? {
        let guess = client.serviceRootPath + "/Systems/" + id
        do {
            return try await client.expanded(guess, keeping: Self.keptFromSystem).body["@odata.id"].string ?? guess
        } catch  where error.status == 404 {
            return nil
        }
    }

    /// The attribute registry document named `name`, as the BMC serves it.
    private func readRegistry(named name: String?) async throws -> JSONValue? {
        guard let name else { return nil }
        // The collection's URI is the one its schema fixes (`Redfish.Uris` of MessageRegistryFileCollection:
        // `/redfish/v1/Registries`): the root is read for its link only when the service has it elsewhere.
        var registries = await client.standardLink("Registries")
        do {
            _ = try await client.collection(registries)
        } catch {
            guard error.status == 404 else { throw error }
            guard let linked = try await client.serviceRoot()["Registries"]["@odata.id"].string else { return nil }
            registries = linked
        }
        // A file named like the registry is the one; so is a BIOS attribute registry file whose document bears the
        // name (sushy-tools files `BiosAttributeRegistryP89.v1_0_0` as `BiosAttributeRegistry.v1_0_0`). Files whose
        // path names the BIOS are looked at first: the Messages, Base or Task registries are read only when none of
        // those is the one.
        // Expanded when the service can: every registry file in one answer (iLO lists some twenty).
        let members = try await client.collection(registries).body["Members"].array.compactMap {
            $0["@odata.id"].string
        }
        let named = members.filter { $0.lowercased().contains("bios") }
        for member in named + members.filter({ !named.contains($0) }) {
            let file = try await client.cached(member).body
            let id = file["Id"].string ?? ""
            let sameName = name.hasPrefix(id) || id.hasPrefix(name) || member.hasSuffix(name)
            guard sameName || id.lowercased().contains("biosattributeregistry") else { continue }
            var document = file
            if file["RegistryEntries"].object == nil {
                guard let uri = file["Location"].array.first?["Uri"].string else { continue }
                document = try await client.cached(uri).body
            }
            if sameName || document["Id"].string == name { return document }
        }
        return nil
    }

    /// Reads current and pending attributes and plans `desired` against them. Documents this client has read since
    /// its last write are reused (`RedfishClient.cached`): planning right after discovery, and applying right after
    /// planning, read nothing again; a plan after the client forgot them (an apply under the BMC's lock) reads the
    /// system expanded (`RedfishClient.expanded`), which brings the Bios with it. `withPending: false` (a check after an
    /// apply, whose reset cleared what was pending) does not read the settings object, nor the system: every desired
    /// value not current is then a change.
    public func plan(
        _ desired: DesiredBIOSState, type: DeviceType, catalog: Catalog, withPending: Bool = true
    ) async throws(RedfishError) -> BIOSPlan {
        try await discover()
        if withPending {
            // An apply reads the system before its reset: read now (unless known), expanded where the service may,
            // it carries the Bios too, so the read below needs no request of its own.
            _ = try await client.expanded(systemPath!, keeping: Self.keptFromSystem)
        }
        let current = try await client.cached(biosPath!)
        let pending = withPending ? try await client.cached(settingsPath!) : nil
        lastState = (
            current.body["Attributes"].object ?? [:], pending?.body["Attributes"].object ?? [:],
            pending?.resourceETag
        )
        return BIOSPlanner.plan(
            desired: desired, type: type, catalog: catalog, bmc: client.endpoint.host, current: lastState!.current,
            pending: lastState!.pending, registry: registry ?? nil)
    }

    /// Applies `plan` (from `plan(_:type:catalog:)`): backs up the current settings to `sink`, stages the vendor-tool
    /// changes with `vendorTool` (`route(_:vendorTool:)`: routed settings, and what Redfish lacks), sends one PATCH
    /// of every Redfish change (OnReset when the BMC offers it), resets the host once, waits for the end of POST
    /// (`RedfishClient.waitForPOSTEnd`: BootProgress, HPE PostState, the Dell job, or the pending settings cleared;
    /// `progress` hears each state) and reads every value back, over Redfish and with the tool. Desired values already
    /// pending get the reset without a PATCH. Nothing to change and nothing pending: no PATCH, no reset. `dryRun` only
    /// reports. `stagedFirmware`: BIOS firmware is staged for the next reset, so the host is reset once even when no
    /// setting changes (the settings and the firmware share that one reset). A Supermicro BMC without its out-of-band
    /// licence is refused before anything changes, unless `vendorTool` is SUM in band, which then sets everything.
    /// Applies against what `plan` (or `restorePlan`) read last; the reset makes that stale, so another apply needs
    /// another plan (without one it is refused before anything is sent).
    public func apply(
        _ plan: BIOSPlan, backupTo sink: any BIOSBackupSink, dryRun: Bool = false,
        hostTimeout: Duration = .seconds(900), firstPoll: Duration = .seconds(2), poll: Duration = .seconds(2),
        vendorTool: VendorBIOSApplier? = nil, stagedFirmware: Bool = false,
        progress: (@Sendable (POSTProgress) async -> Void)? = nil
    ) async throws -> Report {
        let start = await client.requestCount
        // The host's POST is a long wait: what comes before and after it runs in child tasks, so the waiting task
        // keeps only this function's frame and the wait's (`ChildTask`).
        var staged = try await ChildTask.run {
            try await self.stage(
                plan, backupTo: sink, dryRun: dryRun, vendorTool: vendorTool, stagedFirmware: stagedFirmware)
        }
        if let reset = staged.reset {
            staged.report.post = try await client.waitForPOSTEnd(
                system: reset.system, before: reset.before, timeout: hostTimeout, firstPoll: firstPoll, poll: poll,
                job: reset.job, settingsObject: settingsPath, pending: staged.changes,
                biosResource: biosPath, progress: progress)
            staged.report = try await ChildTask.run { [staged] in
                try await self.readBack(staged, vendorTool: vendorTool)
            }
        }
        staged.report.requests = await client.requestCount - start
        staged.report.counters = await client.counters
        return staged.report
    }

    /// What `apply` did before the host's POST, and what it must read back after it.
    struct Staged: Sendable {
        /// The report so far.
        var report: Report
        /// The Redfish changes PATCHed.
        var changes: [String: JSONValue]
        /// Desired values that were already pending.
        var pending: [String: JSONValue]
        /// The vendor tool's changes.
        var toolChanges: [VendorBIOSChange]
        /// The reset sent (nil: nothing to change, or a dry run): the system, its POST markers before the reset
        /// (`RedfishClient.postMarkers`), and the iDRAC job that applies the settings.
        var reset: (system: String, before: JSONValue, job: String?)?
    }

    /// `apply` up to the reset: backup, vendor tool, PATCH, reset (or only the report, for a dry run or nothing to
    /// do).
    func stage(
        _ plan: BIOSPlan, backupTo sink: any BIOSBackupSink, dryRun: Bool, vendorTool: VendorBIOSApplier?,
        stagedFirmware: Bool
    ) async throws -> Staged {
        // A vendor tool changes things before the PATCH and (out of band) needs the same licence, and a dry run
        // sends no PATCH to be refused: asked first. With Redfish changes alone the PATCH's answer tells (see
        // `OutOfBandLicence.unchecked`).
        if licence == .unchecked, dryRun || vendorTool != nil || !plan.vendorToolChanges.isEmpty {
            _ = await checkLicence()
        }
        let routing = try route(plan, vendorTool: vendorTool)
        let changes = routing.redfish
        let toolChanges = routing.tool
        var report = Report(
            plan: plan, patched: false, reset: false, verified: [:], backup: nil, requests: 0,
            notApplied: plan.exceptions + routing.notApplied)
        report.redfishFallback = routing.fellBack
        var body: [String: JSONValue] = ["Attributes": .object(changes)]
        if applyTimes.contains("OnReset") {
            body["@Redfish.SettingsApplyTime"] = .object(["ApplyTime": .string("OnReset")])
        }
        let resetLines = [
            "POST \(systemPath ?? "System")/Actions/ComputerSystem.Reset {\"ResetType\":\"ForceRestart\"}",
            "GET \(systemPath ?? "System") until POST is over (BootProgress, Oem.Hpe.PostState, the job, or the "
                + "pending settings cleared)",
        ]
        if dryRun, !changes.isEmpty, let settingsPath {
            let json =
                (try? JSONEncoder().encode(JSONValue.object(body))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            report.wouldSend =
                ["PATCH \(settingsPath) \(json)" + (lastState?.settingsETag.map { " If-Match: \($0)" } ?? "")]
                + resetLines + ["GET \(biosPath ?? "Bios") to verify"]
        }
        if dryRun, let vendorTool, !toolChanges.isEmpty {
            report.wouldSend =
                vendorTool.describe(toolChanges) + (report.wouldSend.isEmpty ? resetLines : report.wouldSend)
                + ["\(vendorTool.name): read the settings back"]
        }
        // Desired values already pending (an earlier PATCH whose reset never came) need the reset, not a PATCH.
        let pending = plan.items.filter { $0.fate == .pending }.compactMap { item in
            item.attribute.flatMap { name in item.desired.map { (name, $0) } }
        }
        var staged = Staged(
            report: report, changes: changes, pending: Dictionary(pending, uniquingKeysWith: { first, _ in first }),
            toolChanges: toolChanges)
        guard !changes.isEmpty || !toolChanges.isEmpty || !pending.isEmpty || stagedFirmware, !dryRun else {
            return staged
        }
        guard let state = lastState else {
            throw BIOSError(
                message: "\(client.endpoint.host): nothing read to apply against: plan (or restorePlan) first; a "
                    + "reset makes an earlier plan stale")
        }
        if !changes.isEmpty || !toolChanges.isEmpty {
            let stamp = Date().formatted(.iso8601).replacingOccurrences(of: ":", with: "")
            staged.report.backup = try await sink.save(
                BIOSBackup(bmc: plan.bmc, deviceType: plan.deviceType, taken: stamp, attributes: state.current))
        }
        if let vendorTool, !toolChanges.isEmpty {
            try await vendorTool.apply(toolChanges)
            staged.report.vendorTool = vendorTool.name
        }
        // The system as this step read it (a workflow's apply step forgets what earlier steps read, so this is what
        // the BMC shows now): its power state picks the reset and tells, after a lost answer, whether the reset
        // happened; its BootProgress tells a new POST from the last one's leftovers.
        let before = try await client.cached(systemPath!).body
        var job: String?
        if !changes.isEmpty {
            let answer: RedfishResponse
            do {
                answer = try await client.patch(settingsPath!, .object(body), etag: state.settingsETag)
            } catch {
                guard licence == .unchecked, Self.isLicenceRefusal(error) else { throw error }
                licence = .absent
                throw Self.licenceError(bmc: plan.bmc, needs: changes.keys.sorted())
            }
            staged.report.patched = true
            CrashPoint.hit(CrashPoint.biosPatched)
            // iDRAC answers 202 with the configuration job that applies the settings during the next POST.
            if answer.status == 202, let location = answer.location, location.contains("/Jobs/") { job = location }
        }
        try await client.reset(
            system: systemPath!, type: before["PowerState"].string == "Off" ? "On" : "ForceRestart", current: before)
        staged.report.reset = true
        staged.reset = (systemPath!, RedfishClient.postMarkers(before), job)
        // What the plan read is stale once the host resets (and a run waiting for POST need not keep it).
        lastState = nil
        return staged
    }

    /// `apply` after the host's POST: every value read back, over Redfish and with the vendor tool.
    func readBack(_ staged: Staged, vendorTool: VendorBIOSApplier?) async throws -> Report {
        var report = staged.report
        if let job = staged.reset?.job { report.job = job.split(separator: "/").last.map(String.init) ?? job }
        // The end-of-POST wait may have read the BIOS resource already (a service that shows no POST state).
        let after = try await client.cached(biosPath!).body["Attributes"].object ?? [:]
        for (attribute, wanted) in staged.changes.merging(staged.pending, uniquingKeysWith: { first, _ in first }) {
            report.verified[attribute] = after[attribute].map { BIOSPlanner.same($0, wanted) } ?? false
        }
        if let vendorTool, !staged.toolChanges.isEmpty {
            report.verified.merge(try await vendorTool.verify(staged.toolChanges)) { redfish, tool in redfish && tool }
        }
        return report
    }

    /// The plan that puts `backup`'s values back (only attributes that differ now).
    public func restorePlan(_ backup: BIOSBackup) async throws(RedfishError) -> BIOSPlan {
        try await discover()
        let current = try await client.fetch(biosPath!)
        let pending = try await client.fetch(settingsPath!)
        let attributes = current.body["Attributes"].object ?? [:]
        lastState = (attributes, pending.body["Attributes"].object ?? [:], pending.resourceETag)
        let items = backup.attributes.sorted { $0.key < $1.key }.compactMap { name, value -> BIOSPlan.Item? in
            guard let now = attributes[name] else { return nil }
            let same = BIOSPlanner.same(now, value)
            return BIOSPlan.Item(
                setting: name, attribute: name, current: now, desired: value, fate: same ? .alreadySet : .change,
                source: "backup \(backup.taken)")
        }
        return BIOSPlan(deviceType: backup.deviceType, bmc: client.endpoint.host, items: items)
    }
}

/// A BIOS operation was refused.
public struct BIOSError: Error, Sendable, CustomStringConvertible {
    /// What and why.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// BIOS attributes saved before a change.
public struct BIOSBackup: Sendable, Hashable, Codable {
    /// The BMC.
    public var bmc: String
    /// The device type whose settings were applied.
    public var deviceType: String
    /// When (UTC, compact ISO 8601).
    public var taken: String
    /// The attributes as they were.
    public var attributes: [String: JSONValue]

    /// Creates a backup.
    public init(bmc: String, deviceType: String, taken: String, attributes: [String: JSONValue]) {
        self.bmc = bmc
        self.deviceType = deviceType
        self.taken = taken
        self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey {
        case bmc
        case deviceType = "device_type"
        case taken, attributes
    }

    /// Reads a backup file.
    public static func load(_ path: String) throws -> BIOSBackup {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogDiagnostic(
                .error, "unreadable-file", at: SourceLocation(file: path), "cannot read the backup.")
        }
        return try JSONDecoder().decode(BIOSBackup.self, from: data)
    }
}

import Foundation
import Inventory
import MAAS
import Store
import WorkflowEngine

/// What `commission` did in MAAS.
public struct MAASStepOutput: Sendable, Hashable, Codable {
    /// MAAS's id for the machine.
    public var systemID: String
    /// Its hostname.
    public var hostname: String
    /// Its status afterwards (`Ready`).
    public var status: String
    /// HWAutomation's tags on it.
    public var tags: [String]
    /// Whether this step started commissioning.
    public var commissioned: Bool

    enum CodingKeys: String, CodingKey {
        case systemID = "system_id"
        case hostname, status, tags, commissioned
    }
}

extension CommissioningSteps {
    /// The MAAS region for this run: input `maas_url` + `maas_credential` (a stored credential whose secret is the
    /// API key), else the services' default (HWA_MAAS_URL / HWA_MAAS_API_KEY); nil when there is none.
    func maasEndpoint(_ input: CommissioningInput) async throws -> MAASEndpoint? {
        do {
            if let url = input.maasURL.flatMap(URL.init(string:)) {
                let key = try await services.credential(input.maasCredential, for: "MAAS \(url)", sendingTo: url)
                    .secret
                return try MAASEndpoint(url: url, apiKey: key, tlsPolicy: input.maasTLS)
            }
            guard let maas = services.maas else { return nil }
            return try MAASEndpoint(url: maas.url, apiKey: maas.apiKey)
        } catch let error as MAASError {
            throw StepError("\(error)")
        }
    }

    /// HWAutomation's tags for a server: `hwa-type-…`, `hwa-vendor-…`, `hwa-confidence-…`.
    static func maasTags(_ decided: ClassifyOutput) -> [String] {
        MAASSync.tags(type: decided.deviceType, vendor: decided.vendor, confidence: decided.confidence)
    }

    /// Finds the server's machine in MAAS (serial, then MACs), tags it with what it is (removing tags of an earlier
    /// classification), and commissions it unless it is already Ready; waits for Ready.
    func commissionInMAAS(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing changed") }
        if let validation = try context.output(CommissioningStepKeys.validate), !validation.passed {
            return .skipped(
                reason: "not handed over: boarding validation failed (" + validation.reasons.joined(separator: "; ")
                    + "); fix it, then `hwautomation validate --server \(context.serverID)`")
        }
        guard let endpoint = try await maasEndpoint(input) else {
            return .skipped(reason: "no MAAS configured (HWA_MAAS_URL + HWA_MAAS_API_KEY, or input maas_url)")
        }
        guard let inventory = try context.output(CommissioningStepKeys.discover),
            let decided = try context.output(CommissioningStepKeys.classify)
        else { throw StepError("no inventory or classification to commission with") }
        let output = try await MAASClient.forStep(endpoint, logger: context.logger) { client in
            try await commission(client, inventory, decided, context)
        }
        return .done(output: StepContext.json(output))
    }

    private func commission(
        _ client: MAASClient, _ inventory: Inventory, _ decided: ClassifyOutput, _ context: StepContext
    ) async throws -> MAASStepOutput {
        let input = try context.input(CommissioningInput.self)
        let macs = inventory.nics.compactMap(\.mac).map { $0.lowercased() }
        guard var machine = try await find(client, macs: macs, serial: inventory.system.serial) else {
            throw StepError(
                "no MAAS machine has serial \(inventory.system.serial ?? "?") or MAC \(macs.first ?? "?"); enlist it "
                    + "in MAAS (PXE boot or `maas machines create`) and resume")
        }
        let wanted = try await applyTags(client, machine, decided, input, context)
        var commissioned = false
        let force = input.maasForce
        switch machine.status {
        case MAASMachine.Status.ready where !input.maasRecommission:
            await context.report("\(machine.hostname) is already Ready in MAAS", percent: 90)
        case MAASMachine.Status.commissioning:
            await context.report("\(machine.hostname) is commissioning; waiting", percent: 40)
        case MAASMachine.Status.new, MAASMachine.Status.ready, MAASMachine.Status.failedCommissioning,
            MAASMachine.Status.failedTesting, MAASMachine.Status.broken:
            if machine.status == MAASMachine.Status.broken {
                machine = try await client.operate(machine.systemID, "mark_fixed")
            }
            machine = try await client.commission(machine.systemID)
            commissioned = true
            await context.report("MAAS: commissioning \(machine.hostname)", percent: 30)
        default:
            guard force else {
                throw StepError(
                    "\(machine.hostname) is \(machine.statusName) in MAAS; not touched (set maas_force=true to release "
                        + "and recommission it)")
            }
            _ = try await client.operate(machine.systemID, "release")
            _ = try await client.wait(
                for: machine.systemID, until: [MAASMachine.Status.ready], timeout: services.hostTimeout)
            machine = try await client.commission(machine.systemID)
            commissioned = true
        }
        let final = try await client.wait(
            for: machine.systemID, until: [MAASMachine.Status.ready],
            failOn: [MAASMachine.Status.failedCommissioning, MAASMachine.Status.failedTesting],
            timeout: services.hostTimeout
        ) { state in
            await context.report("MAAS: \(state.hostname) \(state.statusName)")
        }
        if var server = try await services.store.server(id: context.serverID) {
            server.status = "commissioned"
            server.maasSystemID = final.systemID
            server.updatedAt = Date()
            try await services.store.upsertServer(server)
        }
        return MAASStepOutput(
            systemID: final.systemID, hostname: final.hostname, status: final.statusName,
            tags: wanted, commissioned: commissioned)
    }

    /// Puts HWAutomation's device metadata on `machine`: tags for `decided` and, when the run knows it, the rack
    /// (`hwa-rack-…`, from input `rack`), each created if missing; `hwa-` tags of an earlier classification taken
    /// off (an earlier rack tag stays unless a new rack is given); and a one-line description with the type,
    /// confidence, vendor, BMC address and rack. Returns the tags wanted.
    func applyTags(
        _ client: MAASClient, _ machine: MAASMachine, _ decided: ClassifyOutput, _ input: CommissioningInput,
        _ context: StepContext
    ) async throws(MAASError) -> [String] {
        let rack = input.rack
        let wanted = Self.maasTags(decided) + (rack.map { ["hwa-rack-" + MAASSync.slug($0)] } ?? [])
        for tag in wanted where !machine.tagNames.contains(tag) {
            try await client.ensureTag(tag, comment: "set by HWAutomation")
            try await client.updateTagNodes(tag, add: [machine.systemID])
        }
        for stale in machine.tagNames where stale.hasPrefix("hwa-") && !wanted.contains(stale) {
            if rack == nil, stale.hasPrefix("hwa-rack-") { continue }
            try await client.updateTagNodes(stale, remove: [machine.systemID])
        }
        let bmc = input.bmc.flatMap { URL(string: $0.contains("://") ? $0 : "https://" + $0)?.host }
        let description =
            "HWAutomation: \(decided.deviceType) (\(decided.confidence))"
            + [decided.vendor.map { "vendor \($0)" }, bmc.map { "BMC \($0)" }, rack.map { "rack \($0)" }]
            .compactMap { $0 }.map { ", " + $0 }.joined()
        if machine.description != description {
            _ = try await client.update(machine.systemID, [("description", description)])
        }
        return wanted
    }

    /// The MAAS machine of this server: one of its MACs, else its serial; nil when MAAS has none.
    private func find(_ client: MAASClient, macs: [String], serial: String?) async throws(MAASError) -> MAASMachine? {
        if !macs.isEmpty {
            let byMAC = try await client.machines(filters: macs.map { ("mac_address", $0) })
            if byMAC.count == 1 { return byMAC[0] }
        }
        guard let serial else { return nil }
        return try await client.machines().first { $0.serial == serial }
    }
}

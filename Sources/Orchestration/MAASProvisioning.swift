import Foundation
import Inventory
import MAAS
import Store
import WorkflowEngine

/// What `maas-commission` found: the machine in its ephemeral environment and how to reach it.
public struct MAASCommissionOutput: Sendable, Hashable, Codable {
    /// MAAS's id.
    public var systemID: String
    /// Its hostname.
    public var hostname: String
    /// Its status afterwards (`Ready`).
    public var status: String
    /// Whether this step started commissioning.
    public var commissioned: Bool
    /// The address SSH uses (the first of `addresses`).
    public var address: String
    /// Every address MAAS shows (observed first, then configured links).
    public var addresses: [String]
    /// The BMC address from MAAS's power parameters, when it has one.
    public var bmc: String?
    /// The stored credential the BMC steps log in with (the run's own, or `maas-<system id>` made from MAAS's
    /// power parameters); never the secret.
    public var credential: String?

    enum CodingKeys: String, CodingKey {
        case systemID = "system_id"
        case hostname, status, commissioned, address, addresses, bmc, credential
    }
}

/// The MAAS-first provisioning workflow, the original tool's standard one: the machine is picked in MAAS,
/// commissioned with SSH into MAAS's ephemeral environment, found at the address MAAS shows for it, discovered over
/// SSH, classified, its BMC configured in band (ipmitool on the host), its BIOS set over Redfish, verified, tagged in
/// MAAS and recorded.
///
/// Input: `maas_system_id` (required), `ssh_user` (default `ubuntu`, the ephemeral environment's), `ssh_key`,
/// `ssh_port`, `known_hosts` (default: a file for this run only, since each ephemeral environment has new host
/// keys: the first connection is trusted and then held to for the run), `bmc` + `credential` (default: MAAS's power
/// address, and its power user and password stored as credential `maas-<system id>`, bound to that address),
/// `bmc_pool`, `device_type`, `maas_url` + `maas_credential` (default HWA_MAAS_URL / HWA_MAAS_API_KEY), `maas_force`
/// (release a deployed or allocated machine first), `maas_recommission`.
public enum MAASProvisioning {
    /// `maas-provisioning`.
    public static let name = "maas-provisioning"

    /// The definition over `services`.
    public static func definition(_ services: CommissioningServices) -> WorkflowDefinition {
        let steps = CommissioningSteps(services: services)
        return WorkflowDefinition(
            name: name, version: 1,
            summary:
                "commission in MAAS with SSH, discover in its ephemeral environment, classify, configure the BMC in band, "
                + "apply BIOS, verify, tag in MAAS, record",
            steps: [
                StepDefinition(
                    CommissioningStepKeys.maasCommission, idempotent: true,
                    timeout: services.hostTimeout + .seconds(600),
                    run: steps.maasCommission),
                StepDefinition(
                    CommissioningStepKeys.discover, idempotent: true, timeout: .seconds(600),
                    run: { try await steps.discover(try steps.maasResolved($0)) }),
                StepDefinition(
                    CommissioningStepKeys.classify, idempotent: true, timeout: .seconds(60),
                    retry: RetryPolicy(maxAttempts: 1),
                    run: { try await steps.classify(try steps.maasResolved($0), requireType: false) }),
                StepDefinition(
                    CommissioningStepKeys.configureBMC, idempotent: false, mutating: true, timeout: .seconds(600),
                    check: { try await steps.checkConfigureBMCInBand(try steps.maasResolved($0)) },
                    run: { try await steps.configureBMCInBand(try steps.maasResolved($0)) }),
                StepDefinition(
                    CommissioningStepKeys.planBIOS, idempotent: true, timeout: .seconds(300),
                    run: { try await steps.planBIOS(try steps.maasResolved($0)) }),
                StepDefinition(
                    CommissioningStepKeys.applyBIOS, idempotent: false, mutating: true,
                    timeout: services.hostTimeout + .seconds(600),
                    retry: RetryPolicy(maxAttempts: 3),
                    check: { try await steps.checkApply(try steps.maasResolved($0)) },
                    run: { try await steps.applyBIOS(try steps.maasResolved($0)) }),
                StepDefinition(
                    CommissioningStepKeys.verify, idempotent: true, timeout: .seconds(300),
                    run: { try await steps.verify(try steps.maasResolved($0)) }),
                StepDefinition(
                    CommissioningStepKeys.tag, idempotent: true, timeout: .seconds(300),
                    run: { try await steps.tagInMAAS(try steps.maasResolved($0)) }
                ),
                StepDefinition(
                    CommissioningStepKeys.record, idempotent: true, timeout: .seconds(60),
                    run: { try await steps.record(try steps.maasResolved($0)) }
                ),
            ],
            inputType: CommissioningInput.self,
            permitKeys: { context in
                let found = try? context.output(CommissioningStepKeys.maasCommission)
                let input = try? context.input(CommissioningInput.self)
                return PermitKeys(
                    bmc: CommissioningWorkflows.bmcKey(input?.bmc ?? found?.bmc, system: input?.system),
                    vendor: (try? context.output(CommissioningStepKeys.classify))??.vendor)
            },
            onStop: { workflow in
                await services.stopped(workflow)
                try? FileManager.default.removeItem(atPath: CommissioningSteps.runKnownHosts(workflow.id))
            })
    }
}

extension CommissioningSteps {
    /// The per-run known_hosts file of a MAAS-first run.
    static func runKnownHosts(_ workflowID: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hwa-known-hosts-\(workflowID)").path
    }

    /// The run's context with what `maas-commission` learned: where SSH goes, which BMC and credential.
    func maasResolved(_ context: StepContext) throws -> StepContext {
        let input = try context.input(CommissioningInput.self)
        guard let found = try context.output(CommissioningStepKeys.maasCommission) else {
            throw StepError("no machine from maas-commission")
        }
        // What the run was given wins over what MAAS found.
        var resolved = input
        resolved.sshHost = input.sshHost ?? "\(input.sshUser ?? "ubuntu")@\(found.address)"
        resolved.knownHosts = input.knownHosts ?? Self.runKnownHosts(context.workflowID)
        resolved.bmc = input.bmc ?? found.bmc
        resolved.credential = input.credential ?? found.credential
        return context.with(input: resolved)
    }

    /// Commissions the machine with SSH into the ephemeral environment (unless it is already there: Ready and
    /// powered on), waits for Ready with every state passed recorded, and finds its address and BMC.
    func maasCommission(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        guard let systemID = input.maasSystemID, !systemID.isEmpty else {
            throw StepError("the MAAS-first workflow needs a machine (input maas_system_id)")
        }
        guard let endpoint = try await maasEndpoint(input) else {
            throw StepError("no MAAS configured (HWA_MAAS_URL + HWA_MAAS_API_KEY, or input maas_url + maas_credential)")
        }
        let output = try await MAASClient.forStep(endpoint, logger: context.logger) { client in
            try await commissionForSSH(client, systemID, context)
        }
        return .done(output: StepContext.json(output))
    }

    private func commissionForSSH(_ client: MAASClient, _ systemID: String, _ context: StepContext) async throws
        -> MAASCommissionOutput
    {
        let input = try context.input(CommissioningInput.self)
        var machine = try await client.machine(systemID)
        await context.report("MAAS: \(machine.hostname) is \(machine.statusName)", percent: 5)
        let inEphemeral = machine.status == MAASMachine.Status.ready && machine.powerState == "on"
        var commissioned = false
        var options = MAASClient.CommissionOptions()
        options.enableSSH = true
        switch machine.status {
        case MAASMachine.Status.commissioning:
            await context.report("\(machine.hostname) is commissioning; waiting", percent: 10)
        case MAASMachine.Status.ready where inEphemeral && !input.maasRecommission:
            await context.report("\(machine.hostname) is Ready in its ephemeral environment", percent: 60)
        case MAASMachine.Status.new, MAASMachine.Status.ready, MAASMachine.Status.failedCommissioning,
            MAASMachine.Status.failedTesting, MAASMachine.Status.broken:
            if machine.status == MAASMachine.Status.broken {
                machine = try await client.operate(systemID, "mark_fixed")
            }
            machine = try await client.commission(systemID, options: options)
            commissioned = true
        default:
            guard input.maasForce else {
                throw StepError(
                    "\(machine.hostname) is \(machine.statusName) in MAAS; not touched (set maas_force=true to release "
                        + "and recommission it)")
            }
            _ = try await client.operate(systemID, "release")
            _ = try await client.wait(for: systemID, until: [MAASMachine.Status.ready], timeout: services.hostTimeout)
            machine = try await client.commission(systemID, options: options)
            commissioned = true
        }
        if commissioned { await context.report("MAAS: commissioning \(machine.hostname) with SSH", percent: 20) }
        let ready = try await client.wait(
            for: systemID, until: [MAASMachine.Status.ready],
            failOn: [MAASMachine.Status.failedCommissioning, MAASMachine.Status.failedTesting],
            timeout: services.hostTimeout
        ) { state in
            await context.report("MAAS: \(state.hostname) \(state.statusName)")
        }
        guard let address = ready.addresses.first else {
            throw StepError(
                "\(ready.hostname) is Ready but MAAS shows no address on its interfaces (interface_set discovered "
                    + "or links); check its boot interface and DHCP", transient: true)
        }
        let (bmc, credential) = try await bmcAccess(client, ready, context)
        var server =
            try await services.store.server(id: context.serverID)
            ?? ServerRecord(id: context.serverID, name: context.serverID)
        server.maasSystemID = ready.systemID
        server.bmcAddress = bmc ?? server.bmcAddress
        server.credential = credential ?? server.credential
        server.sshHost = "\(input.sshUser ?? "ubuntu")@\(address)"
        server.updatedAt = Date()
        try await services.store.upsertServer(server)
        return MAASCommissionOutput(
            systemID: ready.systemID, hostname: ready.hostname, status: ready.statusName, commissioned: commissioned,
            address: address, addresses: ready.addresses, bmc: bmc, credential: credential)
    }

    /// The BMC and the credential for it: the run's own, else MAAS's power parameters (`power_address`; the power
    /// user and password stored, encrypted, as credential `maas-<system id>`).
    private func bmcAccess(_ client: MAASClient, _ machine: MAASMachine, _ context: StepContext) async throws
        -> (bmc: String?, credential: String?)
    {
        let input = try context.input(CommissioningInput.self)
        if let bmc = input.bmc, !bmc.isEmpty { return (bmc, input.credential) }
        let parameters = try await client.powerParameters(machine.systemID)
        guard let address = parameters["power_address"], !address.isEmpty else {
            return (nil, input.credential)
        }
        if let given = input.credential, !given.isEmpty { return (address, given) }
        guard let user = parameters["power_user"], let password = parameters["power_pass"], !password.isEmpty else {
            return (address, nil)
        }
        let name = "maas-\(machine.systemID)"
        let scope = try await powerCredentialScope(address, context)
        try await services.store.putCredential(name: name, user: user, secret: password, kind: "bmc", scope: scope)
        try await services.store.audit(
            AuditEntry(
                actor: "workflow \(context.workflowID)", action: "credential.from-maas", target: name,
                detail: "power parameters of \(machine.hostname); bound to \(scope.patterns.joined(separator: ", "))"
                    + (scope.allowPlainHTTP ? "; plain http allowed" : "")))
        return (address, name)
    }

    /// Where MAAS's power password may go: only the power address MAAS named (its host), and over plain http only
    /// when the MAAS key's own credential allows plain http (a lab region); a key from the environment never does.
    private func powerCredentialScope(_ address: String, _ context: StepContext) async throws -> CredentialScope {
        let input = try context.input(CommissioningInput.self)
        guard let url = URL(string: address.contains("://") ? address : "https://" + address), let host = url.host,
            let pattern = try? AddressPattern(host)
        else {
            throw StepError("MAAS's power address `\(address)` has no host a credential can be bound to")
        }
        var plainHTTP = false
        if input.maasURL != nil, let name = input.maasCredential, !name.isEmpty {
            plainHTTP = try await services.store.credential(name: name)?.scope.allowPlainHTTP ?? false
        }
        return CredentialScope(allow: [pattern], allowPlainHTTP: plainHTTP)
    }

    /// Tags the machine in MAAS with what it was classified as (creating tags, removing earlier `hwa-` tags).
    func tagInMAAS(_ context: StepContext) async throws -> StepOutcome {
        let input = try context.input(CommissioningInput.self)
        if input.dryRun { return .skipped(reason: "dry run: nothing changed") }
        guard let found = try context.output(CommissioningStepKeys.maasCommission),
            let decided = try context.output(CommissioningStepKeys.classify)
        else { throw StepError("no machine or classification to tag") }
        guard let endpoint = try await maasEndpoint(input) else {
            throw StepError("no MAAS configured (HWA_MAAS_URL + HWA_MAAS_API_KEY, or input maas_url + maas_credential)")
        }
        let (machine, tags) = try await MAASClient.forStep(endpoint, logger: context.logger) { client in
            let machine = try await client.machine(found.systemID)
            return (machine, try await applyTags(client, machine, decided, input, context))
        }
        return .done(
            output: StepContext.json(
                MAASStepOutput(
                    systemID: machine.systemID, hostname: machine.hostname, status: machine.statusName, tags: tags,
                    commissioned: found.commissioned)))
    }
}

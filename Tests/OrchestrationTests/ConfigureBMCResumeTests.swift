import Catalog
import Foundation
import Logging
import Orchestration
import Remote
import Store
import TestSupport
import Testing
import WorkflowEngine

/// `configure-bmc` resumed after its process stopped mid-change: its check finds where the BMC is now (the pool's
/// address for the server, or the original one) and decides from what the BMC shows there. Out of band against a
/// stand-in ipmitool that answers only at the addresses the test says, in band through a host whose ipmitool shows
/// a given `lan print`.
@Suite("configure-bmc resumed after a crash")
struct ConfigureBMCResumeTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog
    static let original = "10.20.0.5"
    static let assigned = "10.30.0.10"
    let logger = Logger(label: "configure-bmc-resume")

    /// A stand-in ipmitool for one BMC: it answers at `-H` only when `$DIR/answers-<host>` exists, prints
    /// `$DIR/lan` for `lan print`, and `lan set` edits that file.
    static let ipmitool = #"""
        host=""
        while [ $# -gt 0 ]; do
            case "$1" in
                -H) host="$2"; shift 2 ;;
                -I|-p|-U|-C|-N|-R) shift 2 ;;
                -E) shift ;;
                *) break ;;
            esac
        done
        if [ ! -f "$DIR/answers-$host" ]; then
            echo "Error: Unable to establish IPMI v2 / RMCP+ session" >&2
            exit 1
        fi
        case "$1 $2" in
            "lan print") cat "$DIR/lan" ;;
            "mc info") printf 'Manufacturer Name         : Super Micro\nFirmware Revision         : 1.73\n' ;;
            "lan set")
                case "$4" in
                    ipsrc) sed -i "s|^IP Address Source *:.*|IP Address Source       : Static Address|" "$DIR/lan" ;;
                    ipaddr) sed -i "s|^IP Address *:.*|IP Address              : $5|" "$DIR/lan" ;;
                    netmask) sed -i "s|^Subnet Mask *:.*|Subnet Mask             : $5|" "$DIR/lan" ;;
                    defgw) sed -i "s|^Default Gateway IP *:.*|Default Gateway IP      : $6|" "$DIR/lan" ;;
                esac ;;
            *) echo "Invalid command: $*" >&2; exit 1 ;;
        esac
        """#

    /// `lan print` of a BMC at `ip`.
    static func lan(_ ip: String, netmask: String = "255.255.0.0", gateway: String = "10.30.0.1") -> String {
        """
        Set in Progress         : Set Complete
        IP Address Source       : Static Address
        IP Address              : \(ip)
        Subnet Mask             : \(netmask)
        MAC Address             : 3c:ec:ef:00:00:01
        Default Gateway IP      : \(gateway)

        """
    }

    /// The run's input: the original address, the pool and the settings asked for.
    static let input = [
        "ipmi_host": original, "ipmi_credential": "ipmi", "bmc_pool": "bmc", "bmc_netmask": "255.255.0.0",
        "bmc_gateway": "10.30.0.1",
    ]

    /// A store with the pool, the credential and the address the interrupted attempt was assigned.
    static func store(password: String) async throws -> InMemoryStore {
        let store = InMemoryStore(box: .ephemeral())
        try await store.definePool(name: "bmc", ranges: ["10.30.0.10-10.30.0.20"], exclusions: [])
        try await store.putCredential(name: "ipmi", user: "admin", secret: password, kind: "bmc")
        #expect(try await store.assign(pool: "bmc", serverID: "srv-1") == assigned)
        return store
    }

    /// Stores a run of `definition` whose owner stopped while `configure-bmc` (after `before`, succeeded with their
    /// outputs) was running, and resumes it.
    static func resume(
        _ store: InMemoryStore, _ definition: WorkflowDefinition, input: [String: String],
        before: [(String, String)] = [], logger: Logger
    ) async throws -> (WorkflowRecord, StepRecord) {
        let id = "wf-\(definition.name)"
        var steps = before.enumerated().map { index, step in
            StepRecord(workflowID: id, index: index, name: step.0, state: .succeeded, attempt: 1, output: step.1)
        }
        steps.append(
            StepRecord(
                workflowID: id, index: steps.count, name: CommissioningStepKeys.configureBMC.name, state: .running,
                attempt: 1))
        _ = try await store.createWorkflow(
            WorkflowRecord(
                id: id, definition: definition.name, version: definition.version, serverID: "srv-1",
                state: .running, input: StepContext.json(input), owner: "gone:1",
                heartbeat: Date(timeIntervalSince1970: 0)),
            steps: steps, event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
        let engine = Engine(repository: store, definitions: [definition], logger: logger)
        let result = try #require(await engine.run([id]).first)
        let step = try #require(try await store.steps(workflowID: id).last)
        return (result, step)
    }

    /// `definition`'s steps up to `configure-bmc`, as a workflow of their own (what follows needs a Redfish BMC).
    static func upToConfigureBMC(_ definition: WorkflowDefinition, keeping names: [String]) throws
        -> WorkflowDefinition
    {
        let step = try #require(definition.steps.first { $0.name == CommissioningStepKeys.configureBMC.name })
        #expect(!step.idempotent && step.check != nil, "configure-bmc moves the BMC: it is checked, not re-run")
        return WorkflowDefinition(
            name: definition.name, version: definition.version, summary: definition.summary,
            steps: definition.steps.filter { names.contains($0.name) } + [step],
            inputType: CommissioningInput.self)
    }

    /// Out of band: the BMC answering at `answers` with `lan`; the run resumed; what the stand-in was asked.
    func outOfBand(answers: [String], lan: String) async throws -> (WorkflowRecord, StepRecord, [[String]]) {
        let standIn = try StandInTool(name: "ipmitool", body: Self.ipmitool)
        defer { standIn.remove() }
        try standIn.write("lan", lan)
        for address in answers { try standIn.write("answers-\(address)", "") }
        let store = try await Self.store(password: standIn.password)
        var services = CommissioningServices(
            catalog: Self.catalog, store: store, runner: ProcessRunner(logger: logger), logger: logger)
        services.ipmitool = standIn.executable.path
        let full = try #require(
            CommissioningWorkflows.definitions(services).first { $0.name == CommissioningWorkflows.intelligent })
        let (result, step) = try await Self.resume(
            store, try Self.upToConfigureBMC(full, keeping: []), input: Self.input, logger: logger)
        let calls = try standIn.calls().map { call in
            Array(call.arguments.drop { $0 != "-R" }.dropFirst(2))
        }
        return (result, step, calls)
    }

    @Test("out of band: the BMC answering at its pool address with the settings asked for completes the step")
    func movedCompletes() async throws {
        let (result, step, calls) = try await outOfBand(answers: [Self.assigned], lan: Self.lan(Self.assigned))
        #expect(result.state == .succeeded, "\(result.reason ?? "")")
        #expect(step.state == .succeeded && step.attempt == 1)
        let output = try #require(
            step.output.flatMap { try? JSONDecoder().decode(BMCStepOutput.self, from: Data($0.utf8)) })
        #expect(output.changed && output.address == Self.assigned && output.firmware == "1.73")
        #expect(!calls.contains { $0.starts(with: ["lan", "set"]) }, "nothing set again: \(calls)")
    }

    @Test("out of band: the BMC still at its original address as before is configured again")
    func unmovedRunsAgain() async throws {
        let (result, step, calls) = try await outOfBand(answers: [Self.original], lan: Self.lan(Self.original))
        #expect(result.state == .succeeded, "\(result.reason ?? "")")
        #expect(step.state == .succeeded && step.attempt == 2)
        let output = try #require(
            step.output.flatMap { try? JSONDecoder().decode(BMCStepOutput.self, from: Data($0.utf8)) })
        #expect(output.changed && output.address == Self.assigned)
        #expect(calls.contains(["lan", "set", "1", "ipaddr", Self.assigned]))
    }

    @Test("out of band: a BMC answering nowhere waits for an operator, naming both addresses tried")
    func lostWaits() async throws {
        let (result, step, calls) = try await outOfBand(answers: [], lan: Self.lan(Self.assigned))
        #expect(result.state == .waiting)
        #expect(step.state == .waiting && step.attempt == 1)
        let reason = result.reason ?? ""
        #expect(reason.contains("\(Self.assigned): no answer") && reason.contains("\(Self.original): no answer"))
        #expect(!calls.contains { $0.starts(with: ["lan", "set"]) })
    }

    @Test("out of band: at the pool address with another netmask (half a change) waits for an operator")
    func halfChangedWaits() async throws {
        let (result, _, _) = try await outOfBand(
            answers: [Self.assigned], lan: Self.lan(Self.assigned, netmask: "255.255.255.0"))
        #expect(result.state == .waiting)
        #expect(result.reason?.contains("netmask 255.255.255.0") == true, "\(result.reason ?? "")")
    }

    /// In band (MAAS-first): the host's ipmitool shows `lan`; the run resumed.
    func inBand(lan: String) async throws -> (WorkflowRecord, StepRecord) {
        let store = try await Self.store(password: "unused")
        var services = CommissioningServices(
            catalog: Self.catalog, store: store, runner: ProcessRunner(logger: logger), logger: logger)
        services.shells = { _, _, _ in LANShell(lan: lan) }
        let found = """
            {"system_id":"abc123","hostname":"srv-1","status":"Ready","commissioned":true,"address":"10.40.0.9",\
            "addresses":["10.40.0.9"],"bmc":"\(Self.original)","credential":"ipmi"}
            """
        var input = Self.input
        input["ipmi_host"] = nil
        input["maas_system_id"] = "abc123"
        let definition = try Self.upToConfigureBMC(
            MAASProvisioning.definition(services), keeping: [CommissioningStepKeys.maasCommission.name])
        return try await Self.resume(
            store, definition, input: input, before: [(CommissioningStepKeys.maasCommission.name, found)],
            logger: logger)
    }

    @Test("in band: the host's BMC at its pool address with the settings asked for completes the step")
    func inBandMovedCompletes() async throws {
        let (result, step) = try await inBand(lan: Self.lan(Self.assigned))
        #expect(result.state == .succeeded, "\(result.reason ?? "")")
        #expect(step.attempt == 1 && step.output?.contains("\"changed\":true") == true)
    }

    @Test("in band: the BMC at neither the pool address nor MAAS's power address waits for an operator")
    func inBandElsewhereWaits() async throws {
        let (result, _) = try await inBand(lan: Self.lan("10.99.0.7"))
        #expect(result.state == .waiting)
        let reason = result.reason ?? ""
        #expect(reason.contains("10.99.0.7") && reason.contains(Self.original) && reason.contains(Self.assigned))
    }
}

/// A host whose ipmitool (in band) prints a given `lan print` and `mc info`.
struct LANShell: RemoteShell {
    let lan: String
    var targetDescription: String { "test host" }

    func run(_ command: String, root: Bool, timeout: Duration) async throws(SSHError) -> ProcessOutput {
        let text: String? =
            switch command {
            case "ipmitool lan print 1": lan
            case "ipmitool mc info": "Manufacturer Name         : Super Micro\nFirmware Revision         : 1.73\n"
            default: nil
            }
        return ProcessOutput(
            termination: .exited(text == nil ? 127 : 0), standardOutput: text ?? "",
            standardError: text == nil ? "sh: command not found\n" : "", duration: .zero)
    }

    func close() async {}
}

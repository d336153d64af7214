import BIOS
import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Orchestration
import Redfish
import Remote
import Store
import TestSupport
import Testing
import VendorTools
import WorkflowEngine

/// `apply-bios` with settings routed to the vendor tool (SUM, a stand-in), resumed after its process stopped: the
/// check reads those settings back with the tool, and the tool is not run again for what it already has.
@Suite("apply-bios with a vendor tool, resumed after a crash")
struct VendorBIOSResumeTests {
    let logger = Logger(label: "vendor-bios-resume")

    /// How far the interrupted attempt got.
    enum Stopped {
        /// SUM staged the settings; no PATCH, no reset yet.
        case afterTheTool
        /// Everything: SUM, the PATCH, the reset; only the step's end was not recorded.
        case beforeRecording
    }

    /// What the resumed run did.
    struct Resumed {
        var result: WorkflowRecord
        var step: StepRecord
        var changeCalls: Int
        var resets: Int
        var patches: Int
    }

    /// s2.c2.small with every changing setting SUM has a key for (BootMode aside) routed to the vendor tool; an
    /// attempt that stopped as `stopped` says; the run resumed through the engine.
    func resumed(_ stopped: Stopped) async throws -> Resumed {
        let catalog = try CatalogLoader.load(directory: nil).catalog
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings)
        let standIn = try StandInTool(name: "sum", body: StandInScripts.sum, password: settings.password)
        defer { standIn.remove() }
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        let logger = logger
        let (user, password) = (settings.user, settings.password)
        let id = "wf-vendor-bios"
        let result: WorkflowRecord = try await lab.withServer { port in
            var catalog = catalog
            let bmc = Lab.baseURL(port: port, index: 0)
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(baseURL: bmc, username: user, password: password), logger: logger)
            let bios = RedfishBIOS(client: client, logger: logger)
            let desired = try DesiredBIOSState(type: type, catalog: catalog)
            let viaTool = try await bios.plan(desired, type: type, catalog: catalog).items.filter {
                $0.status == .change && $0.setting != "BootMode"
                    && catalog.biosAttributes.attributes[$0.setting]?.sum != nil
            }
            try #require(!viaTool.isEmpty)
            var routed = type
            for item in viaTool { routed.bios.routing[item.setting] = RoutedSetting(route: .vendorOnly) }
            catalog.deviceTypes[routed.name] = routed
            // The interrupted attempt.
            let plan = try await bios.plan(desired, type: routed, catalog: catalog)
            // The SUM side of the server: the routed settings at their current values, and those the lab's Redfish
            // lacks (sent to SUM too: the type is hybrid) where the template or the attribute map puts them.
            var state = try viaTool.map { item in
                let name = try #require(
                    catalog.biosAttributes.attributes[item.setting]?.sum?.split(separator: "/").last)
                return (path: ["Advanced", "Boot Feature"], name: String(name), value: item.current?.string ?? "")
            }
            for item in plan.vendorToolChanges where !viaTool.contains(where: { $0.setting == item.setting }) {
                if let template = item.template, catalog.biosAttributes.attributes[item.setting]?.sum == nil {
                    state.append((template.menuPath, template.name, "Unset"))
                } else if let key = catalog.biosAttributes.attributes[item.setting]?.sum {
                    let parts = key.split(separator: "/").map(String.init)
                    state.append((Array(parts.dropLast()), parts.last ?? key, "Unset"))
                }
            }
            try standIn.writeSUMState(menus: state)
            let applier = VendorBIOSApplier(
                tool: VendorToolKind.sum.tool(
                    executable: standIn.executable.path, host: "127.0.0.1", user: user, password: password,
                    runner: ProcessRunner(logger: logger), logger: logger, timeout: .seconds(60)),
                map: catalog.biosAttributes)
            switch stopped {
            case .afterTheTool:
                try await applier.apply(applier.batch(for: plan.vendorToolChanges).changes)
            case .beforeRecording:
                let report = try await bios.apply(
                    plan, backupTo: MemoryBackupSink(), firstPoll: .zero, vendorTool: applier)
                // Every change verifies; settings the lab's registry lacks are exceptions (#18).
                #expect(report.verified.values.allSatisfy { $0 }, "\(report.verified)")
            }
            await client.close()

            let services = CommissioningServices(
                catalog: catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(60),
                firstPoll: .milliseconds(50), logger: logger)
            let full = try #require(
                CommissioningWorkflows.definitions(services).first {
                    $0.name == CommissioningWorkflows.deviceSpecific
                })
            let kept = [CommissioningStepKeys.classify.name, CommissioningStepKeys.applyBIOS.name]
            let definition = WorkflowDefinition(
                name: full.name, version: full.version, summary: full.summary,
                steps: full.steps.filter { kept.contains($0.name) }, inputType: CommissioningInput.self)
            let classified = #"{"device_type":"s2.c2.small","confidence":"high","vendor":"supermicro","reasons":[]}"#
            _ = try await store.createWorkflow(
                WorkflowRecord(
                    id: id, definition: full.name, version: full.version, serverID: "n0", state: .running,
                    input: StepContext.json([
                        "bmc": bmc.absoluteString, "credential": "lab", "vendor_tool_path": standIn.executable.path,
                    ]),
                    owner: "gone:1", heartbeat: Date(timeIntervalSince1970: 0)),
                steps: [
                    StepRecord(
                        workflowID: id, index: 0, name: kept[0], state: .succeeded, attempt: 1, output: classified),
                    StepRecord(workflowID: id, index: 1, name: kept[1], state: .running, attempt: 1),
                ], event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
            let engine = Engine(repository: store, definitions: [definition], logger: logger)
            return try #require(await engine.run([id]).first)
        }
        return Resumed(
            result: result, step: try #require(try await store.steps(workflowID: id).last),
            changeCalls: try standIn.calls().filter { $0.arguments.contains("ChangeBiosCfg") }.count,
            resets: lab.nodes[0].withState { $0.counters.resets },
            patches: lab.nodes[0].withState { $0.counters.patches })
    }

    @Test("the tool and the reset both done: the check reads the tool's values back and completes the step")
    func completedAttempt() async throws {
        let resumed = try await resumed(.beforeRecording)
        #expect(resumed.result.state == .succeeded, "\(resumed.result.reason ?? "")")
        #expect(resumed.step.attempt == 1, "completed by the check, not run again")
        #expect(resumed.changeCalls == 1, "SUM's ChangeBiosCfg ran once, in the interrupted attempt")
        #expect(resumed.resets == 1 && resumed.patches == 1)
        #expect(resumed.step.output?.contains("\"reset\":true") == true)
    }

    @Test("the tool done, the PATCH and reset not: the step runs again without the tool, PATCHes and resets once")
    func toolAlreadyStaged() async throws {
        let resumed = try await resumed(.afterTheTool)
        #expect(resumed.result.state == .succeeded, "\(resumed.result.reason ?? "")")
        #expect(resumed.step.attempt == 2)
        #expect(resumed.changeCalls == 1, "SUM's ChangeBiosCfg was not run a second time")
        #expect(resumed.resets == 1 && resumed.patches == 1)
        let output = try #require(
            resumed.step.output.flatMap { try? JSONDecoder().decode(BIOSStepOutput.self, from: Data($0.utf8)) })
        #expect(output.patched && output.reset)
    }
}

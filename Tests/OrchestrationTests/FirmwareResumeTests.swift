import Catalog
import Firmware
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
import WorkflowEngine

/// `update-firmware` resumed after its process stopped mid-task: the check finds the BMC's update task for the
/// planned image, follows it to its end and verifies the version, instead of flashing again.
@Suite("Firmware step resumed mid-task")
struct FirmwareResumeTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog
    let logger = Logger(label: "firmware-resume")

    /// A run of `firmware-update` whose owner stopped while `update-firmware` was running: the steps before it
    /// succeeded (inventory and plan as given), the rest not started.
    static func interrupted(
        _ store: InMemoryStore, id: String, input: [String: String], inventory: FirmwareInventory, plan: FirmwarePlan
    ) async throws {
        let workflow = WorkflowRecord(
            id: id, definition: FirmwareWorkflows.update, version: 1, serverID: "n0", state: .running,
            input: StepContext.json(input), owner: "gone:1", heartbeat: Date(timeIntervalSince1970: 0))
        let keys = CommissioningStepKeys.self
        let done: [(String, String?)] = [
            (keys.discover.name, nil), (keys.classify.name, nil),
            (keys.firmwareInventory.name, StepContext.json(inventory)),
            (keys.planFirmware.name, StepContext.json(plan)),
        ]
        var steps = done.enumerated().map { index, step in
            StepRecord(workflowID: id, index: index, name: step.0, state: .succeeded, attempt: 1, output: step.1)
        }
        steps.append(StepRecord(workflowID: id, index: 4, name: keys.updateFirmware.name, state: .running, attempt: 1))
        steps.append(StepRecord(workflowID: id, index: 5, name: keys.verifyFirmware.name))
        steps.append(StepRecord(workflowID: id, index: 6, name: keys.recordFirmware.name))
        _ = try await store.createWorkflow(
            workflow, steps: steps, event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
    }

    /// What a resumed run did.
    struct Resumed {
        var result: WorkflowRecord
        var steps: [StepRecord]
        var events: [EventRecord]
        var updates: Int
        var store: InMemoryStore
    }

    /// Pushes the repository's one BMC image (faulty when `fault` says so) to a lab BMC without following its task,
    /// as an attempt that stopped mid-task would have, then resumes the stored run through the engine.
    func resumedMidTask(fault: LabFirmwareImage.Fault?) async throws -> Resumed {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-fwr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let library = FirmwareLibrary(directory: root.appendingPathComponent("repo"))
        let incoming = root.appendingPathComponent("supermicro-bmc-1.74.06.img")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try LabFirmwareImage.make(component: "bmc", version: "1.74.06", fault: fault).write(to: incoming)
        try library.add(file: incoming, vendor: "supermicro", component: .bmc, version: "1.74.06", priority: .high)
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0.1
        settings.taskPolls = 3
        // Lab time stands still: the task moves only as it is polled, so the resumed check finds it in flight
        // however slowly this test runs.
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings, clock: ManualLabClock())
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        var services = CommissioningServices(
            catalog: Self.catalog, store: store, runner: ProcessRunner(logger: logger), hostTimeout: .seconds(60),
            firstPoll: .milliseconds(100), logger: logger)
        var options = FirmwareUpdater.Options()
        options.activationPoll = .milliseconds(20)
        services.firmware = FirmwareServices(library: library, options: options, defaultPolicy: "latest")
        let engine = Engine(
            repository: store, definitions: CommissioningWorkflows.definitions(services), logger: logger)
        let (logger, user, password) = (logger, settings.user, settings.password)
        let id = "wf-firmware-resume"
        let result = try await lab.withServer { port in
            let bmc = Lab.baseURL(port: port, index: 0)
            let client = try RedfishClient(
                endpoint: RedfishEndpoint(baseURL: bmc, username: user, password: password), logger: logger)
            let inventory = try await client.firmwareInventory()
            #expect(inventory.version(of: .bmc) == "1.73.14")
            let plan = try FirmwarePlanner(catalog: Self.catalog, images: try library.images()).plan(
                server: "n0", target: FirmwareTarget(vendor: "supermicro", deviceType: type.name),
                inventory: inventory, policyName: "latest")
            let image = try #require(plan.updates.first?.target)
            #expect(plan.updates.count == 1)
            // The interrupted attempt: the image pushed, the task started, and then the process stopped.
            let service = try #require(try await client.serviceRoot()["UpdateService"]["@odata.id"].string)
            let push = try #require(try await client.get(service)["MultipartHttpPushUri"].string)
            let file = library.url(of: image)
            let answer = try await client.pushFirmware(
                push, parameters: .object(["@Redfish.OperationApplyTime": .string("Immediate")]),
                fileName: file.lastPathComponent, image: try Data(contentsOf: file))
            #expect(answer.status == 202)
            await client.close()
            #expect(lab.nodes[0].withState { $0.counters.firmwareUpdates } == 1)
            try await Self.interrupted(
                store, id: id, input: ["bmc": bmc.absoluteString, "credential": "lab"], inventory: inventory,
                plan: plan)
            return try #require(await engine.run([id]).first)
        }
        return Resumed(
            result: result, steps: try await store.steps(workflowID: id),
            events: try await store.events(workflowID: id, after: 0, limit: 1000),
            updates: lab.nodes[0].withState { $0.counters.firmwareUpdates },
            store: store)
    }

    @Test("a firmware step resumed mid-task follows the existing task: one update reaches the BMC, new version runs")
    func followsTheRunningTask() async throws {
        let resumed = try await resumedMidTask(fault: nil)
        #expect(resumed.result.state == .succeeded, "\(resumed.result.reason ?? "")")
        #expect(resumed.updates == 1, "the task was followed, not repeated")
        let steps = resumed.steps
        let update = try #require(steps.first { $0.name == CommissioningStepKeys.updateFirmware.name })
        #expect(update.state == .succeeded && update.attempt == 1)
        let outcomes = try #require(steps.output(CommissioningStepKeys.updateFirmware))
        #expect(outcomes.map(\.to) == ["1.74.06"])
        #expect(outcomes.first?.state == "active")
        #expect(outcomes.first?.method == "multipart")
        #expect(outcomes.first?.task?.contains("/TaskService/") == true)
        #expect(steps.output(CommissioningStepKeys.verifyFirmware) == ["bmc 1.74.06"])
        #expect(resumed.events.contains { $0.message.contains("task Running") }, "the task's progress was reported")
        let record = try #require(try await resumed.store.server(id: "n0"))
        let recorded = try JSONDecoder().decode(Inventory.self, from: Data(try #require(record.inventory).utf8))
        #expect(recorded.bmc?.firmware == "1.74.06")
    }

    @Test("a resumed firmware step whose task ends in an exception waits for an operator with the BMC's message")
    func failedTaskNeedsOperator() async throws {
        let resumed = try await resumedMidTask(fault: .exception)
        #expect(resumed.result.state == .waiting)
        #expect(resumed.updates == 1, "nothing flashed again over a component in recovery")
        let reason = resumed.result.reason ?? ""
        #expect(reason.contains("Image verification failed at 87%"), "\(reason)")
        #expect(reason.contains("did not complete") && reason.contains("workflow resume wf-firmware-resume"))
        let update = try #require(resumed.steps.first { $0.name == CommissioningStepKeys.updateFirmware.name })
        #expect(update.state == .waiting && update.attempt == 1)
    }
}

import Catalog
import Firmware
import Foundation
import Lab
import Logging
import Orchestration
import Store
import Testing
import WorkflowEngine

/// A firmware rollout in waves over the lab, with a faulty image in the second wave: the canary is updated, the
/// second wave's failure rate passes the threshold and the rollout halts by itself (no later wave starts, the
/// failed BMC rolled back or reported); a person's resume goes on and the next faulty wave halts it again; a
/// cancel aborts it.
@Suite("Firmware rollout")
struct FirmwareRolloutTests {
    static let catalog = FirmwareWorkflowTests.catalog

    /// Supermicro's BMC image is good; HPE's newer one is faulty (its flash ends in an exception), and HPE's running
    /// version is there to roll back to.
    static func repository(_ root: URL) throws -> FirmwareLibrary {
        let library = FirmwareLibrary(directory: root.appendingPathComponent("repo"))
        let incoming = root.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        for (vendor, version, fault) in [
            ("supermicro", "1.74.06", nil), ("hpe", "1.80", LabFirmwareImage.Fault.exception), ("hpe", "1.73.14", nil),
        ] {
            let file = incoming.appendingPathComponent("\(vendor)-bmc-\(version).img")
            try LabFirmwareImage.make(component: "bmc", version: version, fault: fault).write(to: file)
            try library.add(file: file, vendor: vendor, component: .bmc, version: version, priority: .high)
        }
        return library
    }

    @Test("canary, then a faulty wave halts the rollout; resume goes on and halts again at the next; cancel aborts")
    func haltsAtTheThreshold() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-rollout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let library = try Self.repository(root)
        let types = ["s2.c2.small", "s2.c2.small", "a1.c5.large", "a1.c5.large"]
        let models = try types.enumerated().map { index, name in
            ServerModel(deviceType: try #require(Self.catalog.deviceType(named: name)), index: index + 1)
        }
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0.1
        settings.taskPolls = 2
        let lab = Lab(servers: models, settings: settings)
        let store = InMemoryStore(box: .ephemeral())
        try await store.putCredential(
            name: "lab", user: settings.user, secret: settings.password, kind: "bmc", scope: .loopbackLab)
        let engine = FirmwareWorkflowTests().engine(store, library)
        let rollouts = RolloutService(engine: engine, store: store, catalog: Self.catalog)
        let workflows = WorkflowService(engine: engine, store: store, catalog: Self.catalog)
        try await lab.withServer { port in
            for (index, type) in types.enumerated() {
                try await store.upsertServer(
                    ServerRecord(
                        id: "n\(index)", name: "n\(index)",
                        bmcAddress: Lab.baseURL(port: port, index: index).absoluteString, credential: "lab",
                        deviceType: type, status: "commissioned"))
            }
            let servers = try await ServerSelection.all.servers(store: store, catalog: Self.catalog)
            // Waves: n0 (the canary), then n1 and n2 (HPE, faulty), then n3 (HPE).
            let started = try await rollouts.start(
                servers, policy: "latest", waves: "1,75%,100%", haltAt: "2%", pauseSeconds: 0, approve: false,
                dryRun: false, actor: "test")
            let first = try #require(await engine.run([started.id]).first)
            #expect(first.state == .waiting, "\(first.reason ?? "")")
            #expect(
                first.reason?.contains("halted: 1 of 2 server(s) failed in wave 2 (50% > 2%)") == true,
                "\(first.reason ?? "")")
            var view = try await rollouts.show(started.id)
            #expect(view.waves.map(\.servers) == [["n0"], ["n1", "n2"], ["n3"]])
            #expect(view.waves[0].state == "done" && view.waves[0].updated == ["n0"])
            #expect(view.waves[1].state == "halted" && view.waves[1].updated == ["n1"])
            #expect(Array(view.waves[1].failed.keys) == ["n2"] && view.waves[1].failureRate == 50)
            let reason = try #require(view.waves[1].failed["n2"])
            #expect(reason.contains("1.80"), "the failure names the image: \(reason)")
            #expect(view.waves[2].state == "not_started" && view.waves[2].runs.isEmpty)
            #expect(lab.nodes[3].withState { $0.counters.firmwareUpdates } == 0, "no later wave started")
            #expect(lab.nodes[0].withState { $0.counters.firmwareUpdates } == 1)
            // The failed BMC is put back on the version it ran (the repository has it): the faulty flash, then the
            // rollback's.
            #expect(view.waves[1].rolledBack == ["n2"], "\(reason)")
            #expect(lab.nodes[2].withState { $0.counters.firmwareUpdates } == 2)

            // A person looks and goes on: wave 2 is accepted as it is, wave 3 (HPE again) halts by itself.
            _ = try await workflows.resume(started.id, deviceType: nil, force: false)
            let second = try #require(await engine.run([started.id]).first)
            #expect(second.state == .waiting, "\(second.reason ?? "")")
            view = try await rollouts.show(started.id)
            #expect(view.waves[1].state == "went_on")
            #expect(view.waves[2].state == "halted" && Array(view.waves[2].failed.keys) == ["n3"])
            #expect(lab.nodes[1].withState { $0.counters.firmwareUpdates } == 1, "wave 2 was not run twice")

            // Then aborts.
            let cancelled = try await workflows.cancel(started.id)
            #expect(cancelled.state == .cancelled)
            #expect(try await rollouts.list().map(\.id) == [started.id])
            let audit = try await store.auditLog(limit: 10)
            #expect(audit.contains { $0.action == "firmware.rollout" && $0.detail.contains("waves 1,75%,100%") })
        }
    }

    @Test("waves, thresholds and policies are checked before anything is created")
    func badInput() async throws {
        let store = InMemoryStore(box: .ephemeral())
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-rollout-\(UUID().uuidString)")
        let engine = FirmwareWorkflowTests().engine(store, FirmwareLibrary(directory: root))
        let rollouts = RolloutService(engine: engine, store: store, catalog: Self.catalog)
        let server = ServerRecord(id: "s", name: "s", bmcAddress: "https://10.0.0.1")
        for (waves, halt, policy, field) in [
            ("1,50%", "2%", "latest", ServiceError.Field.waves), ("1,x,100%", "2%", "latest", .waves),
            ("1,2,3,4,5,6,7,8,100%", "2%", "latest", .waves), ("100%", "200%", "latest", .haltAt),
            ("100%", "2%", "yolo", .policy),
        ] {
            await #expect {
                try await rollouts.start(
                    [server], policy: policy, waves: waves, haltAt: halt, pauseSeconds: 0, approve: false,
                    dryRun: false,
                    actor: "t")
            } throws: { ($0 as? ServiceError)?.field == field }
        }
        #expect(
            try RolloutInput(servers: (1...100).map { "s\($0)" }, waves: "1,5%,25%,100%", haltAt: "2%").plan.map(
                \.count) == [1, 4, 20, 75])
        #expect(try await store.workflows(WorkflowFilter()).isEmpty)
    }
}

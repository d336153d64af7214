import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Redfish
import TestSupport
import Testing

@testable import BIOS

@Suite("BIOS on a Dell: iDRAC names, a configuration job, one reset")
struct DellJobTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    /// A client of the lab's BMC and its BIOS, with a registry cache of their own.
    static func open(_ port: Int) throws -> (RedfishClient, RedfishBIOS) {
        let client = try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password"),
            logger: Logger(label: "dell"))
        return (client, RedfishBIOS(client: client, logger: Logger(label: "dell"), registries: RegistryCache()))
    }

    @Test("a PowerEdge R660 type: plan in iDRAC names, apply through a job that completes, one reset, all read back")
    func jobEndToEnd() async throws {
        let type = try #require(Self.catalog.deviceType(named: "p2.c1.large"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 3)], settings: settings, clock: ManualLabClock())
        #expect(lab.nodes[0].withState { $0.profile } == .dell)
        let backups = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-dell-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: backups) }
        try await lab.withServer { port in
            let (client, bios) = try Self.open(port)
            let desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
            let plan = try await bios.plan(desired, type: type, catalog: Self.catalog)
            // Generic settings land on iDRAC's attributes, values in iDRAC's words; the C-state settings are
            // writable because the same plan sets the system profile to Custom (the registry's dependency).
            let changes = plan.redfishChanges
            #expect(changes["LogicalProc"] == .string("Disabled"))
            #expect(changes["SysProfile"] == .string("Custom"))
            #expect(changes["ProcCStates"] == .string("Disabled"))
            #expect(changes["ProcC1E"] == .string("Disabled"))
            #expect(changes["SecureBoot"] == .string("Enabled"))
            #expect(changes["PxeDev1EnDis"] == .string("Enabled"))
            #expect(changes["SriovGlobalEnable"] == .string("Enabled"))
            #expect(plan.items.first { $0.setting == "SGX" }?.fate == .alreadySet)
            #expect(plan.items.first { $0.setting == "TurboMode" }?.fate == .alreadySet)
            #expect(plan.exceptions.isEmpty, "\(plan.exceptions)")
            let report = try await bios.apply(plan, backupTo: FileBackupSink(directory: backups), firstPoll: .zero)
            #expect(report.patched && report.reset)
            let job = try #require(report.job)
            #expect(job.hasPrefix("JID_"))
            let state = try await client.get("redfish/v1/Managers/1/Jobs/\(job)")["JobState"].string
            #expect(state == "Completed")
            #expect(report.succeeded, "\(report.notApplied)")
            #expect(report.verified.count == changes.count && report.verified.values.allSatisfy { $0 })
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            #expect(lab.nodes[0].withState { $0.counters.patches } == 1)
            for (attribute, value) in changes {
                #expect(lab.nodes[0].withState { $0.attribute(attribute) } == value, "\(attribute)")
            }
            #expect(lab.nodes[0].withState { $0.pendingAttributes.isEmpty })
            await client.close()
        }
    }

    @Test("a C-state change without the Custom profile is read-only on iDRAC: planned as read_only, never sent")
    func dependencyRefused() async throws {
        let type = try #require(Self.catalog.deviceType(named: "p1.c1.large"))
        let lab = Lab(servers: [ServerModel(deviceType: type, index: 4)], clock: ManualLabClock())
        try await lab.withServer { port in
            let (client, bios) = try Self.open(port)
            var desired = try DesiredBIOSState(type: type, catalog: Self.catalog)
            desired.settings["CState"] = .init(value: "Disabled", source: "test")
            let plan = try await bios.plan(desired, type: type, catalog: Self.catalog)
            let item = try #require(plan.items.first { $0.setting == "CState" })
            #expect(item.attribute == "ProcCStates")
            guard case .readOnly(let reason) = item.fate else {
                Issue.record("ProcCStates should be read-only while SysProfile is PerfOptimized: \(item.fate)")
                return
            }
            #expect(reason.contains("SysProfile is not Custom"))
            #expect(plan.redfishChanges["ProcCStates"] == nil)
            // The BMC refuses such a PATCH itself too.
            let refused = try? await client.patch(
                "/redfish/v1/Systems/1/Bios/Settings",
                .object(["Attributes": .object(["ProcCStates": .string("Disabled")])]), etag: nil)
            #expect(refused == nil)
            await client.close()
        }
    }
}

import Foundation
import TestSupport
import Testing

@testable import Store

/// Drift checks in every backend: one row per check, the newest per server (only servers still stored, filtered
/// by type), a server's history newest first, and the record read back as written.
@Suite("Drift store", .serviceScope)
struct DriftStoreTests {
    @Test(
        "drift: history per server, newest per server, filter by type, deleted servers left out",
        arguments: StoreTests.Backend.available)
    func drift(backend: StoreTests.Backend) async throws {
        let folder = StoreTests.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await StoreTests.make(backend, folder: folder)
        for (id, type) in [("S1", "s2.c2.small"), ("S2", "a1.c5.large"), ("S3", "s2.c2.small")] {
            try await store.upsertServer(
                ServerRecord(id: id, name: id, bmcAddress: "10.0.0.\(id.last!)", deviceType: type))
        }
        let checked = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try await store.recordDrift(
            DriftRecord(
                serverID: "S1", checkedAt: checked, deviceType: "s2.c2.small", state: .drifted,
                settings: [
                    DriftSetting(
                        setting: "BootMode", attribute: "BootModeSelect", current: "Legacy", desired: "UEFI",
                        fate: "change", reason: nil),
                    DriftSetting(
                        setting: "Turbo", attribute: nil, current: nil, desired: "Enabled", fate: "unresolved",
                        reason: "this BMC has no attribute for it"),
                ],
                firmware: [
                    DriftFirmware(
                        component: "bmc", current: "1.73.14", target: "1.74.06", decision: "install", reason: "newer")
                ], firmwareChecked: true, firmwarePolicy: "recommended", workflowID: "W1"))
        let second = try await store.recordDrift(
            DriftRecord(
                serverID: "S1", checkedAt: checked.addingTimeInterval(60), deviceType: "s2.c2.small", state: .inSync,
                workflowID: "W2"))
        try await store.recordDrift(
            DriftRecord(serverID: "S2", deviceType: "a1.c5.large", state: .unreachable, error: "refused"))
        try await store.recordDrift(DriftRecord(serverID: "S3", deviceType: "s2.c2.small", state: .drifted))
        let firstID = try #require(first.id)
        #expect(try #require(second.id) > firstID)

        let history = try await store.driftHistory(serverID: "S1", limit: 10)
        #expect(history.map(\.workflowID) == ["W2", "W1"])
        let old = try #require(history.last)
        #expect(old.id == firstID)
        #expect(old.checkedAt == checked)
        #expect(old.biosDrift == 1 && old.firmwareDrift == 1 && old.firmwareChecked)
        #expect(old.settings.map(\.fate) == ["change", "unresolved"])
        #expect(old.settings.first?.current == "Legacy" && old.firmware.first?.target == "1.74.06")
        #expect(try await store.driftHistory(serverID: "S1", limit: 1).map(\.workflowID) == ["W2"])

        #expect(try await store.latestDrift(deviceType: nil).map(\.state) == [.inSync, .unreachable, .drifted])
        #expect(try await store.latestDrift(deviceType: "s2.c2.small").map(\.serverID) == ["S1", "S3"])
        #expect(try await store.latestDrift(deviceType: nil).first { $0.serverID == "S2" }?.error == "refused")
        #expect(try await store.deleteServer(id: "S3"))
        #expect(try await store.latestDrift(deviceType: nil).map(\.serverID) == ["S1", "S2"])
    }
}

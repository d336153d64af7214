import Catalog
import Foundation
import Testing

@testable import Firmware

/// The four legacy policies over one fixture repository: a Supermicro server on BMC 1.73.14 and BIOS 3.5.
@Suite("Firmware policies and plans")
struct FirmwarePolicyTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog

    static func image(
        _ component: FirmwareComponent, _ version: String, _ priority: FirmwarePriority, security: Bool = false,
        vendor: String = "supermicro", types: [String] = []
    ) -> FirmwareImage {
        FirmwareImage(
            file: "\(vendor)/\(component.rawValue)/\(version).bin", vendor: vendor, component: component,
            version: version, deviceTypes: types, priority: priority, security: security,
            sha256: String(repeating: "a", count: 64), size: 1)
    }

    static let images = [
        image(.bmc, "1.74.06", .normal),
        image(.bmc, "1.75.00", .low),
        image(.bmc, "1.73.20", .critical, security: true),
        image(.bmc, "1.70.00", .normal),
        image(.bios, "3.7", .high, types: ["s2.c2.small"]),
        image(.bios, "3.9", .high, types: ["s2.c2.large"]),
        image(.bmc, "2.90", .critical, vendor: "hpe"),
    ]

    static let running = FirmwareInventory.from(biosVersion: "3.5", bmcVersion: "1.73.14", source: "test")
    static let server = FirmwareTarget(vendor: "supermicro", deviceType: "s2.c2.small")

    func plan(_ policy: String, approve: Bool = false) throws -> FirmwarePlan {
        try FirmwarePlanner(catalog: Self.catalog, images: Self.images).plan(
            server: "s1", target: Self.server, inventory: Self.running, policyName: policy, approve: approve)
    }

    func line(_ plan: FirmwarePlan, _ component: FirmwareComponent) throws -> FirmwarePlanItem {
        try #require(plan.items.first { $0.component == component })
    }

    @Test("latest: the newest of everything, BMC before BIOS, one host reset, the catalog's estimate")
    func latest() throws {
        let plan = try plan("latest")
        #expect(plan.items.map(\.component) == [.bmc, .bios])
        #expect(try line(plan, .bmc).target?.version == "1.75.00")
        #expect(try line(plan, .bmc).decision == .install)
        #expect(try line(plan, .bmc).behindBy == 3)
        #expect(try line(plan, .bios).target?.version == "3.7")
        #expect(plan.updates.count == 2)
        #expect(plan.needsHostReset)
        #expect(plan.estimatedSeconds == 360 + 480)
    }

    @Test("recommended: low priority excluded, so 1.74.06; BIOS 3.7 (high)")
    func recommended() throws {
        let plan = try plan("recommended")
        #expect(try line(plan, .bmc).target?.version == "1.74.06")
        #expect(try line(plan, .bmc).available == "1.75.00")
        #expect(try line(plan, .bmc).decision == .install)
        #expect(try line(plan, .bios).target?.version == "3.7")
    }

    @Test("security_only: only the critical security BMC release; BIOS 3.7 (high, not security) skipped")
    func securityOnly() throws {
        let plan = try plan("security_only")
        #expect(try line(plan, .bmc).target?.version == "1.73.20")
        #expect(try line(plan, .bmc).decision == .install)
        #expect(try line(plan, .bios).decision == .skip)
        #expect(try line(plan, .bios).reason.contains("3.7 (high)"))
        #expect(!plan.needsHostReset)
    }

    @Test("manual: the newest waits for approval; --approve installs it")
    func manual() throws {
        let held = try plan("manual")
        #expect(held.updates.isEmpty)
        #expect(try line(held, .bmc).decision == .approval)
        #expect(try line(held, .bmc).target?.version == "1.75.00")
        #expect(try line(held, .bmc).reason.contains("--approve"))
        let approved = try plan("manual", approve: true)
        #expect(approved.updates.map { $0.target?.version } == ["1.75.00", "3.7"])
    }

    @Test("up to date, unknown version, no fitting image, unknown policy")
    func edges() throws {
        let planner = FirmwarePlanner(catalog: Self.catalog, images: Self.images)
        let current = try planner.plan(
            server: "s2", target: Self.server,
            inventory: FirmwareInventory.from(biosVersion: "3.7", bmcVersion: "1.75.0", source: "test"),
            policyName: "latest")
        #expect(current.items.map(\.decision) == [.current, .current])
        let odd = try planner.plan(
            server: "s3", target: Self.server,
            inventory: FirmwareInventory.from(biosVersion: nil, bmcVersion: "1.45.455b66-rev4", source: "test"),
            policyName: "latest")
        #expect(odd.items.map(\.decision) == [.unknown, .unknown])
        #expect(odd.updates.isEmpty)
        let dell = try planner.plan(
            server: "s4", target: FirmwareTarget(vendor: "dell"), inventory: Self.running, policyName: "latest")
        #expect(dell.items.map(\.decision) == [.noImage, .noImage])
        let error = #expect(throws: FirmwareError.self) {
            try planner.plan(server: "s5", target: Self.server, inventory: Self.running, policyName: "yolo")
        }
        #expect(error?.message.contains("security_only") == true)
    }
}

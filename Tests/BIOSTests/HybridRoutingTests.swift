import Catalog
import Foundation
import Inventory
import Lab
import Logging
import Redfish
import Remote
import Synchronization
import TestSupport
import Testing

@testable import BIOS
@testable import VendorTools

/// A shell on this machine (`/bin/sh -c`), standing in for SSH to a host: SUM in band runs the stand-in here.
struct LocalShell: RemoteShell {
    var targetDescription: String { "local-host" }

    func run(_ command: String, root: Bool, timeout: Duration) async throws(SSHError) -> ProcessOutput {
        do {
            return try await StandInTool.runner.run(Command("/bin/sh", ["-c", command], timeout: timeout))
        } catch {
            return ProcessOutput(
                termination: .exited(127), standardOutput: "", standardError: "\(error)", duration: .zero)
        }
    }
}

/// Item 3 of issue #18: a setting Redfish cannot express on this BMC, or one the type routes to the vendor tool, goes
/// to the tool in the same apply, before the one reset; `redfish_fallback` and the out-of-band licence are honoured.
@Suite("Hybrid BIOS routing")
struct HybridRoutingTests {
    static let catalog = try! CatalogLoader.load(directory: nil).catalog
    static let absent = [
        ("Lab Absent Knob", ["Advanced", "Chipset Configuration", "North Bridge"]),
        ("Lab Absent Switch", ["Advanced", "CPU Configuration"]),
    ]

    /// s2.c2.small (hybrid) with BootMode routed `redfish_fallback`, and its desired state plus two template
    /// settings no lab registry has (so Redfish lacks them whatever the lab's dialect), under menus of their own.
    static func typeAndDesired() throws -> (DeviceType, DesiredBIOSState) {
        var type = try #require(catalog.deviceType(named: "s2.c2.small"))
        type.bios.routing["BootMode"] = RoutedSetting(route: .redfishFallback)
        var desired = try DesiredBIOSState(type: type, catalog: catalog)
        for (name, menu) in absent {
            desired.settings[name] = .init(
                value: "Enabled", source: "test template",
                template: .init(file: "test.xml", menuPath: menu, name: name))
        }
        return (type, desired)
    }

    static func lab(licensed: Bool = true) throws -> Lab {
        let type = try #require(catalog.deviceType(named: "s2.c2.small"))
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        settings.profile = .supermicro
        settings.supermicroLicensed = licensed
        return Lab(servers: [ServerModel(deviceType: type, index: 1)], settings: settings, clock: ManualLabClock())
    }

    static func client(_ port: Int) throws -> RedfishClient {
        try RedfishClient(
            endpoint: RedfishEndpoint(
                baseURL: Lab.baseURL(port: port, index: 0), username: "admin", password: "password"),
            logger: Logger(label: "bios"))
    }

    /// Where SUM shows each change (menus and name) and the value asked: the template's menu path for a template
    /// setting, else the attribute map's `sum` path.
    static func placed(_ changes: [VendorBIOSChange], _ items: [BIOSPlan.Item]) -> [(
        path: [String], name: String, value: String
    )] {
        changes.map { change in
            if let template = items.first(where: { $0.setting == change.setting })?.template,
                catalog.biosAttributes.attributes[change.setting]?.sum == nil
            {
                return (template.menuPath, template.name, change.value)
            }
            let parts = change.key.split(separator: "/").map(String.init)
            return (Array(parts.dropLast()), parts.last ?? change.key, change.value)
        }
    }

    /// A client of the lab's BMC, its BIOS and the plan of `desired` on it.
    static func planned(_ port: Int, _ desired: DesiredBIOSState, _ type: DeviceType) async throws
        -> (RedfishClient, RedfishBIOS, BIOSPlan)
    {
        let client = try client(port)
        let bios = RedfishBIOS(client: client, logger: Logger(label: "bios"))
        return (client, bios, try await bios.plan(desired, type: type, catalog: catalog))
    }

    /// SUM at `executable`, logging in to the lab's BMC as ADMIN.
    static func sum(_ executable: String, password: String) -> SUMTool {
        SUMTool(
            executable: executable, host: "127.0.0.1", user: "ADMIN", password: password, runner: StandInTool.runner,
            logger: Logger(label: "sum"))
    }

    static func backups() -> FileBackupSink {
        FileBackupSink(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("hwa-bios-\(UUID().uuidString)"))
    }

    /// `path/name=value`, for comparing sets of SUM settings.
    static func text(_ path: [String], _ name: String, _ value: String) -> String {
        (path + [name]).joined(separator: " / ") + " = " + value
    }

    @Test("SUM receives exactly the routed settings (argv and XML checked with a stand-in), before the one reset")
    func sumGetsExactlyTheRoutedSettings() async throws {
        let (type, desired) = try Self.typeAndDesired()
        let lab = try Self.lab()
        let standIn = try StandInTool(name: "sum", body: StandInScripts.sum)
        defer { standIn.remove() }
        try await lab.withServer { port in
            let (client, bios, plan) = try await Self.planned(port, desired, type)
            let routed = plan.vendorToolChanges
            for (name, _) in Self.absent {
                #expect(
                    routed.first { $0.setting == name }?.fate == .vendorTool(tool: "sum", route: .redfishLacksIt),
                    "\(name)")
            }
            #expect(
                routed.first { $0.setting == "BootMode" }?.fate == .vendorTool(tool: "sum", route: .redfishFallback))
            #expect(!plan.exceptions.contains { item in routed.contains { $0.setting == item.setting } })
            let tool = ResetRecordingTool(
                Self.sum(standIn.executable.path, password: standIn.password),
                resets: { lab.nodes[0].withState { $0.counters.resets } })
            let applier = VendorBIOSApplier(tool: tool, map: Self.catalog.biosAttributes)
            let batch = applier.batch(for: routed)
            #expect(batch.unmapped.isEmpty, "\(batch.unmapped)")
            let expected = Self.placed(batch.changes, routed)
            // The host's BIOS as SUM shows it: every routed setting in its menus, none at the value asked.
            try standIn.writeSUMState(menus: expected.map { ($0.path, $0.name, "Disabled-Before") })

            let report = try await bios.apply(
                plan, backupTo: Self.backups(), firstPoll: .zero, poll: .zero, vendorTool: applier)
            #expect(report.vendorTool == "sum on 127.0.0.1")
            #expect(tool.resetsAtApply.withLock { $0 } == [0], "SUM ran once, before the one reset")
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            for item in routed { #expect(report.verified[item.setting] == true, "\(item.setting) read back") }
            #expect(!report.notApplied.contains { item in routed.contains { $0.setting == item.setting } })
            // Redfish did not get the routed BootMode: the lab's Redfish side still has the old value.
            let bootMode = try #require(routed.first { $0.setting == "BootMode" })
            #expect(lab.nodes[0].withState { $0.attribute(bootMode.attribute!) } == bootMode.current)

            let calls = try standIn.calls()
            let changes = calls.filter { $0.arguments.contains("ChangeBiosCfg") }
            #expect(changes.count == 1)
            let change = try #require(changes.first)
            let file = try #require(change.arguments.last)
            #expect(change.arguments == ["-i", "127.0.0.1", "-u", "ADMIN", "-c", "ChangeBiosCfg", "--file", file])
            for call in calls {
                #expect(!call.arguments.contains { $0.contains(standIn.password) }, "no password on argv")
                #expect(!call.passwordInEnvironment)
                #expect(call.input.hasPrefix(standIn.password), "the password goes on standard input")
            }
            let sent = try BIOSTemplateXML.parse(
                Data(try #require(change.saved("change.xml")).utf8), name: "change", displayPath: "change"
            ).get()
            #expect(sent.settings.count == routed.count)
            #expect(
                Set(sent.settings.map { Self.text($0.path, $0.name, $0.value) })
                    == Set(expected.map { Self.text($0.path, $0.name, $0.value) }))
            for (name, menu) in Self.absent {
                #expect(
                    sent.settings.contains { $0.name == name && $0.path == menu && $0.value == "Enabled" }, "\(name)")
            }
            await client.close()
        }
    }

    @Test("without the tool installed: redfish_fallback settings go over Redfish, the others are named not applied")
    func toolMissing() async throws {
        let (type, desired) = try Self.typeAndDesired()
        let lab = try Self.lab()
        try await lab.withServer { port in
            let (client, bios, plan) = try await Self.planned(port, desired, type)
            let missing = VendorBIOSApplier(
                tool: Self.sum("/nonexistent/hwa-test/sum", password: "x"),
                map: Self.catalog.biosAttributes)
            let report = try await bios.apply(
                plan, backupTo: Self.backups(), firstPoll: .zero, poll: .zero, vendorTool: missing)
            #expect(report.redfishFallback == ["BootMode"])
            let bootMode = try #require(plan.items.first { $0.setting == "BootMode" })
            #expect(report.verified[bootMode.attribute!] == true)
            #expect(lab.nodes[0].withState { $0.attribute(bootMode.attribute!) } == bootMode.desired)
            for (name, _) in Self.absent {
                let exception = try #require(report.notApplied.first { $0.setting == name })
                #expect(exception.fate == "vendor_tool")
                #expect(exception.reason.contains("not installed"), "\(exception.reason)")
            }
            #expect(!report.succeeded)
            await client.close()
        }
    }

    @Test("a Supermicro BMC without its out-of-band licence: a preflight error naming it, nothing changed")
    func unlicensedRefused() async throws {
        let (type, desired) = try Self.typeAndDesired()
        let lab = try Self.lab(licensed: false)
        let standIn = try StandInTool(name: "sum", body: StandInScripts.sum)
        defer { standIn.remove() }
        try await lab.withServer { port in
            let (client, bios, plan) = try await Self.planned(port, desired, type)
            #expect(await bios.licence == .unchecked, "planning does not ask")
            let applier = VendorBIOSApplier(
                tool: Self.sum(standIn.executable.path, password: standIn.password),
                map: Self.catalog.biosAttributes)
            await #expect {
                try await bios.apply(plan, backupTo: Self.backups(), firstPoll: .zero, vendorTool: applier)
            } throws: { error in
                "\(error)".contains("SFT-OOB-LIC") && "\(error)".contains("nothing was changed")
            }
            #expect(lab.nodes[0].withState { $0.counters.patches } == 0)
            #expect(lab.nodes[0].withState { $0.counters.resets } == 0)
            #expect(try standIn.calls().isEmpty)
            #expect(await bios.licence == .absent, "asked before the tool ran")
            await client.close()
        }
    }

    @Test(
        "Redfish changes only: the licence not asked; an unlicensed BMC's refused PATCH fails naming it, nothing changed",
        arguments: [false, true])
    func redfishOnlyLicence(licensed: Bool) async throws {
        let (type, desired) = try Self.typeAndDesired()
        let lab = try Self.lab(licensed: licensed)
        try await lab.withServer { port in
            let (client, bios, full) = try await Self.planned(port, desired, type)
            let plan = BIOSPlan(
                deviceType: full.deviceType, bmc: full.bmc, items: full.items.filter { $0.fate == .change })
            #expect(!plan.redfishChanges.isEmpty && plan.vendorToolChanges.isEmpty)
            if licensed {
                let report = try await bios.apply(plan, backupTo: Self.backups(), firstPoll: .zero, poll: .zero)
                #expect(report.patched && report.verified.values.allSatisfy { $0 }, "\(report.verified)")
                #expect(await bios.licence == .unchecked)
            } else {
                await #expect {
                    try await bios.apply(plan, backupTo: Self.backups(), firstPoll: .zero, poll: .zero)
                } throws: { error in
                    "\(error)".contains("SFT-OOB-LIC") && "\(error)".contains("nothing was changed")
                }
                #expect(await bios.licence == .absent)
                #expect(lab.nodes[0].withState { $0.counters.resets } == 0)
                #expect(lab.nodes[0].withState { $0.pendingAttributes.isEmpty })
            }
            #expect(lab.nodes[0].withState { $0.counters.patches } == (licensed ? 1 : 0))
            let asked = await client.counters.byPath.keys.filter { $0.contains("LicenseManager") }
            #expect(asked.isEmpty, "\(asked)")
            await client.close()
        }
    }

    @Test("no licence but host access: SUM in band sets every change (no PATCH), one reset, all read back")
    func unlicensedInBand() async throws {
        let (type, desired) = try Self.typeAndDesired()
        let lab = try Self.lab(licensed: false)
        let standIn = try StandInTool(name: "sum", body: StandInScripts.sum)
        defer { standIn.remove() }
        try await lab.withServer { port in
            let (client, bios, plan) = try await Self.planned(port, desired, type)
            let applier = VendorBIOSApplier(
                tool: SUMInBandTool(
                    shell: LocalShell(), executable: standIn.executable.path, logger: Logger(label: "sum")),
                map: Self.catalog.biosAttributes)
            let everything = plan.vendorToolChanges + plan.items.filter { $0.fate == .change }
            let batch = applier.batch(for: everything)
            try standIn.writeSUMState(
                menus: Self.placed(batch.changes, everything).map { ($0.path, $0.name, "Disabled-Before") })

            let report = try await bios.apply(
                plan, backupTo: Self.backups(), firstPoll: .zero, poll: .zero, vendorTool: applier)
            #expect(!report.patched)
            #expect(lab.nodes[0].withState { $0.counters.patches } == 0)
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            for change in batch.changes { #expect(report.verified[change.setting] == true, "\(change.setting)") }
            let change = try #require(try standIn.calls().first { $0.arguments.contains("ChangeBiosCfg") })
            let file = try #require(change.arguments.last)
            #expect(change.arguments == ["-c", "ChangeBiosCfg", "--file", file], "in band: no BMC address, no login")
            let sent = try BIOSTemplateXML.parse(
                Data(try #require(change.saved("change.xml")).utf8), name: "change", displayPath: "change"
            ).get()
            #expect(Set(sent.settings.map(\.name)) == Set(Self.placed(batch.changes, everything).map(\.name)))
            await client.close()
        }
    }
}

/// The same routing with HPE iLOrest and Dell racadm stand-ins: the tool gets exactly the routed settings, before the
/// one reset, and reads them back.
@Suite("Hybrid BIOS routing: iLOrest and racadm")
struct HybridToolRoutingTests {
    @Test(
        "iLOrest and racadm receive exactly the routed settings (argv checked with a stand-in); no password on argv",
        arguments: [
            (VendorToolKind.ilorest, "hpe", SimulatedBMC.Profile.hpe), (.racadm, "dell", .dell),
        ])
    func toolGetsExactlyTheRoutedSettings(_ kind: VendorToolKind, vendor: String, profile: SimulatedBMC.Profile)
        async throws
    {
        let catalog = HybridRoutingTests.catalog
        // An HPE type on the HPE lab (its settings in iLO names differ from the lab's defaults); s2.c2.small else.
        let base = try #require(catalog.deviceType(named: kind == .ilorest ? "a1.c5.large" : "s2.c2.small"))
        var vendorType = base
        vendorType.vendor = vendor
        let type = vendorType
        var settings = SimulatedBMC.Settings()
        settings.postSeconds = 0
        settings.profile = profile
        let lab = Lab(servers: [ServerModel(deviceType: base, index: 1)], settings: settings, clock: ManualLabClock())
        let standIn = try StandInTool(
            name: kind.rawValue, body: kind == .ilorest ? StandInScripts.ilorest : StandInScripts.racadm)
        defer { standIn.remove() }
        try await lab.withServer { port in
            let client = try HybridRoutingTests.client(port)
            let bios = RedfishBIOS(client: client, logger: Logger(label: "bios"))
            let desired = try DesiredBIOSState(type: type, catalog: catalog)
            let first = try await bios.plan(desired, type: type, catalog: catalog)
            let viaTool = first.items.filter { item in
                item.status == .change && item.setting != "BootMode"
                    && catalog.biosAttributes.attributes[item.setting].flatMap { kind.key(in: $0) } != nil
            }
            try #require(!viaTool.isEmpty)
            var routed = type
            for item in viaTool { routed.bios.routing[item.setting] = RoutedSetting(route: .vendorOnly) }
            let plan = try await bios.plan(desired, type: routed, catalog: catalog)
            let tool = kind.tool(
                executable: standIn.executable.path, host: "127.0.0.1", user: "admin", password: standIn.password,
                runner: StandInTool.runner, logger: Logger(label: kind.rawValue), timeout: .seconds(60))
            let applier = VendorBIOSApplier(tool: tool, map: catalog.biosAttributes)
            let batch = applier.batch(for: plan.vendorToolChanges)
            #expect(Set(viaTool.map(\.setting)).isSubset(of: Set(batch.changes.map(\.setting))))
            try standIn.write("state", batch.changes.map { "\($0.key)=Before" }.joined(separator: "\n") + "\n")

            let report = try await bios.apply(
                plan, backupTo: HybridRoutingTests.backups(), firstPoll: .zero, poll: .zero, vendorTool: applier)
            #expect(report.vendorTool == "\(kind.rawValue) on 127.0.0.1")
            #expect(report.patched && report.reset)
            #expect(lab.nodes[0].withState { $0.counters.resets } == 1)
            #expect(lab.nodes[0].withState { $0.counters.biosReadsDuringPOST } == 0)
            for change in batch.changes { #expect(report.verified[change.setting] == true, "\(change.setting)") }
            let calls = try standIn.calls()
            for call in calls {
                #expect(!call.arguments.contains { $0.contains(standIn.password) }, "no password on argv")
                #expect(!call.passwordInEnvironment)
            }
            let expected = Set(batch.changes.map { "\($0.key)=\($0.value)" })
            switch kind {
            case .ilorest:
                // `set KEY=VALUE --select Bios.` per change, then one commit.
                let sets = calls.compactMap { call -> String? in
                    guard let index = call.arguments.firstIndex(of: "set") else { return nil }
                    #expect(Array(call.arguments.suffix(2)) == ["--select", "Bios."])
                    return call.arguments[index + 1]
                }
                #expect(Set(sets) == expected && sets.count == expected.count)
                #expect(calls.filter { $0.arguments.contains("commit") }.count == 1)
            default:
                // `-r BMC -u USER set KEY VALUE` per change, then one BIOS configuration job.
                #expect(calls.allSatisfy { Array($0.arguments.prefix(4)) == ["-r", "127.0.0.1", "-u", "admin"] })
                let sets = calls.filter { $0.arguments.count == 7 && $0.arguments[4] == "set" }.map {
                    "\($0.arguments[5])=\($0.arguments[6])"
                }
                #expect(Set(sets) == expected && sets.count == expected.count)
                #expect(
                    calls.filter { Array($0.arguments.dropFirst(4)) == ["jobqueue", "create", "BIOS.Setup.1-1"] }.count
                        == 1)
                #expect(calls.allSatisfy { $0.input == standIn.password + "\n" })
            }
            await client.close()
        }
    }
}

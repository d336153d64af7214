import ArgumentParser
import Catalog
import Firmware
import Foundation
import IPMI
import Inventory
import Logging
import Orchestration
import Redfish
import Remote
import Store

struct FirmwareInventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "The firmware a server runs: Redfish FirmwareInventory, or IPMI `mc info` + dmidecode over SSH.")

    @OptionGroup var bmc: RedfishOptions
    @Option(
        help: ArgumentHelp("With --redfish: the system to read when the BMC has several (its Id).", valueName: "id"))
    var system: String?
    @Option(help: ArgumentHelp("Read over IPMI instead (with --user/--password-env).", valueName: "host[:port]"))
    var ipmi: String?
    @Option(help: ArgumentHelp("With --ipmi: read the BIOS version with dmidecode here.", valueName: "user@host"))
    var ssh: String?
    @Option(help: ArgumentHelp("SSH private key file.", valueName: "file")) var key: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (bmc.redfish == nil) != (ipmi == nil) else { throw ValidationError("give one of --redfish or --ipmi") }
    }

    func run() async throws {
        let logger = Logger(label: "hwautomation.firmware")
        let inventory: FirmwareInventory
        if let ipmi {
            inventory = try await Self.inBand(ipmi: ipmi, options: bmc, ssh: ssh, key: key, logger: logger)
        } else {
            let client = try await bmc.client(logger: logger)
            let system = self.system
            inventory = try await exitingOnError {
                try await client.closing { client in try await client.firmwareInventory(system: system) }
            }
        }
        if json {
            print(try Terminal.json(inventory))
            return
        }
        var table = TextTable(["COMPONENT", "ID", "NAME", "VERSION", "STATE", "HEALTH"])
        for item in inventory.items {
            table.add([
                item.component.rawValue, item.id, item.name, item.version, item.state ?? "", item.health ?? "",
            ])
        }
        print("source: \(inventory.source)\n" + table.render())
    }

    static func inBand(
        ipmi: String, options: RedfishOptions, ssh: String?, key: String?, logger: Logger
    ) async throws -> FirmwareInventory {
        let parts = ipmi.split(separator: ":")
        guard let host = parts.first.map(String.init), let port = parts.count > 1 ? Int(parts[1]) : 623 else {
            throw CommandFailure("--ipmi needs host or host:port")
        }
        let password = try Secrets.password(environment: options.passwordEnv, file: options.passwordFile) ?? ""
        let runner = ProcessRunner(logger: logger)
        let tool = IPMITool(
            target: IPMITarget(host: host, port: port, user: options.user ?? "", password: password), runner: runner)
        var shell: SSHSession?
        if let ssh {
            let pieces = ssh.split(separator: "@", maxSplits: 1)
            let (user, address) = pieces.count == 2 ? (String(pieces[0]), String(pieces[1])) : ("root", ssh)
            let hostPort = address.split(separator: ":")
            shell = try SSHSession(
                target: SSHTarget(
                    host: String(hostPort[0]), port: hostPort.count > 1 ? Int(hostPort[1]) ?? 22 : 22, user: user,
                    keyFile: key, knownHostsFile: SSHTarget.defaultKnownHostsFile()),
                runner: runner, logger: logger)
        }
        do {
            let inventory = try await InBandFirmwareInventory.read(ipmi: tool, host: shell)
            await shell?.close()
            return inventory
        } catch {
            await shell?.close()
            throw CommandFailure("\(error)")
        }
    }
}

struct FirmwarePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Per component: running version, what the repository has, and what the policy decides, and why.",
        discussion: """
            With --redfish the versions are read from the BMC now; with --server, --batch or --all they come from \
            the store (what discovery and the firmware workflows recorded). Updates run BMC first (no host \
            reset), then BIOS (staged for one reset), then the rest.
            """)

    @OptionGroup var bmc: RedfishOptions
    @Option(help: ArgumentHelp("With --redfish: the system when the BMC has several (its Id).", valueName: "id"))
    var system: String?
    @Option(help: "With --redfish: the device type (its vendor picks the images).") var type: String?
    @Option(help: "With --redfish: the vendor, when no --type.") var vendor: String?
    @Option(help: "A server the store records (repeatable).") var server: [String] = []
    @Option(help: ArgumentHelp("The servers of a batch inventory file (YAML or CSV).", valueName: "file"))
    var batch: String?
    @Flag(help: "Every server the store records.") var all = false
    @Option(help: "Update policy: manual, recommended, latest, security_only. Default: recommended.")
    var policy: String?
    @Flag(help: "Approve what a manual policy holds back.") var approve = false
    @OptionGroup var repository: FirmwareRepositoryOptions
    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        let sources = [bmc.redfish != nil, !server.isEmpty, batch != nil, all].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give one of --redfish, --server, --batch or --all") }
    }

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        var plans: [FirmwarePlan] = []
        if bmc.redfish != nil {
            let planner = FirmwarePlanner(catalog: catalog, images: try repository.images())
            let (target, inventory) = try await exitingOnError { try await live(catalog: catalog) }
            plans.append(
                try await exitingOnError {
                    try planner.plan(
                        server: bmc.redfish ?? "", target: target, inventory: inventory, policyName: policy,
                        approve: approve)
                })
        } else {
            let store = try await storeOptions.open()
            let service = FirmwareService(store: store, catalog: catalog, library: repository.library)
            var ids = server
            if all { ids = try await exitingOnError { try await store.servers() }.map(\.id) }
            if let batch {
                ids = try await exitingOnError { try BatchInventory.load(batch).entries.map(\.name) }
            }
            let (policy, approve) = (self.policy, self.approve)
            for id in ids {
                plans.append(
                    try await serving { () async throws(ServiceError) in
                        try await service.plan(id, policy: policy, approve: approve)
                    })
            }
        }
        if json {
            print(try Terminal.json(plans))
            return
        }
        for plan in plans { print(Self.render(plan)) }
    }

    /// The server's vendor/type/board/model and firmware, read from the BMC now.
    private func live(catalog: Catalog) async throws -> (FirmwareTarget, FirmwareInventory) {
        let (system, type, vendor) = (self.system, self.type, self.vendor)
        return try await bmc.client(logger: Logger(label: "hwautomation.firmware")).closing { client in
            try await Self.live(client: client, catalog: catalog, system: system, type: type, vendor: vendor)
        }
    }

    /// What `client`'s server is (vendor from `type`, `vendor` or the system's Manufacturer) and runs.
    static func live(
        client: RedfishClient, catalog: Catalog, system id: String?, type: String?, vendor: String?
    ) async throws -> (FirmwareTarget, FirmwareInventory) {
        let inventory = try await client.firmwareInventory(system: id)
        var system: JSONValue?
        if let path = try await client.systemPath(id) { system = try await client.get(path) }
        var deviceType: DeviceType?
        if let type {
            guard let known = catalog.deviceType(named: type) else {
                throw FirmwareError(.invalid, "device type \(type) is not in the catalog")
            }
            deviceType = known
        }
        guard let vendor = deviceType?.vendor ?? vendor ?? VendorName.normalise(system?["Manufacturer"].string) else {
            throw FirmwareError(.invalid, "the BMC does not say who made the server; give --vendor or --type")
        }
        return (
            FirmwareTarget(vendor: vendor, deviceType: deviceType?.name, model: system?["Model"].string), inventory
        )
    }

    static func render(_ plan: FirmwarePlan) -> String {
        var table = TextTable(["COMPONENT", "CURRENT", "AVAILABLE", "TARGET", "DECISION", "WHY"])
        for item in plan.items {
            table.add([
                item.component.rawValue, item.current ?? "?", item.available ?? "-", item.target?.version ?? "-",
                item.decision.rawValue, item.reason,
            ])
        }
        let held = plan.items.filter { $0.decision == .approval }.count
        let summary =
            plan.updates.isEmpty
            ? (held > 0 ? "\(held) update(s) wait for an operator's approval (--approve)" : "nothing to update")
            : "\(plan.updates.count) update(s), BMC first; "
                + (plan.needsHostReset ? "one host reset (BIOS staged)" : "no host reset")
                + "; estimated \(plan.estimatedSeconds / 60) min"
        return "\(plan.server) (policy \(plan.policy)): \(summary)\n" + table.render()
    }
}

struct FirmwareComplianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance",
        abstract: "Across every recorded server: current against target versions, which are behind and by how much.")

    @Option(help: "Update policy (default: recommended).") var policy: String?
    @OptionGroup var repository: FirmwareRepositoryOptions
    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let catalog = try catalogOptions.load().catalog
        let store = try await storeOptions.open()
        let service = FirmwareService(store: store, catalog: catalog, library: repository.library)
        let policy = self.policy
        let report = try await serving { () async throws(ServiceError) in try await service.compliance(policy: policy) }
        if json {
            print(try Terminal.json(report))
            return
        }
        var table = TextTable(["SERVER", "TYPE", "COMPONENT", "CURRENT", "TARGET", "STATUS", "BEHIND BY"])
        for row in report.rows {
            table.add([
                row.server, row.deviceType ?? "-", row.component.rawValue, row.current ?? "?", row.target ?? "-",
                row.status, row.behindBy == 0 ? "" : "\(row.behindBy)",
            ])
        }
        let servers = Set(report.rows.map(\.server)).count
        print(table.render())
        print("policy \(report.policy): \(report.serversBehind) of \(servers) servers behind")
    }
}

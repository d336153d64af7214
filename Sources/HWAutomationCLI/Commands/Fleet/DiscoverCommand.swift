import ArgumentParser
import Foundation
import Inventory
import Logging
import Redfish
import Remote

/// `hwautomation discover`.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Read a server's hardware over SSH, over its BMC's Redfish API, or from a saved bundle.",
        discussion: """
            Over SSH, one multiplexed connection runs dmidecode, lscpu, free, lsblk, ip, lshw and ipmitool \
            (root commands under `sudo -n`); host keys are kept in HWAutomation's known_hosts file. Over Redfish, \
            links are followed from the service root. --save-bundle keeps every raw output for support and for \
            offline re-classification (classify --from-bundle). The inventory is printed in every case; the exit \
            status is 1 when it lacks a section the classifier needs (cpu, memory, storage or nics), named on \
            stderr with what could not be read.
            """)

    @Option(help: ArgumentHelp("Discover over SSH.", valueName: "user@host"))
    var ssh: String?

    @Option(help: "SSH port.")
    var port: Int = 22

    @Option(help: ArgumentHelp("SSH private key file.", valueName: "file"))
    var key: String?

    @Option(
        name: .customLong("known-hosts"),
        help: ArgumentHelp("known_hosts file (default: HWAutomation's own).", valueName: "file"))
    var knownHosts: String?

    @OptionGroup var bmc: RedfishOptions

    @Option(
        help: ArgumentHelp("With --redfish: the system to read when the BMC has several (its Id).", valueName: "id"))
    var system: String?

    @Option(
        name: .customLong("from-bundle"),
        help: ArgumentHelp("Rebuild the inventory from a saved bundle.", valueName: "dir"))
    var fromBundle: String?

    @Option(
        name: .customLong("save-bundle"),
        help: ArgumentHelp("Save every raw output into this folder.", valueName: "dir"))
    var saveBundle: String?

    @Flag(help: "Print the inventory as JSON.")
    var json = false

    func validate() throws {
        let sources = [ssh, bmc.redfish, fromBundle].compactMap { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --ssh, --redfish or --from-bundle") }
    }

    func run() async throws {
        let logger = Logger(label: "hwautomation.discover")
        let inventory: Inventory
        if let ssh {
            inventory = try await discoverSSH(ssh, logger: logger)
        } else if bmc.redfish != nil {
            inventory = try await discoverRedfish(logger: logger)
        } else {
            do {
                inventory = try await DiscoveryBundle.read(from: URL(fileURLWithPath: fromBundle!)).inventory()
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        print(json ? try Terminal.json(inventory) : InventoryText.render(inventory))
        if let message = Self.incomplete(inventory) {
            throw CommandFailure("\(message)")
        }
    }

    /// Why the inventory cannot be classified, when a section the classifier needs is missing: the sections, and
    /// what could not be read in them.
    static func incomplete(_ inventory: Inventory) -> String? {
        let missing = inventory.missingSections
        guard !missing.isEmpty else { return nil }
        let names = missing.map(\.rawValue).joined(separator: ", ")
        var message = "the inventory has no \(names) (the classifier needs cpu, memory, storage and nics)"
        let causes = inventory.problems.filter { problem in problem.section.map(missing.contains) ?? false }
        if !causes.isEmpty { message += "; not read: " + causes.map(\.description).joined(separator: "; ") }
        return message
    }

    private func discoverSSH(_ destination: String, logger: Logger) async throws -> Inventory {
        let parts = destination.split(separator: "@", maxSplits: 1)
        let (user, host) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("root", destination)
        let target = SSHTarget(
            host: host, port: port, user: user, keyFile: key,
            knownHostsFile: knownHosts ?? SSHTarget.defaultKnownHostsFile())
        let session = try SSHSession(target: target, runner: ProcessRunner(logger: logger), logger: logger)
        do {
            let (bundle, problems) = try await SSHDiscovery(session: session).collect()
            await session.close()
            if let saveBundle {
                try bundle.write(to: URL(fileURLWithPath: saveBundle))
            }
            var inventory = await bundle.inventory()
            inventory.problems =
                problems
                + inventory.problems.filter { problem in
                    !problems.contains { $0.source == problem.source }
                }
            return inventory
        } catch {
            await session.close()
            throw CommandFailure("\(error)")
        }
    }

    private func discoverRedfish(logger: Logger) async throws -> Inventory {
        let client = try await bmc.client(logger: logger)
        let folder = saveBundle.map { URL(fileURLWithPath: $0).appendingPathComponent(DiscoveryBundle.redfishFolder) }
        let inventory = await RedfishDiscovery(client: client).inventory(system: system, saveTo: folder)
        await client.close()
        if inventory.system.manufacturer == nil && inventory.system.serial == nil, let first = inventory.problems.first
        {
            throw CommandFailure("\(first)")
        }
        return inventory
    }
}

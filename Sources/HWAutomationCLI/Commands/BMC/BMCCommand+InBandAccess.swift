import ArgumentParser
import Foundation
import Logging
import Redfish

/// `hwautomation bmc in-band-access`: the host's ways into its own BMC, through Redfish.
struct BMCInBandAccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "in-band-access",
        abstract: "Show or set the host interface (Redfish from the host) and, on Supermicro, the KCS privilege.",
        discussion: """
            The host interface is DMTF's HostInterface (every vendor that has it). The KCS privilege is Supermicro's \
            Oem/Supermicro/KCSInterface (Administrator, Operator, User, Callback); other BMCs are refused with a \
            message naming them. Both are read back after a change. Commissioning needs the host interface and an \
            Administrator KCS (in-band ipmitool); a locked-down fleet turns both down afterwards.
            """)

    @OptionGroup var bmc: RedfishOptions
    @Option(help: ArgumentHelp("Turn the host interface on or off.", valueName: "on|off")) var hostInterface: String?
    @Option(help: ArgumentHelp("Set the KCS privilege (Supermicro).", valueName: "privilege")) var kcs: String?
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var manager: String
        var hostInterfaces: [RedfishClient.HostInterface]?
        var kcsPrivilege: String?
        var notes: [String]
    }

    func validate() throws {
        if let hostInterface, !["on", "off"].contains(hostInterface) {
            throw ValidationError("--host-interface takes on or off")
        }
        if let kcs, RedfishClient.KCSPrivilege(rawValue: kcs.capitalized) == nil {
            throw ValidationError("--kcs takes Administrator, Operator, User or Callback")
        }
    }

    func run() async throws {
        let client = try await bmc.client(logger: Logger(label: "hwautomation.bmc"))
        let (hostInterface, kcs) = (self.hostInterface, self.kcs)
        let report = try await exitingOnError {
            try await client.closing { client in
                let manager = try await client.firstManager()
                var report = Report(manager: manager, notes: [])
                if let hostInterface {
                    report.hostInterfaces = try await client.setHostInterfaces(
                        manager: manager, enabled: hostInterface == "on")
                } else {
                    switch try await Self.absentIsNote({ () throws(RedfishError) in
                        try await client.hostInterfaces(manager: manager)
                    }) {
                    case .success(let interfaces): report.hostInterfaces = interfaces
                    case .failure(let note): report.notes.append(note.message)
                    }
                }
                if let privilege = kcs.flatMap({ RedfishClient.KCSPrivilege(rawValue: $0.capitalized) }) {
                    try await client.setKCSPrivilege(privilege, manager: manager)
                    report.kcsPrivilege = privilege.rawValue
                } else {
                    switch try await Self.absentIsNote({ () throws(RedfishError) in
                        try await client.kcsPrivilege(manager: manager).rawValue
                    }) {
                    case .success(let privilege): report.kcsPrivilege = privilege
                    case .failure(let note): report.notes.append(note.message)
                    }
                }
                return report
            }
        }
        if json {
            print(try Terminal.json(report))
        } else {
            for interface in report.hostInterfaces ?? [] {
                print("host interface \(interface.path): \(interface.enabled ? "on" : "off")")
            }
            if let privilege = report.kcsPrivilege { print("KCS privilege: \(privilege)") }
            for note in report.notes { print("note: \(note)") }
        }
    }

    /// Runs a read; a BMC without the resource (an invalid-response error) becomes a note, anything else throws.
    static func absentIsNote<T>(_ read: () async throws(RedfishError) -> T) async throws(RedfishError)
        -> Result<T, RedfishError>
    {
        let result: Result<T, RedfishError>
        do {
            result = .success(try await read())
        } catch {
            result = .failure(error)
        }
        if case .failure(let error) = result, error.kind != .invalidResponse { throw error }
        return result
    }
}

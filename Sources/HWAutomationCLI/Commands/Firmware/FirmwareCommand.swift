import ArgumentParser
import Firmware
import Foundation

/// `hwautomation firmware`.
struct FirmwareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware",
        abstract: "The firmware repository, running versions, policy plans, updates and the compliance report.",
        subcommands: [
            FirmwareAddCommand.self, FirmwareListCommand.self, FirmwareVerifyCommand.self,
            FirmwareServeCommand.self, FirmwareInventoryCommand.self, FirmwarePlanCommand.self,
            FirmwareUpdateCommand.self, FirmwareComplianceCommand.self, FirmwareRolloutCommand.self,
        ])
}

/// Where the firmware repository is.
struct FirmwareRepositoryOptions: ParsableArguments {
    @Option(
        name: .customLong("firmware-dir"),
        help: ArgumentHelp(
            "The firmware repository ({vendor}/{component}/ files and manifest.yaml). Default: $HWA_FIRMWARE_DIR, "
                + "else ./firmware.", valueName: "dir"))
    var directory: String?

    var library: FirmwareLibrary {
        FirmwareLibrary(directory: directory.map { URL(fileURLWithPath: $0) } ?? FirmwareLibrary.defaultDirectory())
    }

    /// The recorded images, or the error printed and exit 1.
    func images() throws -> [FirmwareImage] {
        try firmwareCall { () throws(FirmwareError) in try library.images() }
    }
}

/// Runs a firmware call, printing its error as one line and exiting 1.
func firmwareCall<T>(_ body: () throws(FirmwareError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure("\(error)")
    }
}

extension FirmwareComponent: ExpressibleByArgument {}
extension FirmwarePriority: ExpressibleByArgument {}
extension FirmwareUpdater.Transfer: ExpressibleByArgument {}

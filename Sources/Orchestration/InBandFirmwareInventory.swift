import Firmware
import IPMI
import Inventory
import Remote

/// Firmware versions where Redfish is absent: the BMC's from `ipmitool mc info`, the BIOS's from the host's
/// dmidecode (SMBIOS type 0) when a shell on the host is given.
public enum InBandFirmwareInventory {
    /// Reads both; a missing host leaves the BIOS version out.
    public static func read(ipmi: IPMITool, host: (any RemoteShell)?) async throws -> FirmwareInventory {
        let info = try await ipmi.mcInfo()
        var bios: String?
        if let host {
            let output = try await host.run("dmidecode -t 0", root: true, timeout: .seconds(60))
            guard output.succeeded else {
                throw FirmwareError(
                    .invalid,
                    "\(host.targetDescription): `dmidecode -t 0` failed: \(output.standardError.prefix(300))")
            }
            var inventory = Inventory()
            DMIDecodeParser.parse(output.standardOutput, into: &inventory)
            bios = inventory.bios.version
        }
        return FirmwareInventory.from(
            biosVersion: bios, bmcVersion: info.firmwareRevision, source: host == nil ? "ipmi" : "ipmi+dmidecode")
    }
}

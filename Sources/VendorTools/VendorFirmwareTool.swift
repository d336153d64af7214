import Foundation

/// A vendor tool that flashes firmware images (the fallback when a BMC's Redfish UpdateService cannot): Supermicro
/// SUM (`-c UpdateBmc` / `-c UpdateBios --file IMAGE`), HPE iLOrest (`flashfwpkg IMAGE` in a logged-in session),
/// Dell racadm (`update -f IMAGE`). The password travels as each tool's BIOS driver passes it, never on argv.
/// BIOS images are flashed without a reboot of the tool's own: they run after the host's next reset.
public protocol VendorFirmwareTool: Sendable {
    /// Which tool.
    var kind: VendorToolKind { get }
    /// The BMC it works on.
    var host: String { get }

    /// Flashes `image` onto `component` (`bmc` or `bios`).
    func flashFirmware(component: String, image: URL) async throws(VendorToolError)
}

extension SUMTool: VendorFirmwareTool {
    /// `sum -i HOST -u USER -c UpdateBmc|UpdateBios --file IMAGE`, the password on standard input.
    public func flashFirmware(component: String, image: URL) async throws(VendorToolError) {
        let command: String
        switch component {
        case "bmc": command = "UpdateBmc"
        case "bios": command = "UpdateBios"
        default:
            throw process.failure(.notConfigured, "SUM flashes bmc or bios firmware, not \(component)")
        }
        _ = try await process.run(
            command, ["-i", host, "-u", user, "-c", command, "--file", image.path], input: password + "\n")
    }
}

extension ILORestTool: VendorFirmwareTool {
    /// `ilorest flashfwpkg IMAGE` inside a login from a private configuration file.
    public func flashFirmware(component: String, image: URL) async throws(VendorToolError) {
        try await session { global throws(VendorToolError) in
            _ = try await process.run("flashfwpkg", global + ["flashfwpkg", image.path])
        }
    }
}

extension RacadmTool: VendorFirmwareTool {
    /// `racadm -r HOST -u USER update -f IMAGE`, the password on standard input.
    public func flashFirmware(component: String, image: URL) async throws(VendorToolError) {
        _ = try await run("update", ["update", "-f", image.path])
    }
}

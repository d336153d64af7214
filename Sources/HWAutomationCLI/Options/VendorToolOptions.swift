import ArgumentParser
import BIOS
import Catalog
import Foundation
import Logging
import Remote
import VendorTools

/// The vendor BIOS tool `bios apply` uses for vendor-tool changes: the device type's vendor's tool (SUM, iLOrest,
/// racadm) at the path the catalog gives, logging in to the same BMC with the same user and password.
struct VendorToolOptions: ParsableArguments {
    @Option(
        name: .customLong("vendor-tool-path"),
        help: ArgumentHelp(
            "The vendor BIOS tool to run (default: the catalog's path for the vendor's tool).", valueName: "path"))
    var path: String?

    /// The applier for `type`'s vendor on the BMC of `bmc`; nil when the vendor has no BIOS tool HWAutomation drives.
    /// Throws a `VendorToolError` when the catalog names a tool HWAutomation does not drive or no user is given.
    func applier(for type: DeviceType, catalog: Catalog, bmc: RedfishOptions, logger: Logger) async throws
        -> VendorBIOSApplier?
    {
        guard
            let tool = try tool(
                vendor: type.vendor, catalog: catalog, bmc: bmc, logger: logger,
                timeout: .seconds(type.bios.performance?.vendorToolTimeout ?? 600))
        else { return nil }
        return VendorBIOSApplier(tool: tool, map: catalog.biosAttributes)
    }

    /// The vendor's tool as a firmware fallback for `vendor`'s servers on the BMC of `bmc`; nil when the vendor has
    /// no tool HWAutomation drives or no BMC user is given (the fallback is then simply not there).
    func firmwareTool(vendor: String, catalog: Catalog, bmc: RedfishOptions, logger: Logger) throws
        -> (any VendorFirmwareTool)?
    {
        guard bmc.user != nil else { return nil }
        return try tool(vendor: vendor, catalog: catalog, bmc: bmc, logger: logger, timeout: .seconds(3600))
            as? any VendorFirmwareTool
    }

    /// `vendor`'s tool at the catalog's path (or --vendor-tool-path), logging in with the BMC's user and password;
    /// nil when the vendor has no tool HWAutomation drives. Throws when no user is given.
    private func tool(vendor: String, catalog: Catalog, bmc: RedfishOptions, logger: Logger, timeout: Duration) throws
        -> (any VendorBIOSTool)?
    {
        guard let vendor = catalog.vendors[vendor], let resolved = try VendorToolKind.resolve(vendor) else {
            return nil
        }
        guard let user = bmc.user, let host = bmc.redfish.flatMap({ URL(string: $0)?.host }) else {
            throw VendorToolError(
                kind: .notConfigured, tool: resolved.kind.rawValue, host: bmc.redfish ?? "-",
                message:
                    "the vendor tool logs in with the BMC's user: give --user (and --password-env or --password-file)")
        }
        let password = try Secrets.password(environment: bmc.passwordEnv, file: bmc.passwordFile) ?? ""
        return resolved.kind.tool(
            executable: path ?? resolved.executable, host: host, user: user, password: password,
            runner: ProcessRunner(logger: logger), logger: logger, timeout: timeout,
            blanking: Set([bmc.passwordEnv].compactMap { $0 }))
    }
}

import Inventory
import Redfish

extension LabBIOS {
    /// A PowerEdge's BIOS as iDRAC 9 serves it. Names and values from Dell's BIOS attribute registry as iDRAC 9 serves
    /// it (an R750's `LogicalProc`: DisplayName "Logical Processor", MenuPath `./ProcSettingsRef`, Enabled/Disabled,
    /// ResetRequired; dell/iDRAC-Redfish-Scripting GetSetBiosAttributesREDFISH.py; racadm `BIOS.ProcSettings.*`,
    /// `BIOS.SysProfileSettings.*`): `SysProfile` (PerfPerWattOptimizedDapc, PerfPerWattOptimizedOs, PerfOptimized,
    /// Custom), `ProcCStates`, `ProcC1E` and `ProcTurboMode` (read-only unless the system profile is Custom),
    /// `LogicalProc`, `ProcVirtualization`, `SriovGlobalEnable`, `MemOpMode`, `MemPatrolScrub` (Standard, Extended,
    /// Disabled), `AcPwrRcvry` (On, Off, Last), `IntelSgx` (On, Off), `BootMode` (Uefi, Bios), `SecureBoot` (read-only
    /// in BIOS boot mode), `PxeDev1EnDis`, `SerialComm`, and the read-only `SysMemSize`, `SystemServiceTag`,
    /// `SystemBiosVersion`.
    ///
    /// The registry's version is the BIOS version (`BiosAttributeRegistry.v1_13_2`, its `SupportedSystems` naming the
    /// model and BIOS). From BIOS 2.0 on (16G) the lab's Dell BIOS also has `WorkloadProfile`.
    static func dell(_ server: ServerModel) -> LabBIOS {
        let processor = "./ProcSettingsRef"
        let profile = "./SysProfileSettingsRef"
        let information = "./SysInformationRef"
        var attributes: [BIOSAttribute] = [
            BIOSAttribute(
                "SystemServiceTag", .string, .string(server.serial), readOnly: true, resetRequired: false,
                displayName: "System Service Tag", menuPath: information),
            BIOSAttribute(
                "SystemBiosVersion", .string, .string(server.biosVersion), readOnly: true, resetRequired: false,
                displayName: "System BIOS Version", menuPath: information),
            BIOSAttribute(
                "SysMemSize", .string, .string("\(server.memoryGiB) GB"), readOnly: true, resetRequired: false,
                displayName: "System Memory Size", menuPath: "./MemSettingsRef"),
            .choice(
                "MemOpMode", "Memory Operating Mode", "OptimizerMode",
                [("OptimizerMode", "Optimizer Mode"), ("MirrorMode", "Mirror Mode")], menu: "./MemSettingsRef"),
            .choice(
                "MemPatrolScrub", "Memory Patrol Scrub", "Standard",
                [("Standard", "Standard"), ("Extended", "Extended"), ("Disabled", "Disabled")],
                menu: "./MemSettingsRef"),
            .toggle("LogicalProc", "Logical Processor", "Enabled", menu: processor),
            .toggle("ProcVirtualization", "Virtualization Technology", "Enabled", menu: processor),
            .choice("IntelSgx", "Intel SGX", "Off", [("On", "On"), ("Off", "Off")], menu: "./SysSecurityRef"),
            .choice(
                "BootMode", "Boot Mode", "Uefi", [("Uefi", "UEFI"), ("Bios", "BIOS")], menu: "./BootSettingsRef"),
            .toggle("SecureBoot", "Secure Boot", "Disabled", menu: "./SysSecurityRef"),
            .toggle("PxeDev1EnDis", "PXE Device1", "Disabled", menu: "./NetworkSettingsRef"),
            .toggle("SriovGlobalEnable", "SR-IOV Global Enable", "Disabled", menu: "./IntegratedDevicesRef"),
            .choice(
                "SerialComm", "Serial Communication", "OnNoConRedir",
                [
                    ("OnNoConRedir", "On without Console Redirection"),
                    ("OnConRedirCom1", "On with Console Redirection via COM1"),
                    ("OnConRedirCom2", "On with Console Redirection via COM2"), ("Off", "Off"),
                ], menu: "./SerialCommSettingsRef"),
            .choice(
                "SysProfile", "System Profile", "PerfPerWattOptimizedDapc",
                [
                    ("PerfPerWattOptimizedDapc", "Performance Per Watt (DAPC)"),
                    ("PerfPerWattOptimizedOs", "Performance Per Watt (OS)"), ("PerfOptimized", "Performance"),
                    ("Custom", "Custom"),
                ], menu: profile),
            .toggle("ProcTurboMode", "Turbo Boost", "Enabled", menu: profile),
            .toggle("ProcC1E", "C1E", "Enabled", menu: profile),
            .toggle("ProcCStates", "C States", "Enabled", menu: profile),
            .choice(
                "AcPwrRcvry", "AC Power Recovery", "Last", [("On", "On"), ("Off", "Off"), ("Last", "Last")],
                menu: "./SysSecurityRef"),
        ]
        if versionNumber(server.biosVersion) >= 2.0 {
            attributes.append(
                .choice(
                    "WorkloadProfile", "Workload Profile", "NotConfigured",
                    [("NotConfigured", "Not Configured"), ("HpcProfile", "HPC Profile")], menu: profile))
        }
        let dependencies =
            ["ProcTurboMode", "ProcC1E", "ProcCStates"].map {
                Dependency(target: $0, attribute: "SysProfile", condition: "NEQ", value: "Custom")
            } + [Dependency(target: "SecureBoot", attribute: "BootMode", condition: "EQU", value: "Bios")]
        let version = registryVersion(server.biosVersion)
        return LabBIOS(
            registryID: "BiosAttributeRegistry.v" + version.split(separator: ".").joined(separator: "_"),
            registryVersion: version, owningEntity: "Dell", attributes: attributes, dependencies: dependencies)
    }
}

import Inventory
import Redfish

extension LabBIOS {
    /// An HPE ProLiant's BIOS as iLO 5/6 serves it. Names, values and the dependency from HPE's BIOS resource
    /// definitions (iLO 5 v3.09, https://servermanagementportal.ext.hpe.com/docs/redfishservices/ilos/ilo5/ilo5_309/
    /// ilo5_bios_resourcedefns309/, and HewlettPackard/ilo-rest-api-docs source/includes/_ilo5_resourcedefns.md):
    /// `ProcHyperthreading`, `ProcTurbo`, `PowerRegulator` (StaticHighPerf, DynamicPowerSavings, StaticLowPower,
    /// OsControl), `WorkloadProfile`, `MinProcIdlePower` (NoCStates, C6), `MinProcIdlePkgState` (NoState,
    /// C6Retention; "configurable only if the Workload Profile is Custom", as is `MinProcIdlePower`), `BootMode`
    /// (Uefi, LegacyBios), `NicBoot1` (NetworkBoot, Disabled), `SecureBootStatus` (read-only), `AutoPowerOn`,
    /// `ProcVirtualization`, `IntelProcVtd`, `Sriov`, `MemPatrolScrubbing`, `TpmChipId` (read-only).
    ///
    /// The registry is named after the ROM family and version (`BiosAttributeRegistryU30.v1_2_54`), as iLO names it.
    /// From ROM 2.60 on the lab's HPE BIOS also has `EnhancedProcPerf` (a newer BIOS adds an attribute).
    ///
    /// The lab's servers ship with the workload profile Custom (so the catalog's C-state settings are writable);
    /// set it to anything else and the two C-state attributes turn read-only, as on iLO.
    static func hpe(_ server: ServerModel) -> LabBIOS {
        let family = server.biosVersion.split(separator: " ").first.map(String.init) ?? "U30"
        let version = versionNumber(server.biosVersion)
        let processor = "./SystemOptions/ProcessorOptions"
        let power = "./PowerAndPerformanceOptions"
        let boot = "./BootOptions"
        let memory = "./MemoryOptions"
        var attributes: [BIOSAttribute] = [
            .choice(
                "WorkloadProfile", "Workload Profile", "Custom",
                [
                    ("GeneralPowerEfficientCompute", "General Power Efficient Compute"),
                    ("GeneralPeakFrequencyCompute", "General Peak Frequency Compute"),
                    ("GeneralThroughputCompute", "General Throughput Compute"),
                    ("Virtualization-MaxPerformance", "Virtualization - Max Performance"),
                    ("LowLatency", "Low Latency"), ("Custom", "Custom"),
                ], menu: power),
            .choice(
                "PowerRegulator", "Power Regulator", "DynamicPowerSavings",
                [
                    ("DynamicPowerSavings", "Dynamic Power Savings Mode"),
                    ("StaticLowPower", "Static Low Power Mode"), ("StaticHighPerf", "Static High Performance Mode"),
                    ("OsControl", "OS Control Mode"),
                ], menu: power),
            .choice(
                "MinProcIdlePower", "Minimum Processor Idle Power Core C-State", "C6",
                [("C6", "C6 State"), ("C1E", "C1E State"), ("NoCStates", "No C-states")], menu: power),
            .choice(
                "MinProcIdlePkgState", "Minimum Processor Idle Power Package C-State", "C6Retention",
                [("C6Retention", "Package C6 (retention) State"), ("NoState", "No Package State")], menu: power),
            .toggle("ProcHyperthreading", "Intel(R) Hyperthreading", "Enabled", menu: processor),
            .toggle("ProcTurbo", "Intel(R) Turbo Boost Technology", "Enabled", menu: power),
            .toggle("ProcVirtualization", "Intel(R) Virtualization Technology (Intel VT)", "Enabled", menu: processor),
            .toggle("IntelProcVtd", "Intel(R) VT-d", "Enabled", menu: processor),
            .toggle("Sriov", "SR-IOV", "Enabled", menu: "./SystemOptions/VirtualizationOptions"),
            .choice(
                "BootMode", "Boot Mode", "Uefi", [("Uefi", "UEFI Mode"), ("LegacyBios", "Legacy BIOS Mode")],
                menu: boot),
            .choice(
                "NicBoot1", "Embedded NIC 1 Boot", "Disabled",
                [("NetworkBoot", "Network Boot"), ("Disabled", "Disabled")], menu: "./NetworkOptions/NetworkBootOptions"
            ),
            BIOSAttribute(
                "SecureBootStatus", .enumeration, .string("Disabled"), allowed: ["Enabled", "Disabled"], readOnly: true,
                displayName: "Secure Boot Status", menuPath: "./ServerSecurity/SecureBootSettings",
                helpText: "Read-only: iLO changes secure boot through Systems/1/SecureBoot, not the BIOS settings."),
            .choice(
                "AutoPowerOn", "Automatic Power-On", "RestoreLastState",
                [
                    ("AlwaysPowerOn", "Always Power On"), ("AlwaysPowerOff", "Always Power Off"),
                    ("RestoreLastState", "Restore Last Power State"),
                ], menu: "./SystemOptions/ServerAvailability"),
            .toggle("MemPatrolScrubbing", "Memory Patrol Scrubbing", "Enabled", menu: memory),
            BIOSAttribute(
                "TpmChipId", .enumeration, .string("Tpm20"), allowed: ["None", "Tpm20"], readOnly: true,
                displayName: "Current TPM Type", valueDisplayNames: ["None": "No TPM", "Tpm20": "TPM 2.0"],
                menuPath: "./ServerSecurity/TrustedModuleOptions"),
            // Lab only: no iLO 5/6 BIOS attribute; the catalog's HPE types want them (their templates are Supermicro
            // BiosCfg files). Named the way iLO names its attributes.
            .toggle(
                "ProcEist", "Enhanced Intel SpeedStep (P-states)", "Enabled", menu: power,
                help: "Lab only: iLO 5/6 registries have no such attribute (Power Regulator covers P-states)."),
            .toggle(
                "MemCorrectableErrorLogging", "Memory Correctable Error Logging", "Disabled", menu: memory,
                help: "Lab only: iLO 5/6 registries have no such attribute."),
            .toggle(
                "ProcSgx", "Intel(R) Software Guard Extensions (SGX)", "Disabled", menu: processor,
                help: "Lab only: the name and menu of SGX on ProLiant BIOSes could not be confirmed."),
            .toggle(
                "ProcTdx", "Intel(R) Trust Domain Extensions (TDX)", "Disabled", menu: processor,
                help: "Lab only: the name and menu of TDX on ProLiant BIOSes could not be confirmed."),
            .choice(
                "IloDhcpMode", "iLO Network Address Source", "DHCP", [("Static", "Static"), ("DHCP", "DHCP")],
                menu: "./SystemConfiguration/iLOConfiguration",
                help: "Lab only: real iLO keeps this in Managers/1/EthernetInterfaces, not in the BIOS."),
            .choice(
                "IloNicSelection", "iLO Network Interface", "Dedicated",
                [("Dedicated", "Dedicated"), ("Shared", "Shared Network Port"), ("Failover", "Failover")],
                menu: "./SystemConfiguration/iLOConfiguration",
                help: "Lab only: real iLO keeps this in Managers/1/EthernetInterfaces, not in the BIOS."),
        ]
        if version >= 2.60 {
            attributes.append(.toggle("EnhancedProcPerf", "Enhanced Processor Performance", "Disabled", menu: power))
        }
        let dependencies = ["MinProcIdlePower", "MinProcIdlePkgState"].map {
            Dependency(target: $0, attribute: "WorkloadProfile", condition: "NEQ", value: "Custom")
        }
        return LabBIOS(
            registryID: "BiosAttributeRegistry\(family).v"
                + registryVersion(server.biosVersion).split(separator: ".").joined(separator: "_"),
            registryVersion: registryVersion(server.biosVersion),
            owningEntity: "HPE", attributes: attributes, dependencies: dependencies)
    }
}

import Inventory
import Redfish

extension LabBIOS {
    /// A Supermicro board's BIOS as its BMC serves it: the setup menu's items, each named after the menu's text
    /// (`EnhancedHaltStateC1E`: letters and digits only, as an AttributeRegistry's `AttributeName` pattern asks) with the menu's text as its DisplayName ("Intel Hyper-Threading
    /// Technology", the name SUM's BiosCfg files use), per the Supermicro Redfish Reference Guide
    /// (https://www.supermicro.com/manuals/other/RedfishRefGuide.pdf) and Supermicro answers seen in
    /// NVIDIA/cloud-native-stack playbooks/files/redfish.py (`SNPMemory(RMPTable)Coverage#003C`: the menu's "SNP
    /// Memory (RMP Table) Coverage"; newer boards add a `#xxxx` suffix, which the lab's do not).
    ///
    /// From BIOS 2.0 on the lab's Supermicro BIOS shows "CPU P State Control" as "SpeedStep (P-States)" (a newer
    /// BIOS renames an attribute: clients find it by DisplayName). Secure Boot is read-only in Legacy boot mode.
    static func supermicro(_ server: ServerModel) -> LabBIOS {
        let cpu = "./Advanced/CPUConfiguration"
        let power = "./Advanced/CPUConfiguration/AdvancedPowerManagementConfiguration"
        let boot = "./Boot"
        let ipmi = "./IPMI"
        func item(_ display: String, _ current: String, _ values: [String], menu: String) -> BIOSAttribute {
            .choice(
                String(display.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }), display, current,
                values.map { ($0, $0) }, menu: menu)
        }
        let toggle = ["Enabled", "Disabled"]
        let newer = versionNumber(server.biosVersion) >= 2.0
        let attributes: [BIOSAttribute] = [
            item("Intel Hyper-Threading Technology", "Enabled", toggle, menu: cpu),
            item("Intel Virtualization Technology", "Disabled", toggle, menu: cpu),
            item("Intel VT for Directed I/O (VT-d)", "Disabled", toggle, menu: "./Advanced/ChipsetConfiguration"),
            item("SR-IOV Support", "Disabled", toggle, menu: "./Advanced/PCIeConfiguration"),
            item("Intel Software Guard Extensions (SGX)", "Disabled", toggle, menu: cpu),
            item("Intel Trust Domain Extensions (TDX)", "Disabled", toggle, menu: cpu),
            item(
                "Power Management", "Energy Efficient", ["Performance", "Balanced", "Energy Efficient", "Custom"],
                menu: power),
            item(newer ? "SpeedStep (P-States)" : "CPU P State Control", "Enabled", toggle, menu: power),
            item("Intel Turbo Boost Technology", "Disabled", toggle, menu: power),
            item("C-State", "Enabled", toggle, menu: power),
            item("Enhanced Halt State (C1E)", "Disabled", toggle, menu: power),
            item("CPU C3 Report", "Disabled", toggle, menu: power),
            item("CPU C6 Report", "Disabled", toggle, menu: power),
            item(
                "Package C State", "No Limit",
                ["C0/C1 state", "C2 state", "C6(non Retention) state", "C6(Retention) state", "No Limit"],
                menu: power),
            item("Memory Correctable Error", "Disabled", toggle, menu: "./Advanced/MemoryRASConfiguration"),
            item("Patrol Scrub", "Disabled", toggle, menu: "./Advanced/MemoryRASConfiguration"),
            item("Demand Scrub", "Disabled", toggle, menu: "./Advanced/MemoryRASConfiguration"),
            item(
                "Memory Mode", "Independent", ["Independent", "Mirroring", "Sparing"],
                menu: "./Advanced/MemoryRASConfiguration"),
            item("Boot mode select", "Legacy", ["Legacy", "UEFI", "DUAL"], menu: boot),
            item("Secure Boot", "Disabled", toggle, menu: "./Security/SecureBoot"),
            item("PXE Boot", "Disabled", toggle, menu: "./Advanced/NetworkStackConfiguration"),
            item("Quiet Boot", "Enabled", toggle, menu: boot),
            item("Fast Boot", "Disabled", toggle, menu: boot),
            BIOSAttribute(
                "SetupPromptTimeout", .integer, .number(1), lower: 0, upper: 65535, displayName: "Setup Prompt Timeout",
                menuPath: boot),
            item(
                "Restore on AC Power Loss", "Last State", ["Stay Off", "Power On", "Last State"],
                menu: "./Advanced/BootFeature"),
            item("Wake On LAN", "Disabled", toggle, menu: "./Advanced/BootFeature"),
            item("Console Redirection", "Disabled", toggle, menu: "./Advanced/SerialPortConsoleRedirection"),
            item("KCS Interface", "Enabled", toggle, menu: ipmi),
            item("BMC Network Configuration", "DHCP", ["Static", "DHCP"], menu: ipmi),
            item("IPMI LAN Selection", "Failover", ["Dedicated", "Shared", "Failover"], menu: ipmi),
            item("AVX-512", "Enabled", toggle, menu: cpu),
            item("CPU Power Management", "Platform Control", ["OS Control", "Platform Control"], menu: power),
            item(
                "Energy Performance Bias", "Balanced Performance",
                ["Performance", "Balanced Performance", "Balanced Power", "Power"], menu: power),
            item("Power Efficiency", "Balanced", ["Performance", "Balanced", "Power Saving"], menu: power),
            item("Memory Mirroring", "Disabled", toggle, menu: "./Advanced/MemoryRASConfiguration"),
            item("Memory Sparing", "Disabled", toggle, menu: "./Advanced/MemoryRASConfiguration"),
            item("Memory Thermal Throttling", "Disabled", toggle, menu: "./Advanced/MemoryConfiguration"),
            item("Memory Speed", "Auto", ["Auto", "2933", "3200", "4800"], menu: "./Advanced/MemoryConfiguration"),
            item("ECC Enabled", "Enabled", toggle, menu: "./Advanced/MemoryConfiguration"),
            item("NUMA Optimized", "Disabled", toggle, menu: "./Advanced/MemoryConfiguration"),
            item("CSM Support", "Enabled", toggle, menu: boot),
            item("Network Stack", "Disabled", toggle, menu: "./Advanced/NetworkStackConfiguration"),
            item("Network OpROM", "Disabled", toggle, menu: "./Advanced/PCIeConfiguration"),
            item(
                "PXE Boot Priority", "Onboard NIC2", ["Onboard NIC1", "Onboard NIC2", "Add-on NIC"],
                menu: "./Advanced/NetworkStackConfiguration"),
            item("NVMe Support", "Disabled", toggle, menu: "./Advanced/NVMeConfiguration"),
            item("RAID Support", "Disabled", toggle, menu: "./Advanced/SATAConfiguration"),
            item("SATA Controller", "RAID", ["AHCI", "RAID"], menu: "./Advanced/SATAConfiguration"),
            item("Host Interface", "Disabled", toggle, menu: ipmi),
            item("Redfish Enabled", "Disabled", toggle, menu: ipmi),
            BIOSAttribute(
                "TotalMemory", .string, .string("\(server.memoryGiB * 1024) MB"), readOnly: true,
                resetRequired: false, displayName: "Total Memory", menuPath: "./Main"),
        ]
        let dependencies = [
            Dependency(target: "SecureBoot", attribute: "Bootmodeselect", condition: "EQU", value: "Legacy")
        ]
        let version = registryVersion(server.biosVersion)
        return LabBIOS(
            registryID: "BiosAttributeRegistry\(server.board).v" + version.split(separator: ".").joined(separator: "_"),
            registryVersion: version, owningEntity: "Supermicro", attributes: attributes, dependencies: dependencies)
    }
}

import IPMI
import Inventory

extension FuzzTargets {
    /// Every ipmitool output parser (as captured from ipmitool 1.8.19 against BMCs and ipmi_sim).
    static func ipmiTargets() -> [FuzzTarget] {
        let mcInfo = """
            Device ID                 : 32
            Device Revision           : 1
            Firmware Revision         : 1.73
            IPMI Version              : 2.0
            Manufacturer ID           : 10876
            Manufacturer Name         : Super Micro Computer Inc.
            Product ID                : 6929 (0x1b11)
            Product Name              : Unknown (0x1B11)
            Device Available          : yes
            Provides Device SDRs      : no
            Additional Device Support :
                Sensor Device
                SEL Device
            Aux Firmware Rev Info     :
                0x00

            """
        let lan = """
            Set in Progress         : Set Complete
            Auth Type Support       : NONE MD2 MD5 PASSWORD
            IP Address Source       : DHCP Address
            IP Address              : 10.10.1.21
            Subnet Mask             : 255.255.0.0
            MAC Address             : 3c:ec:ef:12:34:56
            SNMP Community String   : public
            Default Gateway IP      : 10.10.0.1
            Default Gateway MAC     : 00:00:00:00:00:00
            802.1q VLAN ID          : 120
            802.1q VLAN Priority    : 0
            Cipher Suite Priv Max   : XaaaXXaaaXXaaXX

            """
        let users = """
            ID  Name\t     Callin  Link Auth\tIPMI Msg   Channel Priv Limit
            1                    true    false      false      NO ACCESS
            2   ADMIN            false   false      true       ADMINISTRATOR
            3   hwa automation   true    true       true       ADMINISTRATOR
            4   operator         true    false      false      OPERATOR

            """
        let sensors = """
            CPU1 Temp        | 45.000     | degrees C  | ok    | 0.000     | 5.000     | 10.000    | 85.000    | 90.000    | 95.000
            Inlet Temp       | 92.000     | degrees C  | cr    | na        | na        | na        | 60.000    | 70.000    | 80.000
            FAN1             | na         | RPM        | na    | 300.000   | 500.000   | 700.000   | na        | na        | na
            12V              | 12.192     | Volts      | ok    | 10.173    | 10.299    | 10.740    | 12.945    | 13.260    | 13.386
            PS1 Status       | 0x1        | discrete   | 0x0100| na        | na        | na        | na        | na        | na

            """
        let sdr = """
            CPU1 Temp        | 01h | ok  |  3.1 | 45 degrees C
            Inlet Temp       | 0Ah | cr  |  7.1 | 92 degrees C
            DIMM1 Presence   | 02h | ok  | 32.1 | Device Present
            PS1 Status       | C8h | ok  | 10.1 | Presence detected
            FAN1             | 41h | ns  | 29.1 | No Reading

            """
        let sel = """
               1 | 11/25/2026 | 06:00:01 | Temperature Inlet Temp | Upper Critical going high | Asserted
               2 | 11/25/2026 | 06:05:12 | Power Supply PS1 Status | Failure detected | Deasserted
               3 | Pre-Init   | 0000000001 | System Event #0x01 | Timestamp Clock Sync
            ffff | 11/26/2026 | 00:00:00 | Event Logging Disabled SEL | Log area reset/cleared | Asserted

            """
        let fru = """
            FRU Device Description : Builtin FRU Device (ID 0)
             Chassis Type          : Rack Mount Chassis
             Chassis Part Number   : CSE-819UTS-R1K02P-T
             Chassis Serial        : C8160LK28N10123
             Board Mfg Date        : Mon Jan  1 00:00:00 2024
             Board Mfg             : Supermicro
             Board Product         : X12STE-F
             Board Serial          : OM21AS012345
             Board Part Number     : X12STE-F
             Product Manufacturer  : Supermicro
             Product Name          : SYS-510T-MR
             Product Part Number   : SYS-510T-MR
             Product Serial        : S411B2X0001

            """
        let tokens = ["Manufacturer ID : ", "IP Address : ", "802.1q VLAN ID : ", " true ", " false ", " | ", "na"]
        return [
            .text("ipmi-mc-info", "ipmitool mc info → MCInfo.parse", seeds: [mcInfo], tokens: tokens) { text in
                _ = MCInfo.parse(text)?.vendor
            },
            .text(
                "ipmi-lan-print", "ipmitool lan print → LANConfiguration.parse, IPMILanParser", seeds: [lan],
                tokens: tokens
            ) { text in
                _ = LANConfiguration.parse(text)
                var inventory = Inventory()
                IPMILanParser.parse(text, into: &inventory)
            },
            .text("ipmi-user-list", "ipmitool user list → IPMIUser.parse", seeds: [users], tokens: tokens) { text in
                _ = IPMIUser.parse(text)
            },
            .text("ipmi-sensor", "ipmitool sensor → SensorReading.parse (+ breach)", seeds: [sensors], tokens: tokens) {
                text in
                for reading in SensorReading.parse(text) { _ = reading.breach }
            },
            .text("ipmi-sdr", "ipmitool sdr elist → SDREntry.parse", seeds: [sdr], tokens: tokens) { text in
                _ = SDREntry.parse(text)
            },
            .text("ipmi-sel", "ipmitool sel elist → SELEntry.parse", seeds: [sel], tokens: tokens) { text in
                _ = SELEntry.parse(text)
            },
            .text("ipmi-fru", "ipmitool fru print → FRUInfo.parse", seeds: [fru], tokens: tokens) { text in
                let info = FRUInfo.parse(text)
                _ = (info.boardProduct, info.productSerial, info.chassisSerial)
            },
            .text(
                "ipmi-raw-lan-port", "ipmitool raw 0x30 0x70 0x0c 0x00 → IPMITool.parseLANPort",
                seeds: [" 01\n", " 00", "02\n"], tokens: ["ff", "0x", " 1 ", "100", "-1"]
            ) { text in
                _ = try? IPMITool.parseLANPort(text, bmc: "fuzz")
            },
        ]
    }
}

import Inventory
import Remote
import Testing

@testable import IPMI

/// ipmitool output as it prints it (captured from ipmitool 1.8.19 against BMCs and ipmi_sim).
@Suite("ipmitool output")
struct IPMIParserTests {
    @Test("sensor thresholds are read in their real order: lnr, lcr, lnc, unc, ucr, unr")
    func sensors() throws {
        let text = """
            Inlet Temp       | 92.000     | degrees C  | cr    | na        | na        | na        | 60.000    | 70.000    | 80.000
            CPU1 Temp        | 45.000     | degrees C  | ok    | 0.000     | 5.000     | 10.000    | 85.000    | 90.000    | 95.000
            FAN1             | na         | RPM        | na    | 300.000   | 500.000   | 700.000   | na        | na        | na
            """
        let sensors = SensorReading.parse(text)
        #expect(sensors.count == 3)
        let inlet = try #require(sensors.first)
        #expect(inlet.thresholds.unc == 60 && inlet.thresholds.ucr == 70 && inlet.thresholds.unr == 80)
        #expect(inlet.thresholds.lnr == nil)
        #expect(inlet.breach == "upper non-recoverable")
        #expect(sensors[1].breach == nil)
        #expect(sensors[1].thresholds.lnr == 0 && sensors[1].thresholds.lcr == 5 && sensors[1].thresholds.lnc == 10)
        #expect(sensors[2].value == nil && sensors[2].breach == nil)
    }

    @Test("mc info: manufacturer IDs map to vendors")
    func mcInfo() {
        let text =
            "Device ID                 : 32\nFirmware Revision         : 1.73\nIPMI Version              : 2.0\nManufacturer ID           : 10876\nManufacturer Name         : Super Micro Computer Inc.\n"
        let info = MCInfo(fields: KeyValueLines.fields(text))
        #expect(info.manufacturerID == 10876 && info.vendor == "supermicro" && info.firmwareRevision == "1.73")
        #expect(MCInfo(fields: ["Manufacturer ID": "47196"]).vendor == "hpe")
        #expect(MCInfo(fields: ["Manufacturer ID": "674"]).vendor == "dell")
        #expect(MCInfo(fields: ["Manufacturer ID": "4753"]).vendor == nil)
    }

    @Test("user list, sdr elist and sel elist")
    func lists() {
        let users = IPMIUser.parse(
            """
            ID  Name\t     Callin  Link Auth\tIPMI Msg   Channel Priv Limit
            1                    true    false      false      NO ACCESS
            2   admin            true    true       true       ADMINISTRATOR
            3   hwa automation   true    true       true       ADMINISTRATOR
            """)
        #expect(users.map(\.id) == [1, 2, 3])
        #expect(users[0].name.isEmpty && users[0].privilege == "NO ACCESS")
        #expect(users[2].name == "hwa automation" && users[2].ipmiMessaging)
        let sdr = SDREntry.parse(
            "Inlet Temp       | 01h | ok  |  7.1 | 28 degrees C\nDIMM1 Presence   | 02h | ok  | 32.1 | Device Present\n"
        )
        #expect(sdr.map(\.name) == ["Inlet Temp", "DIMM1 Presence"])
        #expect(sdr[0].reading == "28 degrees C")
        let sel = SELEntry.parse(
            "   1 | 11/25/2026 | 06:00:01 | Temperature Inlet Temp | Upper Critical going high | Asserted\n")
        #expect(sel.first?.event == "Upper Critical going high" && sel.first?.direction == "Asserted")
    }

    @Test("fru print: board, product and chassis fields")
    func fru() {
        let text = """
            FRU Device Description : Builtin FRU Device (ID 0)
             Chassis Type          : Rack Mount Chassis
             Chassis Serial        : C8160LK28N10123
             Board Mfg Date        : Mon Jan  1 00:00:00 2024
             Board Mfg             : Supermicro
             Board Product         : X12STE-F
             Board Serial          : OM21AS012345
             Product Name          : SYS-510T-MR
             Product Serial        : S411B2X0001
            """
        let info = FRUInfo.parse(text)
        #expect(info.boardManufacturer == "Supermicro" && info.boardProduct == "X12STE-F")
        #expect(info.productSerial == "S411B2X0001" && info.chassisSerial == "C8160LK28N10123")
    }

    @Test("failures are classified: authentication, unreachable, unsupported, tool missing")
    func classify() {
        #expect(
            IPMITool.classify(
                "Error: Unable to establish IPMI v2 / RMCP+ session\nRAKP 2 message indicates an error : unauthorized name",
                exit: .exited(1)) == .authentication)
        #expect(
            IPMITool.classify("Error: Unable to establish IPMI v2 / RMCP+ session", exit: .exited(1)) == .unreachable)
        #expect(IPMITool.classify("Invalid command", exit: .exited(1)) == .unsupported)
        #expect(IPMITool.classify("sh: ipmitool: command not found", exit: .exited(127)) == .toolMissing)
    }
}

/// Supermicro's OEM LAN interface command: the answer bytes and the vendor gate.
@Suite("Supermicro OEM LAN interface")
struct SupermicroLANPortTests {
    @Test("ipmitool raw answers 00, 01, 02 read as dedicated, shared, failover; anything else is a clear error")
    func parse() throws {
        #expect(try IPMITool.parseLANPort(" 00\n", bmc: "b") == .dedicated)
        #expect(try IPMITool.parseLANPort(" 01\n", bmc: "b") == .shared)
        #expect(try IPMITool.parseLANPort("02", bmc: "b") == .failover)
        for garbage in ["", " 07\n", "Unable to send RAW command", " 0x01"] {
            #expect {
                _ = try IPMITool.parseLANPort(garbage, bmc: "10.0.0.5:623")
            } throws: { error in
                (error as? IPMIError)?.kind == .invalidOutput && "\(error)".contains("10.0.0.5:623")
            }
        }
        #expect(IPMIText.rawBytes(" 01 02\n 0a\n") == [1, 2, 10])
        #expect(IPMITool.SupermicroLANPort.allCases.map(\.description) == ["dedicated", "shared", "failover"])
        #expect(IPMITool.SupermicroLANPort(name: "Shared") == .shared && IPMITool.SupermicroLANPort(name: "x") == nil)
    }

    @Test("only a BMC whose mc info says Supermicro (10876) is sent the OEM bytes")
    func gate() throws {
        let supermicro = MCInfo(fields: ["Manufacturer ID": "10876", "Manufacturer Name": "Super Micro Computer Inc."])
        try IPMITool.requireSupermicro(supermicro, bmc: "b")
        for id in ["674", "11", "47196", "4753"] {
            #expect {
                try IPMITool.requireSupermicro(MCInfo(fields: ["Manufacturer ID": id]), bmc: "10.0.0.5:623")
            } throws: { error in
                (error as? IPMIError)?.kind == .unsupported && "\(error)".contains("manufacturer ID \(id)")
            }
        }
    }
}

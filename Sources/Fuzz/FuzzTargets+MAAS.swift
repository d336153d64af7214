import Foundation
import MAAS

extension FuzzTargets {
    /// MAAS API 2.0 bodies, through the decoders the client uses.
    static func maasTargets() -> [FuzzTarget] {
        let machine = """
            {"system_id": "4y3h7n", "hostname": "s2-c2-small-01", "status": 4, "status_name": "Ready",
             "power_state": "off", "power_type": "redfish", "tag_names": ["hwa", "s2.c2.small"],
             "description": "hwa: s2.c2.small (score 0.97)", "cpu_count": 16, "memory": 65536,
             "hardware_info": {"system_serial": "S411B2X0001", "system_vendor": "Supermicro"},
             "interface_set": [
              {"id": 12, "name": "eno1", "mac_address": "3C:EC:EF:12:34:00", "enabled": true,
               "discovered": [{"subnet": {"cidr": "10.20.0.0/16"}, "ip_address": "10.20.1.5"}],
               "links": [{"id": 7, "mode": "dhcp", "ip_address": "10.20.1.5"}]},
              {"id": 13, "name": "eno2", "mac_address": "3c:ec:ef:12:34:01", "discovered": null, "links": []}
             ],
             "boot_disk": {"size": 960197124096, "model": "SAMSUNG MZ7L3960"}, "resource_uri": "/MAAS/api/2.0/machines/4y3h7n/"}
            """
        let ours = """
            {"system_id": "abc123", "hostname": "node-2", "status": 2, "status_name": "Failed commissioning",
             "tag_names": [], "mac_addresses": ["3c:ec:ef:00:00:01"], "serial": "X1", "addresses": ["10.0.0.2"]}
            """
        let powerParameters = """
            {"power_address": "https://10.10.1.21", "power_user": "ADMIN", "power_pass": "not-a-secret",
             "power_driver": "LAN_2_0", "power_boot_type": "efi", "node_id": 1, "ipmi_port": 623, "verify": false,
             "mac_address": null, "privilege_level": "ADMIN", "cipher_suite_id": "3", "timeout": 12.5}
            """
        let tags = """
            [{"name": "hwa", "definition": "", "comment": "managed by hwautomation", "kernel_opts": "",
              "resource_uri": "/MAAS/api/2.0/tags/hwa/"},
             {"name": "s2.c2.small", "definition": "//node[@class='system']/vendor = 'Supermicro'", "comment": ""}]
            """
        struct Tag: Decodable { var name: String }
        struct PowerState: Decodable { var state: String }
        let tokens = [
            "\"status\": ", "\"system_id\": ", "\"interface_set\": [", "\"discovered\": [", "\"ip_address\": ",
            "\"mac_addresses\": [", "\"hardware_info\": {", "\"power_pass\": ", "\"name\": ",
        ]
        return [
            FuzzTarget(
                name: "maas-machines", summary: "GET machines/ → [MAASMachine]", format: .json,
                seeds: ["[\(machine), \(ours)]", "[]", "[\(ours)]"].map { Array($0.utf8) }, tokens: tokens
            ) { bytes in
                let machines = try? MAASClient.decode(
                    [MAASMachine].self, from: Data(bytes), method: "GET", path: "machines/")
                _ = machines.flatMap { try? JSONEncoder().encode($0) }
            },
            FuzzTarget(
                name: "maas-machine", summary: "GET machines/<id>/ (and operations) → MAASMachine", format: .json,
                seeds: [machine, ours].map { Array($0.utf8) }, tokens: tokens
            ) { bytes in
                let machine = try? MAASClient.decode(
                    MAASMachine.self, from: Data(bytes), method: "GET", path: "machines/x/")
                _ = machine.flatMap { try? JSONEncoder().encode($0) }
            },
            FuzzTarget(
                name: "maas-power-parameters", summary: "op=power_parameters → [String: String]", format: .json,
                seeds: [Array(powerParameters.utf8)], tokens: tokens
            ) { bytes in
                _ = try? MAASClient.decodePowerParameters(
                    Data(bytes), method: "GET", path: "machines/x/?op=power_parameters")
            },
            FuzzTarget(
                name: "maas-tags", summary: "GET tags/ → tag names", format: .json, seeds: [Array(tags.utf8)],
                tokens: tokens
            ) { bytes in
                _ = try? MAASClient.decode([Tag].self, from: Data(bytes), method: "GET", path: "tags/").map(\.name)
            },
            FuzzTarget(
                name: "maas-power-state", summary: "op=query_power_state → state", format: .json,
                seeds: [Array("{\"state\": \"on\"}".utf8)], tokens: tokens
            ) { bytes in
                _ = try? MAASClient.decode(
                    PowerState.self, from: Data(bytes), method: "GET", path: "machines/x/?op=query_power_state")
            },
        ]
    }
}

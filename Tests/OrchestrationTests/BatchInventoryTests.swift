import Orchestration
import Testing

@Suite("Batch inventories")
struct BatchInventoryTests {
    @Test("YAML: a servers list; names default to the BMC; keys become workflow input")
    func yaml() throws {
        let batch = try BatchInventory.yaml(
            """
            servers:
              - bmc: https://10.0.0.5
                credential: rack1
                ssh: root@10.0.1.5
                type: s2.c2.small
              - {name: db-1, bmc: "10.0.0.6:8443", credential: rack1, ipmi: 10.0.0.6}
            """, file: "rack.yaml")
        #expect(batch.entries.map(\.name) == ["10.0.0.5", "db-1"])
        #expect(batch.entries[0].input.sshHost == "root@10.0.1.5")
        #expect(batch.entries[0].input.deviceType == "s2.c2.small")
        #expect(batch.entries[1].input.ipmiHost == "10.0.0.6")
        #expect(batch.entries[1].origin == "rack.yaml:6")
    }

    @Test("CSV: header row, comments and blank lines skipped, quoted cells")
    func csv() throws {
        let batch = try BatchInventory.csv(
            "# rack 1\nbmc,credential,name\n\n\"https://10.0.0.5\",rack1,web-1\nhttps://10.0.0.6,rack1,\n",
            file: "rack.csv")
        #expect(batch.entries.map(\.name) == ["web-1", "10.0.0.6"])
        #expect(batch.entries[0].input.values == ["bmc": "https://10.0.0.5", "credential": "rack1"])
    }

    @Test(
        "mistakes name the file and line",
        arguments: [
            ("bmc,secret\n10.0.0.5,x\n", "rack.csv:1: unknown column `secret`"),
            ("bmc,credential\n10.0.0.5,a,b\n", "rack.csv:2: 3 cells but the header names 2 columns"),
            ("bmc,credential\n,a\n", "rack.csv:2: a server needs `bmc`"),
            ("bmc,name\n10.0.0.5,x\n10.0.0.6,x\n", "rack.csv:3: server x is listed twice (first at rack.csv:2)"),
            ("# nothing\n", "rack.csv: no servers listed"),
        ])
    func csvErrors(text: String, message: String) {
        #expect {
            try BatchInventory.csv(text, file: "rack.csv")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test("YAML mistakes name the line: unknown key, nested value, not a list")
    func yamlErrors() {
        #expect {
            try BatchInventory.yaml("servers:\n  - bmc: 10.0.0.5\n    pasword: x\n", file: "r.yaml")
        } throws: { "\($0)".hasPrefix("r.yaml:3: unknown key `pasword`") }
        #expect {
            try BatchInventory.yaml("servers:\n  - bmc: [a, b]\n", file: "r.yaml")
        } throws: { "\($0)".hasPrefix("r.yaml:2: `bmc` must be a single value") }
        #expect {
            try BatchInventory.yaml("hosts: []\n", file: "r.yaml")
        } throws: { "\($0)".hasPrefix("r.yaml:1: expected a `servers:` list") }
    }
}

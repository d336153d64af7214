import Logging
import Orchestration
import Store
import Testing
import WorkflowEngine

@Suite("Commissioning input")
struct CommissioningInputTests {
    @Test("stored keys round-trip; flags are stored as true only when set; empty values are unset")
    func roundTrip() throws {
        var input = CommissioningInput()
        input.bmc = "https://10.0.0.5"
        input.sshPort = 2222
        input.force = true
        input.maasSystemID = "abc123"
        #expect(
            input.values == [
                "bmc": "https://10.0.0.5", "ssh_port": "2222", "force": "true", "maas_system_id": "abc123",
            ])
        #expect(try CommissioningInput(values: input.values) == input)
        let sparse = try CommissioningInput(values: ["bmc": "", "dry_run": "false", "credential": "lab"])
        #expect(sparse.bmc == nil)
        #expect(sparse.dryRun == false)
        #expect(sparse.values == ["credential": "lab"])
    }

    @Test("a value its key cannot take is refused, naming the key")
    func refused() {
        #expect(throws: CommissioningInputError(key: .force, value: "perhaps", expected: "true or false")) {
            try CommissioningInput(values: ["force": "perhaps"])
        }
        #expect(throws: CommissioningInputError.self) { try CommissioningInput(values: ["ssh_port": "22x"]) }
        let error = CommissioningInputError(key: .ipmiPort, value: "70000", expected: "a port number (1-65535)")
        #expect(error.description == "input `ipmi_port` is `70000`; it takes a port number (1-65535)")
    }

    @Test("filling: what is set wins, what is unset is taken from the other")
    func filling() {
        var mine = CommissioningInput()
        mine.deviceType = "s2.c2.small"
        var common = CommissioningInput()
        common.deviceType = "a1.c5.large"
        common.rack = "r1"
        common.dryRun = true
        let merged = mine.filling(from: common)
        #expect(merged.deviceType == "s2.c2.small")
        #expect(merged.rack == "r1")
        #expect(merged.dryRun)
    }

    @Test("the engine refuses to create a run whose input its definition's type cannot read")
    func engineRefuses() async throws {
        let definition = WorkflowDefinition(
            name: "typed", version: 1, summary: "", steps: [], inputType: CommissioningInput.self)
        let engine = Engine(
            repository: InMemoryStore(box: .ephemeral()), definitions: [definition], logger: Logger(label: "test"))
        await #expect(throws: CommissioningInputError.self) {
            try await engine.create(definition: "typed", serverID: "S1", input: ["ipmi_port": "none"])
        }
    }
}

import Foundation

extension MAASClient {
    /// Options of `commission` (MAAS's names).
    public struct CommissionOptions: Sendable, Hashable {
        /// Keep SSH open into the ephemeral environment (the MAAS-first workflow discovers over it).
        public var enableSSH = false
        /// Do not touch the network configuration.
        public var skipNetworking = false
        /// Do not touch the storage configuration.
        public var skipStorage = false
        /// Commissioning scripts to run.
        public var commissioningScripts: [String] = []
        /// Testing scripts to run (`none` skips testing).
        public var testingScripts: [String] = []

        /// Defaults.
        public init() {}

        var form: [(String, String)] {
            var form: [(String, String)] = [
                ("enable_ssh", enableSSH ? "1" : "0"), ("skip_networking", skipNetworking ? "1" : "0"),
                ("skip_storage", skipStorage ? "1" : "0"),
            ]
            if !commissioningScripts.isEmpty {
                form.append(("commissioning_scripts", commissioningScripts.joined(separator: ",")))
            }
            if !testingScripts.isEmpty { form.append(("testing_scripts", testingScripts.joined(separator: ","))) }
            return form
        }
    }

    /// Machines, filtered as MAAS filters them (`hostname`, `mac_address`, `status`, ...: repeated keys OR).
    public func machines(filters: [(String, String)] = []) async throws(MAASError) -> [MAASMachine] {
        try decode([MAASMachine].self, try await get("machines/", query: filters), method: "GET", path: "machines/")
    }

    /// One machine.
    public func machine(_ id: String) async throws(MAASError) -> MAASMachine {
        try decode(MAASMachine.self, try await get("machines/\(id)/"), method: "GET", path: "machines/\(id)/")
    }

    /// Runs a machine operation (`commission`, `abort`, `release`, `deploy`, `power_on`, `power_off`,
    /// `mark_broken`, `mark_fixed`) and returns the machine as MAAS then shows it.
    public func operate(_ id: String, _ op: String, form: [(String, String)] = []) async throws(MAASError)
        -> MAASMachine
    {
        try decode(
            MAASMachine.self, try await post("machines/\(id)/", op: op, form: form), method: "POST",
            path: "machines/\(id)/?op=\(op)")
    }

    /// Allocates a Ready machine matching `constraints` (MAAS's names: `name`, `system_id`, `tags`, `zone`,
    /// `cpu_count`, `mem`, ...) to the key's user and returns it; none matching is MAAS's 409.
    public func allocate(_ constraints: [(String, String)] = []) async throws(MAASError) -> MAASMachine {
        try decode(
            MAASMachine.self, try await post("machines/", op: "allocate", form: constraints), method: "POST",
            path: "machines/?op=allocate")
    }

    /// Updates a machine's fields (`description`, `hostname`, ...) and returns it as MAAS then shows it.
    public func update(_ id: String, _ fields: [(String, String)]) async throws(MAASError) -> MAASMachine {
        try decode(
            MAASMachine.self, try await put("machines/\(id)/", form: fields), method: "PUT", path: "machines/\(id)/")
    }

    /// Starts commissioning.
    public func commission(_ id: String, options: CommissionOptions = CommissionOptions()) async throws(MAASError)
        -> MAASMachine
    {
        try await operate(id, "commission", form: options.form)
    }

    /// The machine's power parameters (`power_address`, `power_user`, `power_pass`, ...) as MAAS keeps them.
    /// `power_pass` is a secret: callers keep it out of logs, outputs and workflow input.
    public func powerParameters(_ id: String) async throws(MAASError) -> [String: String] {
        try Self.decodePowerParameters(
            try await get("machines/\(id)/", query: [("op", "power_parameters")]), method: "GET",
            path: "machines/\(id)/?op=power_parameters")
    }

    /// `on`, `off` or `unknown`, as the BMC says now.
    public func queryPowerState(_ id: String) async throws(MAASError) -> String {
        struct State: Decodable { var state: String }
        return try decode(
            State.self, try await get("machines/\(id)/", query: [("op", "query_power_state")]), method: "GET",
            path: "machines/\(id)/?op=query_power_state"
        ).state
    }

    /// Polls `id` (1 s, growing to `maxPoll`) until its status is one of `until` (returned), one of `failOn`
    /// (a `.failedState` error), or `timeout` passes; `onChange` hears every status it passes through.
    public func wait(
        for id: String, until: Set<Int>, failOn: Set<Int> = [], timeout: Duration, maxPoll: Duration = .seconds(10),
        onChange: @Sendable (MAASMachine) async -> Void = { _ in }
    ) async throws -> MAASMachine {
        let deadline = ContinuousClock.now + timeout
        var poll = Duration.milliseconds(250)
        var last: Int?
        while true {
            let machine = try await machine(id)
            if machine.status != last {
                last = machine.status
                await onChange(machine)
            }
            if until.contains(machine.status) { return machine }
            if failOn.contains(machine.status) {
                throw MAASError(
                    kind: .failedState, method: "GET", path: "machines/\(id)/", status: 200,
                    message: "\(machine.hostname) is \(machine.statusName)")
            }
            guard ContinuousClock.now < deadline else {
                throw MAASError(
                    kind: .timeout, method: "GET", path: "machines/\(id)/", status: 200,
                    message: "\(machine.hostname) still \(machine.statusName) after \(timeout)")
            }
            try await Task.sleep(for: poll)
            poll = min(poll * 2, maxPoll)
        }
    }

    // MARK: Tags

    /// Tag names.
    public func tags() async throws(MAASError) -> [String] {
        struct Tag: Decodable { var name: String }
        return try decode([Tag].self, try await get("tags/"), method: "GET", path: "tags/").map(\.name)
    }

    /// Creates a tag unless it exists (manual tags have no definition).
    public func ensureTag(_ name: String, comment: String = "", definition: String = "", kernelOptions: String = "")
        async throws(MAASError)
    {
        guard try await !tags().contains(name) else { return }
        var form = [("name", name), ("comment", comment)]
        if !definition.isEmpty { form.append(("definition", definition)) }
        if !kernelOptions.isEmpty { form.append(("kernel_opts", kernelOptions)) }
        do {
            _ = try await post("tags/", op: nil, form: form)
        } catch  where error.status == 400 {
            // Another run created it between the listing and the POST: that is what was wanted.
            guard try await tags().contains(name) else { throw error }
        }
    }

    /// Adds the tag to `add` and removes it from `remove` (system ids).
    public func updateTagNodes(_ name: String, add: [String] = [], remove: [String] = []) async throws(MAASError) {
        let form = add.map { ("add", $0) } + remove.map { ("remove", $0) }
        _ = try await post("tags/\(MAASEndpoint.percentEncode(name))/", op: "update_nodes", form: form)
    }
}

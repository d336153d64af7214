import WorkflowEngine

/// What a commissioning, firmware or MAAS run is started with: the one place its stored keys are named. The engine
/// decodes it once per run (and when the run is created, refusing bad values with the key named); steps read it with
/// `context.input(CommissioningInput.self)`. Stored as a map of strings (flags as `true`), as earlier versions did.
public struct CommissioningInput: WorkflowInput, Hashable {
    /// The BMC: its Redfish URL or address.
    public var bmc: String?
    /// The stored credential for the BMC (and SSH, unless the host has its own).
    public var credential: String?
    /// How the BMC's certificate is checked (`verify`, a CA file, or `insecure`).
    public var tls: String?
    /// The ComputerSystem id, when the BMC has several.
    public var system: String?
    /// The host for discovery and vendor tools: `user@host` or `host`.
    public var sshHost: String?
    /// The host's SSH port (22).
    public var sshPort: Int?
    /// The private key file for SSH.
    public var sshKey: String?
    /// The user for a host MAAS found (`ubuntu`).
    public var sshUser: String?
    /// The known-hosts file SSH checks host keys against.
    public var knownHosts: String?
    /// The BMC's IPMI address, when `configure-bmc` is to set its network over IPMI.
    public var ipmiHost: String?
    /// The IPMI port (623).
    public var ipmiPort: Int?
    /// The stored credential for IPMI (else `credential`).
    public var ipmiCredential: String?
    /// The device type an operator gave (or confirmed).
    public var deviceType: String?
    /// Use `deviceType` even when classification disagrees.
    public var force = false
    /// Plan only: steps that change the server are skipped.
    public var dryRun = false
    /// The rack (a MAAS tag and zone hint).
    public var rack: String?
    /// The zone whose workers take the run.
    public var zone: String?
    /// The address pool the BMC's static address comes from.
    public var bmcPool: String?
    /// The BMC network's netmask (else the one it has).
    public var bmcNetmask: String?
    /// The BMC network's gateway (else the one it has).
    public var bmcGateway: String?
    /// The vendor tool's executable, overriding the catalog's.
    public var vendorToolPath: String?
    /// The firmware policy to plan by.
    public var firmwarePolicy: String?
    /// Flash what the policy says needs approval.
    public var firmwareApprove = false
    /// The MAAS API to commission in.
    public var maasURL: String?
    /// The stored credential holding the MAAS API key.
    public var maasCredential: String?
    /// How the MAAS certificate is checked.
    public var maasTLS: String?
    /// The MAAS machine (maas-provisioning).
    public var maasSystemID: String?
    /// Release and recommission a machine MAAS has in another state.
    public var maasForce = false
    /// Commission again a machine MAAS already has as Ready.
    public var maasRecommission = false

    /// The stored keys.
    public enum Key: String, Sendable, CaseIterable {
        /// `bmc`.
        case bmc
        /// `credential`.
        case credential
        /// `tls`.
        case tls
        /// `system`.
        case system
        /// `sshHost`.
        case sshHost = "ssh_host"
        /// `sshPort`.
        case sshPort = "ssh_port"
        /// `sshKey`.
        case sshKey = "ssh_key"
        /// `sshUser`.
        case sshUser = "ssh_user"
        /// `knownHosts`.
        case knownHosts = "known_hosts"
        /// `ipmiHost`.
        case ipmiHost = "ipmi_host"
        /// `ipmiPort`.
        case ipmiPort = "ipmi_port"
        /// `ipmiCredential`.
        case ipmiCredential = "ipmi_credential"
        /// `deviceType`.
        case deviceType = "device_type"
        /// `force`.
        case force
        /// `dryRun`.
        case dryRun = "dry_run"
        /// `rack`.
        case rack
        /// `zone`.
        case zone
        /// `bmcPool`.
        case bmcPool = "bmc_pool"
        /// `bmcNetmask`.
        case bmcNetmask = "bmc_netmask"
        /// `bmcGateway`.
        case bmcGateway = "bmc_gateway"
        /// `vendorToolPath`.
        case vendorToolPath = "vendor_tool_path"
        /// `firmwarePolicy`.
        case firmwarePolicy = "firmware_policy"
        /// `firmwareApprove`.
        case firmwareApprove = "firmware_approve"
        /// `maasURL`.
        case maasURL = "maas_url"
        /// `maasCredential`.
        case maasCredential = "maas_credential"
        /// `maasTLS`.
        case maasTLS = "maas_tls"
        /// `maasSystemID`.
        case maasSystemID = "maas_system_id"
        /// `maasForce`.
        case maasForce = "maas_force"
        /// `maasRecommission`.
        case maasRecommission = "maas_recommission"
    }

    /// An input with nothing set.
    public init() {}

    /// The stored map, with every value checked (a flag is `true` or `false`, a port a number).
    public init(values: [String: String]) throws(CommissioningInputError) {
        func flag(_ key: Key) throws(CommissioningInputError) -> Bool {
            switch values[key.rawValue]?.lowercased() {
            case nil, "", "false", "0", "no": return false
            case "true", "1", "yes": return true
            case let other?: throw CommissioningInputError(key: key, value: other, expected: "true or false")
            }
        }
        func number(_ key: Key) throws(CommissioningInputError) -> Int? {
            guard let text = values[key.rawValue], !text.isEmpty else { return nil }
            guard let value = Int(text), (1...65535).contains(value) else {
                throw CommissioningInputError(key: key, value: text, expected: "a port number (1-65535)")
            }
            return value
        }
        bmc = values[Key.bmc.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        credential = values[Key.credential.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        tls = values[Key.tls.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        system = values[Key.system.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        sshHost = values[Key.sshHost.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        sshPort = try number(.sshPort)
        sshKey = values[Key.sshKey.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        sshUser = values[Key.sshUser.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        knownHosts = values[Key.knownHosts.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        ipmiHost = values[Key.ipmiHost.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        ipmiPort = try number(.ipmiPort)
        ipmiCredential = values[Key.ipmiCredential.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        deviceType = values[Key.deviceType.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        force = try flag(.force)
        dryRun = try flag(.dryRun)
        rack = values[Key.rack.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        zone = values[Key.zone.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        bmcPool = values[Key.bmcPool.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        bmcNetmask = values[Key.bmcNetmask.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        bmcGateway = values[Key.bmcGateway.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        vendorToolPath = values[Key.vendorToolPath.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        firmwarePolicy = values[Key.firmwarePolicy.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        firmwareApprove = try flag(.firmwareApprove)
        maasURL = values[Key.maasURL.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        maasCredential = values[Key.maasCredential.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        maasTLS = values[Key.maasTLS.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        maasSystemID = values[Key.maasSystemID.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        maasForce = try flag(.maasForce)
        maasRecommission = try flag(.maasRecommission)
    }

    /// The map to store: only what is set.
    public var values: [String: String] {
        var values: [String: String] = [:]
        if let bmc { values[Key.bmc.rawValue] = bmc }
        if let credential { values[Key.credential.rawValue] = credential }
        if let tls { values[Key.tls.rawValue] = tls }
        if let system { values[Key.system.rawValue] = system }
        if let sshHost { values[Key.sshHost.rawValue] = sshHost }
        if let sshPort { values[Key.sshPort.rawValue] = String(sshPort) }
        if let sshKey { values[Key.sshKey.rawValue] = sshKey }
        if let sshUser { values[Key.sshUser.rawValue] = sshUser }
        if let knownHosts { values[Key.knownHosts.rawValue] = knownHosts }
        if let ipmiHost { values[Key.ipmiHost.rawValue] = ipmiHost }
        if let ipmiPort { values[Key.ipmiPort.rawValue] = String(ipmiPort) }
        if let ipmiCredential { values[Key.ipmiCredential.rawValue] = ipmiCredential }
        if let deviceType { values[Key.deviceType.rawValue] = deviceType }
        if force { values[Key.force.rawValue] = "true" }
        if dryRun { values[Key.dryRun.rawValue] = "true" }
        if let rack { values[Key.rack.rawValue] = rack }
        if let zone { values[Key.zone.rawValue] = zone }
        if let bmcPool { values[Key.bmcPool.rawValue] = bmcPool }
        if let bmcNetmask { values[Key.bmcNetmask.rawValue] = bmcNetmask }
        if let bmcGateway { values[Key.bmcGateway.rawValue] = bmcGateway }
        if let vendorToolPath { values[Key.vendorToolPath.rawValue] = vendorToolPath }
        if let firmwarePolicy { values[Key.firmwarePolicy.rawValue] = firmwarePolicy }
        if firmwareApprove { values[Key.firmwareApprove.rawValue] = "true" }
        if let maasURL { values[Key.maasURL.rawValue] = maasURL }
        if let maasCredential { values[Key.maasCredential.rawValue] = maasCredential }
        if let maasTLS { values[Key.maasTLS.rawValue] = maasTLS }
        if let maasSystemID { values[Key.maasSystemID.rawValue] = maasSystemID }
        if maasForce { values[Key.maasForce.rawValue] = "true" }
        if maasRecommission { values[Key.maasRecommission.rawValue] = "true" }
        return values
    }

    /// This input with what it leaves unset taken from `other` (what is set here wins).
    public func filling(from other: CommissioningInput) -> CommissioningInput {
        // Both were checked when made; every merged value is one of theirs, so reading it back cannot fail.
        (try? CommissioningInput(values: values.merging(other.values) { mine, _ in mine })) ?? self
    }
}

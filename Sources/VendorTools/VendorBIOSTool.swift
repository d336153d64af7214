/// A vendor's BIOS configuration tool (Supermicro SUM, HPE iLOrest, Dell racadm) driven for one BMC through the
/// `ProcessRunner`: it reads the BIOS settings and stages changes that take effect at the host's next reset.
///
/// Settings are named the tool's way (the `sum`, `ilorest` and `racadm` keys of `bios-attributes.yaml`). The BMC
/// password never goes on a tool's command line; each implementation says how it passes it instead.
public protocol VendorBIOSTool: Sendable {
    /// Which tool.
    var kind: VendorToolKind { get }
    /// The BMC it works on (or, in band, the host it runs on).
    var host: String { get }
    /// Whether it runs on the host itself (SUM in band, over SSH) rather than against the BMC over the network: it
    /// then needs no out-of-band licence and no BMC password.
    var inBand: Bool { get }

    /// The current BIOS settings, keyed the tool's way. `keys` are the settings wanted; a tool that reads everything
    /// at once may return more, one that reads per group or per key returns at least those it found.
    func currentSettings(keys: [String]) async throws(VendorToolError) -> [String: String]

    /// Stages `changes` so that they apply at the host's next reset (the caller resets once, for everything).
    func apply(_ changes: [VendorBIOSChange]) async throws(VendorToolError)

    /// The values staged for the next reset, keyed the tool's way: only the settings among `keys` the tool shows a
    /// pending value for (empty when it shows none).
    func pendingSettings(keys: [String]) async throws(VendorToolError) -> [String: String]

    /// Why the tool cannot be run here (its program is not installed), checked before an apply changes anything;
    /// nil when it can.
    func unavailable() -> VendorToolError?
}

extension VendorBIOSTool {
    /// Out of band, unless a tool says otherwise.
    public var inBand: Bool { false }

    /// A tool that cannot tell is taken as runnable: a failed run says why.
    public func unavailable() -> VendorToolError? { nil }

    /// A tool that shows no pending values (SUM documents no read of them: what `GetCurrentBiosCfg` shows is all
    /// there is) reports none.
    public func pendingSettings(keys: [String]) async throws(VendorToolError) -> [String: String] { [:] }
}

/// One setting for a vendor tool to change.
public struct VendorBIOSChange: Sendable, Hashable, Codable {
    /// The generic setting name (`IntelHyperThreadingTech`), for reports.
    public var setting: String
    /// The tool's key for it (`Advanced/Intel Hyper-Threading Technology`, `ProcHyperthreading`,
    /// `BIOS.ProcSettings.LogicalProc`).
    public var key: String
    /// The value to set, as text.
    public var value: String

    /// Creates a change.
    public init(setting: String, key: String, value: String) {
        self.setting = setting
        self.key = key
        self.value = value
    }
}

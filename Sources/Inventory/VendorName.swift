/// Maps the manufacturer strings firmware writes to the catalog's vendor identifiers: the one place vendor aliases
/// live.
public enum VendorName {
    /// Whole-name aliases (lower case, single spaces, no trailing punctuation) → vendor id.
    ///
    /// - `LNVO`: Lenovo XCC (ThinkSystem SR630/SR650, XCC 1 and 2) writes the system manufacturer as its PCI-SIG
    ///   vendor abbreviation.
    /// - `HP`: ProLiant Gen8/Gen9 (iLO 4) firmware predates the HPE name.
    /// - `SMC`: some Supermicro BMCs (X9/X10 generation) write the maker's stock ticker.
    static let aliases: [String: String] = [
        "lnvo": "lenovo", "ibm lenovo": "lenovo", "hp": "hpe", "hpe": "hpe", "smc": "supermicro",
        "giga-byte": "gigabyte", "giga-byte technology co., ltd": "gigabyte", "qct": "quanta",
    ]

    /// Name prefixes → vendor id: `Dell Inc.`, `DELL`, `Dell EMC` → `dell`; `Hewlett Packard Enterprise`,
    /// `Hewlett-Packard` → `hpe`; `Supermicro`, `Super Micro Computer, Inc.` → `supermicro`; `Lenovo` → `lenovo`.
    static let prefixes: [(prefix: String, vendor: String)] = [
        ("supermicro", "supermicro"), ("super micro", "supermicro"), ("hewlett", "hpe"), ("dell", "dell"),
        ("lenovo", "lenovo"), ("giga-byte", "gigabyte"), ("gigabyte", "gigabyte"), ("quanta", "quanta"),
    ]

    /// The vendor id for a manufacturer string (`LNVO` → `lenovo`, `Dell Inc.` → `dell`, `HPE` → `hpe`,
    /// `Super Micro Computer, Inc.` → `supermicro`); any other maker's first word, lower-cased. Nil for nothing or a
    /// placeholder (`To be filled by O.E.M.`).
    public static func normalise(_ manufacturer: String?) -> String? {
        guard let manufacturer = Normalisation.meaningful(manufacturer) else { return nil }
        var lowered = manufacturer.lowercased().split(separator: " ").joined(separator: " ")
        while let last = lowered.last, last == "." || last == "," { lowered.removeLast() }
        guard !lowered.isEmpty else { return nil }
        if let vendor = aliases[lowered] { return vendor }
        if let match = prefixes.first(where: { lowered.hasPrefix($0.prefix) }) { return match.vendor }
        return lowered.split(separator: " ").first.map { String($0.prefix { $0 != "," }) }
    }
}

/// Maps the manufacturer strings firmware writes to the catalog's vendor identifiers.
public enum VendorName {
    /// `Supermicro`, `Super Micro Computer, Inc.` → `supermicro`; `HPE`, `Hewlett Packard Enterprise`, `HP` → `hpe`;
    /// `Dell Inc.` → `dell`; anything else lower-cased and trimmed.
    public static func normalise(_ manufacturer: String?) -> String? {
        guard let manufacturer else { return nil }
        let lowered = manufacturer.lowercased().split(separator: " ").joined(separator: " ")
        guard !lowered.isEmpty else { return nil }
        // Firmware writes the maker first: "Supermicro", "Super Micro Computer, Inc.", "Hewlett Packard Enterprise".
        if lowered.hasPrefix("supermicro") || lowered.hasPrefix("super micro") || lowered == "smc" {
            return "supermicro"
        }
        if lowered.hasPrefix("hewlett") || lowered == "hpe" || lowered == "hp" { return "hpe" }
        if lowered.hasPrefix("dell") { return "dell" }
        if lowered.hasPrefix("lenovo") { return "lenovo" }
        return lowered.split(separator: " ").first.map(String.init)
    }
}

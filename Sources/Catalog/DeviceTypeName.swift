import Foundation

/// Device type names: `s2.c2.large`. Legacy files also write `s2_c2_large` and keys with stray spaces.
public enum DeviceTypeName {
    /// The canonical form of a name: surrounding white space removed, underscores read as dots.
    public static func canonical(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "_", with: ".")
    }

    /// True when `raw` had white space around it (legacy keys such as `'d3.m4.xlarge '`).
    public static func hasStrayWhitespace(_ raw: String) -> Bool {
        raw != raw.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

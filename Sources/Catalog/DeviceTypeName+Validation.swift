import Foundation

extension DeviceTypeName {
    /// The longest name accepted for a new type.
    public static let maximumLength = 64

    /// Why `name` cannot name a new device type, or nil when it can. Names follow the catalog's pattern: two or more
    /// parts joined by dots (`s2.c2.small`, `flex-6448Y.g.c.medium`, `sf.1`), each part letters and digits with
    /// inner hyphens, at most `maximumLength` characters in all. Underscores are refused: legacy files read them as
    /// dots, so `s2_c2_small` would name another type than the one written.
    public static func problem(with name: String) -> String? {
        let example = "e.g. `s2.c2.small`"
        if name.isEmpty { return "the name is empty; give one like \(example)." }
        if name.count > maximumLength {
            return "`\(name)` is \(name.count) characters long; keep it to \(maximumLength)."
        }
        if name.contains("_") {
            return
                "`\(name)` has an underscore; write dots between parts "
                + "(`\(name.replacingOccurrences(of: "_", with: "."))`)."
        }
        if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-")) }) {
            return "`\(name)` has `\(bad)`; use letters, digits, hyphens and dots only (\(example))."
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count < 2 { return "`\(name)` is one part; join two or more with dots (\(example))." }
        if parts.contains(where: \.isEmpty) {
            return "`\(name)` has an empty part (a leading, trailing or double dot); \(example)."
        }
        if let part = parts.first(where: { $0.hasPrefix("-") || $0.hasSuffix("-") }) {
            return "`\(name)`: the part `\(part)` starts or ends with a hyphen; hyphens go between letters or digits."
        }
        return nil
    }
}

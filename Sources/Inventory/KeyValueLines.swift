import Foundation

/// `Key : Value` lines as `ipmitool` and plain `lscpu` print them.
public enum KeyValueLines {
    /// Each line's key and value, both trimmed; lines without a colon or with an empty key are skipped, and the
    /// first line with a key wins.
    public static func fields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, fields[key] == nil else { continue }
            fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }
}

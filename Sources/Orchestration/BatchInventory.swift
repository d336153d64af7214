import Foundation
import Yams

/// A list of servers to commission together, from YAML (`servers:` list, or a bare list) or CSV (a header row
/// naming the columns). Every problem names the file and line.
public struct BatchInventory: Sendable, Hashable {
    /// One server.
    public struct Entry: Sendable, Hashable {
        /// Id in the store (default: the BMC's host).
        public var name: String
        /// The workflow's input.
        public var input: CommissioningInput
        /// Where it was written (`file:line`).
        public var origin: String

        /// An entry.
        public init(name: String, input: CommissioningInput, origin: String) {
            self.name = name
            self.input = input
            self.origin = origin
        }
    }

    /// The servers, in file order.
    public var entries: [Entry]

    /// Columns (CSV) and keys (YAML) understood besides `name`, and the input each becomes: the input's own key,
    /// and a few short spellings.
    public static let fields: [String: CommissioningInput.Key] = {
        let keys: [CommissioningInput.Key] = [
            .bmc, .credential, .tls, .sshHost, .sshPort, .sshKey, .ipmiHost, .ipmiPort, .ipmiCredential, .deviceType,
            .bmcPool, .system, .knownHosts, .rack, .zone,
        ]
        var fields = Dictionary(uniqueKeysWithValues: keys.map { ($0.rawValue, $0) })
        fields["ssh"] = .sshHost
        fields["ipmi"] = .ipmiHost
        fields["type"] = .deviceType
        return fields
    }()

    /// The column naming the server.
    static let nameField = "name"

    /// Reads `path` (`.csv` as CSV, anything else as YAML).
    public static func load(_ path: String) throws(BatchInventoryError) -> BatchInventory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BatchInventoryError(origin: path, message: "cannot read the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        return path.lowercased().hasSuffix(".csv") ? try csv(text, file: path) : try yaml(text, file: path)
    }

    /// Parses CSV: a header row, then one server per row; `#` lines and blank lines are skipped.
    public static func csv(_ text: String, file: String) throws(BatchInventoryError) -> BatchInventory {
        var header: [String]?
        var entries: [Entry] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let origin = "\(file):\(offset + 1)"
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard let columns = header else {
                for cell in cells where fields[cell.lowercased()] == nil && cell.lowercased() != nameField {
                    throw BatchInventoryError(
                        origin: origin,
                        message:
                            "unknown column `\(cell)` (known: \((fields.keys + [nameField]).sorted().joined(separator: ", ")))"
                    )
                }
                header = cells.map { $0.lowercased() }
                continue
            }
            guard cells.count <= columns.count else {
                throw BatchInventoryError(
                    origin: origin, message: "\(cells.count) cells but the header names \(columns.count) columns")
            }
            var values: [String: String] = [:]
            for (column, cell) in zip(columns, cells) where !cell.isEmpty { values[column] = cell }
            entries.append(try entry(values, origin: origin))
        }
        return try checked(BatchInventory(entries: entries), file: file)
    }

    /// Parses YAML: `servers:` holding a list of mappings (or the list alone).
    public static func yaml(_ text: String, file: String) throws(BatchInventoryError) -> BatchInventory {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw BatchInventoryError(origin: file, message: "not YAML: \(error)")
        }
        guard var list = root else { throw BatchInventoryError(origin: file, message: "the file is empty") }
        if let mapping = list.mapping {
            guard let servers = mapping["servers"] else {
                throw BatchInventoryError(
                    origin: "\(file):\(list.mark?.line ?? 1)", message: "expected a `servers:` list")
            }
            list = servers
        }
        guard let items = list.sequence else {
            throw BatchInventoryError(origin: "\(file):\(list.mark?.line ?? 1)", message: "expected a list of servers")
        }
        var entries: [Entry] = []
        for item in items {
            let origin = "\(file):\(item.mark?.line ?? 0)"
            guard let mapping = item.mapping else {
                throw BatchInventoryError(origin: origin, message: "expected a mapping such as `bmc: https://10.0.0.5`")
            }
            var values: [String: String] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard fields[name] != nil || name == nameField else {
                    throw BatchInventoryError(
                        origin: "\(file):\(key.mark?.line ?? 0)",
                        message:
                            "unknown key `\(name)` (known: \((fields.keys + [nameField]).sorted().joined(separator: ", ")))"
                    )
                }
                guard let scalar = value.scalar?.string else {
                    throw BatchInventoryError(
                        origin: "\(file):\(value.mark?.line ?? 0)", message: "`\(name)` must be a single value")
                }
                values[name] = scalar
            }
            entries.append(try entry(values, origin: origin))
        }
        return try checked(BatchInventory(entries: entries), file: file)
    }

    private static func entry(_ values: [String: String], origin: String) throws(BatchInventoryError) -> Entry {
        guard let bmc = values[CommissioningInput.Key.bmc.rawValue], !bmc.isEmpty else {
            throw BatchInventoryError(origin: origin, message: "a server needs `bmc` (its Redfish URL)")
        }
        guard let url = URL(string: bmc.contains("://") ? bmc : "https://" + bmc), let host = url.host else {
            throw BatchInventoryError(origin: origin, message: "`bmc` \(bmc) is not an address or URL")
        }
        var stored: [String: String] = [:]
        for (column, value) in values { if let key = fields[column] { stored[key.rawValue] = value } }
        let input: CommissioningInput
        do {
            input = try CommissioningInput(values: stored)
        } catch {
            throw BatchInventoryError(origin: origin, message: "\(error)")
        }
        let name =
            values[nameField] ?? (url.port.map { "\(host)-\($0)" } ?? host)
            + url.path.replacingOccurrences(
                of: "/", with: "-")
        return Entry(name: name, input: input, origin: origin)
    }

    private static func checked(_ batch: BatchInventory, file: String) throws(BatchInventoryError) -> BatchInventory {
        guard !batch.entries.isEmpty else { throw BatchInventoryError(origin: file, message: "no servers listed") }
        var seen: [String: String] = [:]
        for entry in batch.entries {
            if let first = seen[entry.name] {
                throw BatchInventoryError(
                    origin: entry.origin, message: "server \(entry.name) is listed twice (first at \(first))")
            }
            seen[entry.name] = entry.origin
        }
        return batch
    }
}

/// A batch inventory file is wrong; `origin` is `file:line`.
public struct BatchInventoryError: Error, Sendable, CustomStringConvertible {
    /// `file:line`.
    public var origin: String
    /// What is wrong.
    public var message: String

    /// `origin: message`.
    public var description: String { "\(origin): \(message)" }
}

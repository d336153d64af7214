import Foundation
import Redfish

/// Reads `lscpu` (text or `-J`) into an inventory: sockets, physical cores, threads, model.
public enum LSCPUParser {
    /// Parses `lscpu -J` output; falls back to the text form when the input is not JSON.
    public static func parse(json text: String, into inventory: inout Inventory, source: String = "lscpu.json") {
        guard let document = try? JSONValue.parse(text) else {
            // Older util-linux has no -J; accept the text form here too.
            parse(text: text, into: &inventory, source: source)
            return
        }
        var fields: [String: String] = [:]
        func walk(_ entries: [JSONValue]) {
            for entry in entries {
                if let field = entry["field"].string, let data = entry["data"].string {
                    let key = field.trimmingCharacters(in: .whitespaces).trimmingCharacters(
                        in: CharacterSet(charactersIn: ":"))
                    if fields[key] == nil { fields[key] = data.trimmingCharacters(in: .whitespaces) }
                }
                walk(entry["children"].array)
            }
        }
        walk(document["lscpu"].array)
        apply(fields, into: &inventory, source: source)
    }

    /// Parses plain `lscpu` output.
    public static func parse(text: String, into inventory: inout Inventory, source: String = "lscpu.txt") {
        apply(KeyValueLines.fields(text), into: &inventory, source: source)
    }

    private static func apply(_ fields: [String: String], into inventory: inout Inventory, source: String) {
        guard !fields.isEmpty else {
            inventory.problem(source, "no lscpu fields found")
            return
        }
        let sockets = ParsedNumber.count(fields["Socket(s)"])
        let coresPerSocket =
            ParsedNumber.count(fields["Core(s) per socket"]) ?? ParsedNumber.count(fields["Core(s) per cluster"])
        let threadsPerCore = ParsedNumber.count(fields["Thread(s) per core"])
        let logical = ParsedNumber.count(fields["CPU(s)"])
        if inventory.cpu.model == nil, let model = fields["Model name"], model != "-" {
            inventory.cpu.model = model
            inventory.note("cpu.model", from: source)
        }
        if inventory.cpu.sockets == nil, let sockets {
            inventory.cpu.sockets = sockets
            inventory.note("cpu.sockets", from: source)
        }
        if inventory.cpu.physicalCores == nil {
            if let sockets = sockets ?? inventory.cpu.sockets, let coresPerSocket,
                let cores = ParsedNumber.product(sockets, coresPerSocket)
            {
                inventory.cpu.physicalCores = cores
                inventory.note("cpu.physical_cores", from: source)
            } else if let logical, let threadsPerCore, threadsPerCore > 0 {
                inventory.cpu.physicalCores = logical / threadsPerCore
                inventory.note("cpu.physical_cores", from: source)
            } else {
                inventory.problem(source, "cannot work out physical cores (no Socket(s) × Core(s) per socket)")
            }
        }
        if inventory.cpu.threads == nil, let logical { inventory.cpu.threads = logical }
        if inventory.cpu.maxSpeedMHz == nil, let max = ParsedNumber.whole(fields["CPU max MHz"].flatMap(Double.init)) {
            inventory.cpu.maxSpeedMHz = max
        }
    }
}

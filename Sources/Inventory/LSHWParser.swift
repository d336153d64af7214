import Redfish

/// Reads `lshw -json` (one object, or an array with `-class`): fills disks and NIC speeds that other tools left out.
public enum LSHWParser {
    /// Parses `text` into `inventory`.
    public static func parse(_ text: String, into inventory: inout Inventory, source: String = "lshw.json") {
        guard let document = inventory.json(text, source: source) else { return }
        var nodes: [JSONValue] = []
        func walk(_ node: JSONValue) {
            if case .array(let items) = node {
                items.forEach(walk)
                return
            }
            guard node.object != nil else { return }
            nodes.append(node)
            node["children"].array.forEach(walk)
        }
        walk(document)
        guard !nodes.isEmpty else {
            inventory.problem(source, "no hardware nodes")
            return
        }
        let disks = nodes.filter { $0["class"].string == "disk" && ParsedNumber.bytes($0["size"].double) != nil }
        if inventory.storage.isEmpty, !disks.isEmpty {
            inventory.storage = disks.map { node in
                let name =
                    node["logicalname"].string.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "disk"
                return StorageDevice(
                    name: name, model: node["product"].string, sizeBytes: ParsedNumber.bytes(node["size"].double) ?? 0,
                    kind: LSBLKParser.kind(
                        name: name, transport: node["businfo"].string?.hasPrefix("nvme") == true ? "nvme" : nil,
                        rotational: nil),
                    serial: node["serial"].string)
            }
            inventory.note("storage", from: source)
        }
        for node in nodes where node["class"].string == "network" {
            guard let name = node["logicalname"].string else { continue }
            var nic = inventory.nics.first { $0.name == name } ?? NetworkInterface(name: name)
            nic.mac = nic.mac ?? node["serial"].string?.lowercased()
            if nic.speedMbps == nil {
                if let bits = node["size"].double, bits > 0 {
                    nic.speedMbps = ParsedNumber.whole(bits / 1_000_000)
                } else if let text = node["configuration"]["speed"].string {
                    nic.speedMbps = speed(text)
                }
            }
            if nic.linkUp == nil, let link = node["configuration"]["link"].string { nic.linkUp = link == "yes" }
            inventory.upsert(nic)
        }
    }

    /// `25Gbit/s`, `1000Mbit/s` → Mbit/s.
    static func speed(_ text: String) -> Int? {
        let lowered = text.lowercased()
        let digits = lowered.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits) else { return nil }
        if lowered.contains("gbit") { return ParsedNumber.whole(value * 1000) }
        if lowered.contains("mbit") { return ParsedNumber.whole(value) }
        return nil
    }
}

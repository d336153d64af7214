import Foundation

/// Reads `dmidecode` text (types 0, 1, 2, 4, 16, 17) into an inventory.
public enum DMIDecodeParser {
    /// One `Handle ..., DMI type N` record: its title line and `Key: Value` fields (list items are skipped).
    struct Record {
        var type: Int
        var title: String
        var fields: [String: String]
    }

    /// Parses `text` into `inventory`, recording problems for what cannot be read.
    public static func parse(_ text: String, into inventory: inout Inventory, source: String = "dmidecode") {
        let records = records(in: text)
        guard !records.isEmpty else {
            let hint =
                text.contains("No SMBIOS nor DMI entry point")
                ? " (no SMBIOS tables: run as root on real hardware)" : ""
            inventory.problem(source, "no DMI records found\(hint)")
            return
        }
        for record in records {
            switch record.type {
            case 0: readBIOS(record, into: &inventory, source: source)
            case 1: readSystem(record, into: &inventory, source: source)
            case 2 where inventory.baseboard.product == nil: readBaseboard(record, into: &inventory, source: source)
            case 3:
                inventory.system.assetTag = value(record, "Asset Tag") ?? inventory.system.assetTag
                inventory.system.chassisType = value(record, "Type") ?? inventory.system.chassisType
            default: break
            }
        }
        readProcessors(records.filter { $0.type == 4 }, into: &inventory, source: source)
        readMemory(records.filter { $0.type == 17 }, into: &inventory, source: source)
        let slots = records.filter { $0.type == 16 && $0.fields["Use"] != "Flash Memory" }
            .compactMap { ParsedNumber.count($0.fields["Number Of Devices"]) }
        if !slots.isEmpty { inventory.memory.slots = ParsedNumber.sum(slots) }
    }

    static func records(in text: String) -> [Record] {
        var records: [Record] = []
        var current: Record?
        var expectTitle = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.hasPrefix("Handle ") {
                if let record = current { records.append(record) }
                current = nil
                expectTitle = false
                if let range = line.range(of: "DMI type "),
                    let type = Int(line[range.upperBound...].prefix { $0.isNumber })
                {
                    current = Record(type: type, title: "", fields: [:])
                    expectTitle = true
                }
                continue
            }
            guard current != nil else { continue }
            if expectTitle {
                current?.title = line.trimmingCharacters(in: .whitespaces)
                expectTitle = false
                continue
            }
            // Fields are one tab deep; list items under a field are two tabs deep and are skipped.
            guard line.hasPrefix("\t"), !line.hasPrefix("\t\t") else { continue }
            let body = line.dropFirst()
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = body[..<colon].trimmingCharacters(in: .whitespaces)
            let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if current?.fields[key] == nil { current?.fields[key] = value }
        }
        if let record = current { records.append(record) }
        return records
    }

    /// The value of `key`, or nil when missing or a placeholder.
    static func value(_ record: Record, _ key: String) -> String? {
        Normalisation.meaningful(record.fields[key])
    }

    private static func readBIOS(_ record: Record, into inventory: inout Inventory, source: String) {
        inventory.bios.vendor = value(record, "Vendor") ?? inventory.bios.vendor
        inventory.bios.version = value(record, "Version") ?? inventory.bios.version
        inventory.bios.releaseDate = value(record, "Release Date") ?? inventory.bios.releaseDate
        if inventory.bios.version != nil { inventory.note("bios.version", from: source) }
    }

    private static func readSystem(_ record: Record, into inventory: inout Inventory, source: String) {
        inventory.system.manufacturer = value(record, "Manufacturer") ?? inventory.system.manufacturer
        inventory.system.product = value(record, "Product Name") ?? inventory.system.product
        inventory.system.serial = value(record, "Serial Number") ?? inventory.system.serial
        inventory.system.uuid = value(record, "UUID")?.lowercased() ?? inventory.system.uuid
        inventory.system.sku = value(record, "SKU Number") ?? inventory.system.sku
        for (fact, known) in [
            ("system.manufacturer", inventory.system.manufacturer), ("system.product", inventory.system.product),
            ("system.serial", inventory.system.serial), ("system.uuid", inventory.system.uuid),
        ] where known != nil {
            inventory.note(fact, from: source)
        }
    }

    private static func readBaseboard(_ record: Record, into inventory: inout Inventory, source: String) {
        inventory.baseboard.manufacturer = value(record, "Manufacturer")
        inventory.baseboard.product = value(record, "Product Name")
        inventory.baseboard.serial = value(record, "Serial Number")
        if inventory.baseboard.product != nil { inventory.note("baseboard.product", from: source) }
    }

    private static func readProcessors(_ records: [Record], into inventory: inout Inventory, source: String) {
        let populated = records.filter { record in
            if let status = record.fields["Status"]?.lowercased() { return !status.contains("unpopulated") }
            return record.fields["Version"] != nil
        }
        guard !populated.isEmpty else {
            if !records.isEmpty { inventory.problem(source, "no populated processor socket (type 4) found") }
            return
        }
        inventory.cpu.sockets = populated.count
        inventory.note("cpu.sockets", from: source)
        if let model = populated.compactMap({ value($0, "Version") }).first {
            inventory.cpu.model = model
            inventory.note("cpu.model", from: source)
        }
        let cores = populated.compactMap { ParsedNumber.count($0.fields["Core Count"]) }
        if cores.count == populated.count, let total = ParsedNumber.sum(cores) {
            inventory.cpu.physicalCores = total
            inventory.note("cpu.physical_cores", from: source)
        } else {
            inventory.problem(source, "a processor record has no readable Core Count (a whole number of cores)")
        }
        let threads = populated.compactMap { ParsedNumber.count($0.fields["Thread Count"]) }
        if threads.count == populated.count { inventory.cpu.threads = ParsedNumber.sum(threads) }
        if let speed = populated.compactMap({ megahertz($0.fields["Max Speed"]) }).max() {
            inventory.cpu.maxSpeedMHz = speed
        }
    }

    private static func readMemory(_ records: [Record], into inventory: inout Inventory, source: String) {
        var dimms: [DIMM] = []
        for record in records {
            guard let sizeText = record.fields["Size"] else { continue }
            guard let size = gibibytes(sizeText) else {
                if !sizeText.lowercased().contains("no module") {
                    inventory.problem(
                        source, "cannot read memory size '\(sizeText)' in \(record.fields["Locator"] ?? "a DIMM")")
                }
                continue
            }
            guard size > 0 else { continue }
            dimms.append(
                DIMM(
                    slot: record.fields["Locator"] ?? "DIMM\(dimms.count)", sizeGiB: size,
                    speedMTs: record.fields["Speed"].flatMap(megahertz), manufacturer: value(record, "Manufacturer"),
                    part: value(record, "Part Number"), serial: value(record, "Serial Number")))
        }
        guard !dimms.isEmpty else {
            if !records.isEmpty { inventory.problem(source, "no populated memory device (type 17) found") }
            return
        }
        let total = dimms.reduce(0) { $0 + $1.sizeGiB }
        guard total.isFinite else {
            inventory.problem(source, "the memory devices (type 17) add up to more than any server holds")
            return
        }
        inventory.memory.dimms = dimms
        inventory.memory.totalGiB = total
        inventory.memory.totalIsUsable = false
        inventory.note("memory.total_gib", from: source)
    }

    /// `16 GB`, `16384 MB`, `1 TB`, `512 kB` → GiB; `No Module Installed`, negative, `inf` or `nan` sizes → nil.
    static func gibibytes(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let value = ParsedNumber.measure(Double(parts[0])) else { return nil }
        let gib: Double
        switch parts[1].uppercased() {
        case "TB": gib = value * 1024
        case "GB": gib = value
        case "MB": gib = value / 1024
        case "KB": gib = value / (1024 * 1024)
        default: return nil
        }
        return ParsedNumber.measure(gib)
    }

    /// `3200 MT/s`, `3700 MHz`, `2.4 GHz` → MHz.
    static func megahertz(_ text: String?) -> Int? {
        guard let parts = text?.split(separator: " "), parts.count == 2, let value = Double(parts[0]), value > 0 else {
            return nil
        }
        switch parts[1].uppercased() {
        case "MHZ", "MT/S": return ParsedNumber.whole(value)
        case "GHZ", "GT/S": return ParsedNumber.whole(value * 1000)
        default: return nil
        }
    }
}

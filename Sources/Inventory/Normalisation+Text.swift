extension Normalisation {
    /// Values firmware writes when a field was never set, lower case. Seen in: AMI Aptio BIOSes on white-box and
    /// Supermicro boards (`To be filled by O.E.M.`, `Default string`, `0123456789`, the AMI default UUID
    /// `03000200-0400-0500-0006-000700080009`), ASUS and ASRock boards (`System Product Name`, `Base Board Serial
    /// Number`), Redfish emulators and some BMCs (`N/A`, `NONE`, `Not Specified`), and DIMM SPD decodes (`NO DIMM`,
    /// `Unknown`).
    static let placeholders: Set<String> = [
        "none", "n/a", "na", "n.a.", "not specified", "unspecified", "not applicable", "not available",
        "not provided", "not present", "not set", "to be filled by o.e.m.", "to be filled by o.e.m",
        "to be filled by oem", "default string", "default", "0123456789", "123456789", "1234567890",
        "01234567890", "system serial number", "system product name", "system manufacturer", "system version",
        "system sku", "sku", "base board serial number", "base board product name", "base board manufacturer",
        "base board version", "chassis serial number", "chassis manufacturer", "chassis version", "asset tag",
        "serial number", "part number", "type1productconfigid", "unknown", "invalid", "no dimm", "empty", "o.e.m",
        "o.e.m.", "oem", "null", "nil", "undefined", "03000200-0400-0500-0006-000700080009",
    ]

    /// `placeholders` as lower-case bytes by length, for comparisons that allocate nothing (this runs on every
    /// classification).
    private static let placeholderBytes: [Int: [[UInt8]]] = Dictionary(grouping: placeholders.map { Array($0.utf8) }) {
        $0.count
    }

    /// Characters that, repeated alone (separators aside), make a placeholder: `00000000`, `FFFFFFFF`, `XXXX`,
    /// `-`, `...`, the all-zero UUID.
    private static func isFiller(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "x"), UInt8(ascii: "X"),
            UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "#"):
            return true
        default: return isSeparator(byte)
        }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: " ")
            || byte == UInt8(ascii: "_")
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0
    }

    /// `byte` with ASCII upper case folded to lower case.
    static func lower(_ byte: UInt8) -> UInt8 {
        (65...90).contains(byte) ? byte | 0x20 : byte
    }

    /// Whether `text` contains `needle` (lower-case ASCII), ignoring ASCII case; allocates nothing.
    static func contains(_ text: String, _ needle: String) -> Bool {
        let haystack = text.utf8
        let needle = needle.utf8
        guard let first = needle.first, haystack.count >= needle.count else { return needle.isEmpty }
        var index = haystack.startIndex
        let last = haystack.index(haystack.endIndex, offsetBy: -needle.count)
        while index <= last {
            if lower(haystack[index]) == first,
                haystack[index...].prefix(needle.count).elementsEqual(needle, by: { lower($0) == $1 })
            {
                return true
            }
            index = haystack.index(after: index)
        }
        return false
    }

    /// Whether `text` equals `other` (lower-case ASCII), ignoring ASCII case.
    static func equals(_ text: String?, _ other: String) -> Bool {
        guard let text else { return false }
        return text.utf8.elementsEqual(other.utf8) { lower($0) == $1 }
    }

    /// Whether `text` starts with `prefix` (lower-case ASCII), ignoring ASCII case.
    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.utf8.count >= prefix.utf8.count
            && text.utf8.prefix(prefix.utf8.count).elementsEqual(prefix.utf8) {
                lower($0) == $1
            }
    }

    /// `text` trimmed, or nil when it is empty or a placeholder (`NONE`, `To be filled by O.E.M.`, `Default
    /// string`, `0123456789`, `Not Specified`, `00000000`, …).
    public static func meaningful(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = trim(text)
        guard !trimmed.isEmpty, !isPlaceholder(trimmed) else { return nil }
        return trimmed
    }

    /// Whether `text` (already trimmed) is a placeholder.
    static func isPlaceholder(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first else { return true }
        // One character repeated (separators aside): `0000`, `FFFF-FFFF`, `--`.
        if isFiller(first) {
            var head: UInt8?
            var uniform = true
            for byte in bytes where !isSeparator(byte) {
                guard let seen = head else {
                    head = lower(byte)
                    uniform = isFiller(byte)
                    if !uniform { break }
                    continue
                }
                if lower(byte) != seen {
                    uniform = false
                    break
                }
            }
            if uniform { return true }
        }
        guard let candidates = placeholderBytes[bytes.count] else { return false }
        return candidates.contains { candidate in bytes.elementsEqual(candidate) { lower($0) == $1 } }
    }

    /// `text` without leading and trailing white space (and NULs some BMCs pad fixed-width fields with).
    private static func trim(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last, isBlank(first) || isBlank(last) else { return text }
        guard let start = bytes.firstIndex(where: { !isBlank($0) }), let end = bytes.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }

    /// Placeholders to nil in every identity field. Fields (and array elements) are written only when they change,
    /// so an inventory that is already clean is not copied.
    static func normaliseText(_ inventory: inout Inventory) {
        var changed = false
        func clean(_ value: inout String?) {
            guard let text = value else { return }
            let cleaned = meaningful(text)
            if cleaned != text {
                value = cleaned
                changed = true
            }
        }
        clean(&inventory.system.manufacturer)
        clean(&inventory.system.product)
        clean(&inventory.system.serial)
        clean(&inventory.system.uuid)
        clean(&inventory.system.sku)
        clean(&inventory.system.assetTag)
        clean(&inventory.system.chassisType)
        clean(&inventory.baseboard.manufacturer)
        clean(&inventory.baseboard.product)
        clean(&inventory.baseboard.serial)
        clean(&inventory.bios.vendor)
        clean(&inventory.bios.version)
        clean(&inventory.bios.releaseDate)
        clean(&inventory.cpu.model)
        for (index, dimm) in inventory.memory.dimms.enumerated() {
            var copy = dimm
            changed = false
            clean(&copy.manufacturer)
            clean(&copy.part)
            clean(&copy.serial)
            if changed { inventory.memory.dimms[index] = copy }
        }
        for (index, drive) in inventory.storage.enumerated() {
            var copy = drive
            changed = false
            clean(&copy.model)
            clean(&copy.serial)
            clean(&copy.transport)
            clean(&copy.mediaType)
            if changed { inventory.storage[index] = copy }
        }
        for (index, nic) in inventory.nics.enumerated() {
            var copy = nic
            changed = false
            clean(&copy.label)
            if changed { inventory.nics[index] = copy }
        }
        if let firmware = inventory.bmc?.firmware, meaningful(firmware) != firmware {
            inventory.bmc?.firmware = meaningful(firmware)
        }
    }
}

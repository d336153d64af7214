/// Reads `free -b`: the usable memory total (a little below the installed size).
public enum FreeParser {
    /// Parses `text` into `inventory`; used only when dmidecode gave no DIMMs.
    public static func parse(_ text: String, into inventory: inout Inventory, source: String = "free.txt") {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Mem:") }),
            let total = ParsedNumber.measure(line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })),
            total > 0
        else {
            inventory.problem(source, "no 'Mem:' line with a byte total (expected `free -b` output)")
            return
        }
        guard inventory.memory.totalGiB == nil else { return }
        inventory.memory.totalGiB = total / 1_073_741_824
        inventory.memory.totalIsUsable = true
        inventory.note("memory.total_gib", from: source)
    }
}

/// Reads `/sys/class/net/*/speed` as discovery collects it: one `PATH SPEED` line per interface (Mbit/s; -1 or
/// empty when the link is down or the driver does not say).
public enum NetSpeedParser {
    /// Parses `text` into `inventory`.
    public static func parse(_ text: String, into inventory: inout Inventory, source: String = "net-speed.txt") {
        var read = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let path = parts.first else { continue }
            let components = path.split(separator: "/")
            guard components.count >= 2, components.last == "speed" else { continue }
            let name = String(components[components.count - 2])
            guard name != "lo" else { continue }
            read += 1
            guard parts.count > 1, let speed = Int(parts[1]), speed > 0 else { continue }
            var nic = inventory.nics.first { $0.name == name } ?? NetworkInterface(name: name)
            nic.speedMbps = speed
            inventory.upsert(nic)
        }
        if read == 0 { inventory.problem(source, "no '/sys/class/net/<name>/speed <Mbit/s>' lines") }
    }
}

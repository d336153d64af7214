import Catalog
import Foundation
import Inventory

extension BoardingValidator {
    // MARK: Sensors

    /// Every present sensor inside its critical thresholds and not Critical; caution breaches are named but pass.
    func sensors(_ facts: BoardingFacts) -> BoardingCheck {
        let unread = Self.unread(facts, ["Sensors", "Thermal", "Power"])
        guard facts.sensorsOffered else {
            return BoardingCheck(
                .sensors, unread.isEmpty ? .notChecked : .failed,
                unread.isEmpty
                    ? "the BMC offers no sensors" : "the sensors could not be read: " + unread.joined(separator: "; "))
        }
        var critical: [String] = []
        var caution: [String] = []
        var judged = 0
        for sensor in facts.sensors where sensor.state != "Absent" && sensor.state != "Disabled" {
            let reading = sensor.reading.map { "\(Self.number($0))\(sensor.units.map { " \($0)" } ?? "")" } ?? "?"
            if let value = sensor.reading {
                judged += 1
                if let limit = sensor.upperCritical, value >= limit {
                    critical.append("\(sensor.name) \(reading) at or above its critical \(Self.number(limit))")
                    continue
                }
                if let limit = sensor.lowerCritical, value <= limit {
                    critical.append("\(sensor.name) \(reading) at or below its critical \(Self.number(limit))")
                    continue
                }
                if let limit = sensor.upperCaution, value >= limit {
                    caution.append("\(sensor.name) \(reading) above its caution \(Self.number(limit))")
                } else if let limit = sensor.lowerCaution, value <= limit {
                    caution.append("\(sensor.name) \(reading) below its caution \(Self.number(limit))")
                }
            }
            if sensor.health == "Critical" { critical.append("\(sensor.name) \(reading): health Critical") }
        }
        let notes = (caution.isEmpty ? "" : "; caution: " + caution.joined(separator: ", "))
        if !critical.isEmpty || !unread.isEmpty {
            return BoardingCheck(
                .sensors, .failed,
                (critical + unread.map { "not read: \($0)" }).joined(separator: "; ") + notes)
        }
        return BoardingCheck(.sensors, .passed, "\(judged) sensor reading(s) inside their critical thresholds" + notes)
    }

    /// `97` for whole numbers, `12.1` otherwise.
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.2f", value)
    }

    // MARK: Logs

    /// No `Critical` entry since `since` in any log service (an entry without a date counts: it cannot be placed
    /// before commissioning).
    func eventLog(_ facts: BoardingFacts) -> BoardingCheck {
        let unread = Self.unread(facts, ["LogServices", "Entries"])
        guard facts.logsOffered else {
            return BoardingCheck(
                .eventLog, unread.isEmpty ? .notChecked : .failed,
                unread.isEmpty
                    ? "the BMC offers no log service" : "the logs could not be read: " + unread.joined(separator: "; "))
        }
        let critical = facts.logEntries.filter { entry in
            entry.severity == "Critical" && (since.map { entry.isWritten(since: $0) } ?? true)
        }
        let window = since.map { "since \($0.formatted(.iso8601))" } ?? "in the logs"
        if !critical.isEmpty || !unread.isEmpty {
            let named = critical.prefix(5).map { entry in
                "\(entry.log) #\(entry.id): \(entry.message ?? "no message")"
                    + (entry.created.map { " (\($0.formatted(.iso8601)))" } ?? " (undated)")
            }
            var parts: [String] = []
            if !critical.isEmpty {
                let entries = critical.count == 1 ? "1 critical entry" : "\(critical.count) critical entries"
                parts.append("\(entries) \(window): " + named.joined(separator: "; "))
            }
            parts += unread.map { "not read: \($0)" }
            return BoardingCheck(.eventLog, .failed, parts.joined(separator: "; "))
        }
        return BoardingCheck(
            .eventLog, .passed, "no critical entry \(window) (\(facts.logEntries.count) entries read)")
    }

    // MARK: Links

    /// The type's network ports up at their speed: each group of `count × speed` needs that many links up at that
    /// speed or faster (a link counts once, fastest groups first).
    func links(_ facts: BoardingFacts) -> BoardingCheck {
        guard let groups = type.hardware.network, !groups.isEmpty else {
            return BoardingCheck(.nicLinks, .notChecked, "\(type.name) names no network ports")
        }
        let candidates = facts.links.filter { $0.state != "Disabled" && $0.state != "Absent" }
        guard candidates.contains(where: { $0.linkUp != nil }) else {
            let unread = Self.unread(facts, ["EthernetInterfaces"])
            return BoardingCheck(
                .nicLinks, unread.isEmpty ? .notChecked : .failed,
                unread.isEmpty
                    ? "the BMC reports no link status for the \(candidates.count) interface(s)"
                    : "the interfaces could not be read: " + unread.joined(separator: "; "))
        }
        var available = candidates.filter { $0.linkUp == true }.sorted { ($0.speedMbps ?? 0) > ($1.speedMbps ?? 0) }
        var short: [String] = []
        for group in groups.sorted(by: { $0.speedGbps > $1.speedGbps }) {
            let wanted = Int(group.speedGbps * 1000)
            var found = 0
            while found < group.count, let index = available.firstIndex(where: { ($0.speedMbps ?? 0) >= wanted }) {
                available.remove(at: index)
                found += 1
            }
            if found < group.count { short.append("\(group) wanted up, \(found) up at that speed") }
        }
        guard short.isEmpty else {
            let down = candidates.filter { $0.linkUp != true }.map { "\($0.name) down" }
            let slow = candidates.filter { $0.linkUp == true }.map { "\($0.name) at \($0.speedMbps ?? 0) Mb/s" }
            return BoardingCheck(
                .nicLinks, .failed, short.joined(separator: "; ") + " (" + (down + slow).joined(separator: ", ") + ")")
        }
        return BoardingCheck(
            .nicLinks, .passed, groups.map(\.description).joined(separator: " + ") + " up at speed")
    }

    // MARK: Drives

    /// The type's drives present at their sizes (within 10 %, kinds matching when the BMC names them), and no drive
    /// reporting a Warning or Critical health.
    func drives(_ facts: BoardingFacts) -> BoardingCheck {
        let unread = Self.unread(facts, ["Storage", "Drives"])
        let unhealthy = facts.drives.filter { $0.health == "Critical" || $0.health == "Warning" }
            .map { "\($0.name) health \($0.health ?? "?")" }
        guard let groups = type.hardware.storage, !groups.isEmpty else {
            if !unhealthy.isEmpty { return BoardingCheck(.drives, .failed, unhealthy.joined(separator: ", ")) }
            return BoardingCheck(.drives, .notChecked, "\(type.name) names no drives")
        }
        var available = facts.drives.filter { $0.state != "Absent" }
        var short: [String] = []
        for group in groups {
            var found = 0
            while found < group.count, let index = available.firstIndex(where: { Self.fits($0, group) }) {
                available.remove(at: index)
                found += 1
            }
            if found < group.count { short.append("\(group) wanted, \(found) found") }
        }
        let problems = short + unhealthy + unread.map { "not read: \($0)" }
        guard problems.isEmpty else { return BoardingCheck(.drives, .failed, problems.joined(separator: "; ")) }
        return BoardingCheck(
            .drives, .passed, groups.map(\.description).joined(separator: " + ") + " present and healthy")
    }

    /// Whether `drive` is one of `group`'s: its size within 10 % and its kind the same when the BMC names it.
    static func fits(_ drive: BoardingFacts.Drive, _ group: DriveGroup) -> Bool {
        guard let bytes = drive.capacityBytes, bytes > 0 else { return false }
        let ratio = Double(bytes) / (group.sizeGB * 1e9)
        guard ratio >= 0.9, ratio <= 1.1 else { return false }
        guard let kind = drive.kind?.lowercased() else { return true }
        switch group.kind {
        case .nvme: return kind == "nvme" || kind == "ssd"
        case .ssd: return kind == "ssd" || kind == "sata" || kind == "sas"
        case .hdd: return kind == "hdd"
        case .persistentMemory: return true
        }
    }
}

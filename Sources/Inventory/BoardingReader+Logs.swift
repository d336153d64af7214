import Foundation
import Redfish

/// Log entries: the system's and every manager's `LogServices` collection, each LogService's `Entries` (LogEntry:
/// `Id`, `Severity`, `Created`, `Message`, `EntryType`), pages followed through `Members@odata.nextLink` (or
/// `@odata.nextLink`, as DMTF's mockups write it).
///
/// Entries are read inline when the collection carries them (iDRAC lists its SEL that way): no request per entry
/// then. Otherwise each entry is read through its link, at most `memberReadLimit` per log. At most `entryLimit`
/// entries are taken per log, in the order listed (newest first on most BMCs). A log that lists more than that
/// while its entries are still on or after `since` is recorded in `unread` (its remaining entries were not read);
/// so is a log whose entries would cost more reads than allowed.
extension BoardingReader {
    /// Entries taken per log.
    static let entryLimit = 500
    /// Entries read one request each per log, when the collection does not carry them.
    static let memberReadLimit = 200

    func readLogs(root: JSONValue, system: JSONValue?, since: Date?, _ facts: inout BoardingFacts) async {
        var servicePaths: [String] = []
        if let path = system?["LogServices"]["@odata.id"].string { servicePaths.append(path) }
        if let managers = root["Managers"]["@odata.id"].string {
            for manager in await members(of: managers, &facts) {
                if let path = manager["LogServices"]["@odata.id"].string { servicePaths.append(path) }
            }
        }
        for path in servicePaths {
            for service in await members(of: path, &facts) {
                facts.logsOffered = true
                let servicePath = service["@odata.id"].string ?? path
                let log = service["Id"].string ?? Self.lastSegment(servicePath)
                guard let entries = service["Entries"]["@odata.id"].string else { continue }
                facts.logEntries += await readEntries(entries, log: log, since: since, &facts)
            }
        }
    }

    /// The entries of one log, pages followed, within the limits.
    private func readEntries(
        _ path: String, log: String, since: Date?, _ facts: inout BoardingFacts
    ) async -> [BoardingFacts.LogEntry] {
        var result: [BoardingFacts.LogEntry] = []
        var pagesSeen: Set<String> = []
        var entriesSeen: Set<String> = []
        var listed = 0
        var memberReads = 0
        var newestFirst = true
        var dated = 0
        var previous: Date?
        var next: String? = path
        var first = true
        pages: while let page = next, pagesSeen.insert(page).inserted {
            // The first page expanded where the service expands (the entries inline); later pages as linked.
            var document: JSONValue?
            if first {
                document = await collection(page, &facts)
            } else {
                document = await fetch(page, &facts)
            }
            first = false
            guard let document else { break }
            var added = 0
            for member in document["Members"].array {
                let key = member["@odata.id"].string ?? member["Id"].string ?? "\(listed)"
                // A page that repeats what was read (a saved tree ignores `$skiptoken`) ends the listing.
                guard entriesSeen.insert(key).inserted else { continue }
                added += 1
                if listed == Self.entryLimit {
                    facts.unread.append("\(path): more than \(Self.entryLimit) entries listed; only the first read")
                    break pages
                }
                listed += 1
                var entry = member
                if !Self.carriesEntry(member) {
                    guard let link = member["@odata.id"].string else { continue }
                    if memberReads == Self.memberReadLimit {
                        facts.unread.append(
                            "\(path): more than \(Self.memberReadLimit) entries to read one by one; only those read")
                        break pages
                    }
                    memberReads += 1
                    guard let fetched = await fetch(link, &facts) else { continue }
                    entry = fetched
                }
                let created = Self.date(entry["Created"].string)
                if let created {
                    if let previous, created > previous { newestFirst = false }
                    previous = created
                    dated += 1
                }
                let read = BoardingFacts.LogEntry(
                    log: log, id: entry["Id"].string ?? Self.lastSegment(key), severity: entry["Severity"].string,
                    created: created, message: entry["Message"].string, entryType: entry["EntryType"].string)
                if let since, !read.isWritten(since: since) {
                    // Listed newest first (two dated entries at least say so): what follows is older still.
                    if newestFirst && dated >= 2 { break pages }
                    continue
                }
                result.append(read)
            }
            guard added > 0 else { break }
            next = document["Members@odata.nextLink"].string ?? document["@odata.nextLink"].string
        }
        return result
    }

    /// Whether a collection's member is the entry itself rather than a link to it.
    static func carriesEntry(_ member: JSONValue) -> Bool {
        member["Severity"] != .null || member["Created"] != .null || member["Message"] != .null
    }

    /// An ISO 8601 time as BMCs write it: `2012-03-07T14:44:00Z`, with or without fractional seconds (any number of
    /// digits), with an offset (`+06:00`, `+0600`, `+06`, `Z`) or none (read as UTC), `T` or a space between date and
    /// time, seconds optional. nil when it is none of these or names no real time (`0000-00-00T00:00:00`).
    public static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        var scanner = Array(text.trimmingCharacters(in: .whitespaces).uppercased().utf8)[...]
        func digits(_ count: Int) -> Int? {
            guard scanner.count >= count else { return nil }
            var value = 0
            for byte in scanner.prefix(count) {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            scanner.removeFirst(count)
            return value
        }
        func skip(_ character: Character) -> Bool {
            guard let byte = character.asciiValue, scanner.first == byte else { return false }
            scanner.removeFirst()
            return true
        }
        guard let year = digits(4), skip("-"), let month = digits(2), skip("-"), let day = digits(2),
            skip("T") || skip(" "), let hour = digits(2), skip(":"), let minute = digits(2)
        else { return nil }
        var second = 0.0
        if skip(":") {
            guard let whole = digits(2) else { return nil }
            second = Double(whole)
            if skip(".") || skip(",") {
                var scale = 0.1
                var any = false
                while let byte = scanner.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    second += Double(byte - UInt8(ascii: "0")) * scale
                    scale /= 10
                    any = true
                    scanner.removeFirst()
                }
                guard any else { return nil }
            }
        }
        var offset = 0
        if skip("Z") {
            offset = 0
        } else if let sign = scanner.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            scanner.removeFirst()
            guard let hours = digits(2) else { return nil }
            var minutes = 0
            if skip(":") {
                guard let value = digits(2) else { return nil }
                minutes = value
            } else if let value = digits(2) {
                minutes = value
            }
            guard hours <= 23, minutes <= 59 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard scanner.isEmpty, hour <= 23, minute <= 59, second < 61 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            calendar: calendar, timeZone: calendar.timeZone, year: year, month: month, day: day, hour: hour,
            minute: minute)
        guard year > 0, components.isValidDate, let start = calendar.date(from: components) else { return nil }
        return start.addingTimeInterval(second - Double(offset))
    }
}

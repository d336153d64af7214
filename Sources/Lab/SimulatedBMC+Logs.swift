import Foundation
import Redfish

/// The BMC's logs, where and as each vendor keeps them: iLO's Integrated Management Log on the system and its own
/// event log on the manager (`IML`, `IEL`, `EntryType` `Oem`), iDRAC's SEL on the manager (`Sel`), Supermicro's
/// SEL on the system (`Log1`), XCC's platform log on the manager (`PlatformLog`), a plain `Log` on the system
/// otherwise. Entries are listed newest first and whole (the schema auto-expands a log's Members), `logPageSize` a page, later pages through `Members@odata.nextLink`
/// (`$skip`), as BMCs page long logs. The firmware writes an entry at each host reset; a test adds its own
/// (`addLogEntry(severity:message:at:log:)`).
extension SimulatedBMC {
    /// One log: on the system or the manager, its id, name and entry format.
    struct LogPlace: Sendable {
        var owner: String
        var id: String
        var name: String
        var entryType: String
        var oemFormat: String?
    }

    /// Entries per page of a log's Entries collection.
    static let logPageSize = 50

    /// The profile's logs; the first is where hardware events go.
    var logPlaces: [LogPlace] {
        switch profile {
        case .hpe:
            [
                LogPlace(
                    owner: "Systems", id: "IML", name: "Integrated Management Log", entryType: "Oem",
                    oemFormat: "Hpe-IML"),
                LogPlace(
                    owner: "Managers", id: "IEL", name: "iLO Event Log", entryType: "Oem", oemFormat: "Hpe-iLOEventLog"),
            ]
        case .dell: [LogPlace(owner: "Managers", id: "Sel", name: "Log Service SEL", entryType: "SEL")]
        case .supermicro: [LogPlace(owner: "Systems", id: "Log1", name: "Log Service", entryType: "SEL")]
        case .lenovo: [LogPlace(owner: "Managers", id: "PlatformLog", name: "Platform Event Log", entryType: "Event")]
        case .generic: [LogPlace(owner: "Systems", id: "Log", name: "System Log", entryType: "Event")]
        }
    }

    /// The log hardware events go to.
    var eventLog: String { logPlaces[0].id }

    /// The logs' ids, hardware events' first.
    public var logIDs: [String] { logPlaces.map(\.id) }

    /// What a BMC's logs hold when the lab starts: the power-on that brought it up.
    var seededLogEntries: [LabLogEntry] {
        logPlaces.enumerated().map { index, place in
            LabLogEntry(
                id: 1, log: place.id, severity: "OK",
                message: index == 0 ? "Server power restored." : "Management controller firmware started.", labTime: 0)
        }
    }

    /// The `LogServices` link of the system's or the manager's document, when it has logs.
    func logServicesLink(_ owner: String) -> JSONValue? {
        logPlaces.contains { $0.owner == owner } ? Self.link("/\(owner)/1/LogServices") : nil
    }

    /// Writes an entry to `log` (default: the log hardware events go to) at lab time `now`; its id, or nil when the
    /// BMC has no such log.
    @discardableResult
    public mutating func addLogEntry(severity: String, message: String, at now: Double, log: String? = nil) -> Int? {
        writeLog(severity: severity, message: message, at: now, log: log)
    }

    @discardableResult
    mutating func writeLog(severity: String, message: String, at now: Double, log: String? = nil) -> Int? {
        let name = log ?? eventLog
        guard logPlaces.contains(where: { $0.id == name }) else { return nil }
        let id = (logEntries.filter { $0.log == name }.map(\.id).max() ?? 0) + 1
        logEntries.append(LabLogEntry(id: id, log: name, severity: severity, message: message, labTime: now))
        return id
    }

    /// A lab time as the BMC's clock writes it (ISO 8601, UTC).
    func date(atLabTime time: Double) -> String {
        settings.epoch.addingTimeInterval(time).formatted(Date.ISO8601FormatStyle())
    }

    // MARK: Resources

    /// Answers the log services of the system and the manager; nil for any other route.
    func logRoute(_ route: Route, _ request: LabRequest) -> LabResponse? {
        guard route.method == "GET", route.parts.count >= 3, ["Systems", "Managers"].contains(route.parts[0]),
            route.parts[1] == "1", route.parts[2] == "LogServices"
        else { return nil }
        let owner = route.parts[0]
        let base = "\(Self.root)/\(owner)/1/LogServices"
        let places = logPlaces.filter { $0.owner == owner }
        guard !places.isEmpty else { return nil }
        let rest = Array(route.parts.dropFirst(3))
        if rest.isEmpty { return ok(collection("LogServices", places.map { "\(base)/\($0.id)" })) }
        guard let place = places.first(where: { $0.id == rest[0] }) else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No log service \(rest[0]).")
        }
        let entries = logEntries.filter { $0.log == place.id }.reversed().map(\.self)
        switch rest.count {
        case 1:
            return ok(
                .object([
                    "@odata.id": .string("\(base)/\(place.id)"), "Id": .string(place.id), "Name": .string(place.name),
                    "ServiceEnabled": .bool(true), "MaxNumberOfRecords": .number(3000),
                    "OverWritePolicy": .string("WrapsWhenFull"), "DateTime": .string(date(atLabTime: lastSeen)),
                    "Entries": Self.link("/\(owner)/1/LogServices/\(place.id)/Entries"),
                    "Status": .object(["State": .string("Enabled"), "Health": .string("OK")]),
                ]))
        case 2 where rest[1] == "Entries":
            let path = "\(base)/\(place.id)/Entries"
            let skip = Self.skip(in: request.query)
            let page = entries.dropFirst(skip).prefix(Self.logPageSize)
            var document: [String: JSONValue] = [
                "Name": .string("\(place.name) Entries"),
                // LogEntryCollection's Members are `OData.AutoExpand` in DMTF's schema: each entry whole, inline.
                "Members": .array(page.map { logEntry($0, place: place, path: "\(path)/\($0.id)") }),
            ]
            document["Members@odata.count"] = .number(Double(entries.count))
            if skip + page.count < entries.count {
                document["Members@odata.nextLink"] = .string("\(path)?$skip=\(skip + page.count)")
            }
            return ok(.object(document))
        case 3 where rest[1] == "Entries":
            guard let entry = entries.first(where: { String($0.id) == rest[2] }) else {
                return .error(404, "Base.1.8.ResourceMissingAtURI", "No entry \(rest[2]) in \(place.id).")
            }
            return ok(logEntry(entry, place: place, path: "\(base)/\(place.id)/Entries/\(entry.id)"))
        default:
            return nil
        }
    }

    /// One entry as the vendor writes it.
    func logEntry(_ entry: LabLogEntry, place: LogPlace, path: String) -> JSONValue {
        var document: [String: JSONValue] = [
            "@odata.id": .string(path), "@odata.type": .string(SchemaType.logEntry), "Id": .string(String(entry.id)),
            "Name": .string("Log Entry \(entry.id)"),
            "EntryType": .string(place.entryType), "Severity": .string(entry.severity),
            "Created": .string(date(atLabTime: entry.labTime)), "Message": .string(entry.message),
        ]
        if let format = place.oemFormat { document["OemRecordFormat"] = .string(format) }
        return .object(document)
    }

    /// The `$skip` of a query (`$skip=50`), 0 when absent or not a number.
    static func skip(in query: String) -> Int {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "$skip" || parts[0] == "%24skip", let value = Int(parts[1]), value >= 0 {
                return value
            }
        }
        return 0
    }
}

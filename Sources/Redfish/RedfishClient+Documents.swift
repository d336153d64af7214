/// Documents a client has read, reused within its life until it writes (see `RedfishClient.cached(_:)`).
struct RedfishDocuments: Sendable {
    private var answers: [String: RedfishResponse] = [:]

    /// The answer remembered for `path`, if any.
    func answer(for path: String) -> RedfishResponse? {
        answers[Self.key(path)]
    }

    /// Remembers `response` as `path`'s answer, and every resource expanded inside it (a `$expand`ed collection's
    /// members, a singleton's expanded subordinates) under its own `@odata.id`. A collection read with a query is
    /// also remembered under its bare path: its members keep their `@odata.id`s.
    mutating func remember(_ response: RedfishResponse, for path: String) {
        answers[Self.key(path)] = response
        guard let query = path.firstIndex(of: "?") else { return }
        let bare = String(path[..<query])
        if case .array = response.body["Members"] {
            answers[Self.key(bare)] = RedfishResponse(status: response.status, body: response.body)
        }
        remember(embeddedIn: response.body, depth: 0)
    }

    /// Remembers an expanded read of the resource at `path` as a plain read of it shows it (each expanded
    /// subordinate a link again), and, under its own `@odata.id`, each expanded subordinate whose schema is in `kept`
    /// (nil: every one): a reader that wants one subordinate (a system's `Bios`) does not keep the others (its
    /// collections, `SecureBoot`, ...) in memory until its next write.
    mutating func remember(expanded response: RedfishResponse, for path: String, keeping kept: Set<String>?) {
        answers[Self.key(path)] = RedfishResponse(
            status: response.status, body: Self.collapsed(response.body, depth: 0))
        remember(embeddedIn: response.body, depth: 0, keeping: kept)
    }

    /// `value` with every embedded resource below the top (an object with both `@odata.id` and `@odata.type`) a
    /// link (`{"@odata.id": …}`), as a plain read has it.
    static func collapsed(_ value: JSONValue, depth: Int) -> JSONValue {
        guard depth < 8 else { return value }
        switch value {
        case .object(let fields):
            if depth > 0, let id = fields["@odata.id"]?.string, fields["@odata.type"]?.string != nil {
                return .object(["@odata.id": .string(id)])
            }
            var plain = fields
            for (name, field) in fields where name != "Links" {
                switch field {
                case .object, .array: plain[name] = collapsed(field, depth: depth + 1)
                default: continue
                }
            }
            return .object(plain)
        case .array(let items):
            return .array(items.map { collapsed($0, depth: depth + 1) })
        default:
            return value
        }
    }

    /// Every embedded resource: an object with both `@odata.id` and `@odata.type` (a bare link has only the id);
    /// with `kept`, only those whose schema is in it.
    private mutating func remember(embeddedIn value: JSONValue, depth: Int, keeping kept: Set<String>? = nil) {
        guard depth < 8 else { return }
        switch value {
        case .object(let fields):
            if depth > 0, let id = fields["@odata.id"]?.string, fields["@odata.type"]?.string != nil,
                kept.map({ Self.schema(of: value).map($0.contains) ?? false }) ?? true
            {
                answers[Self.key(id)] = RedfishResponse(status: 200, body: value)
            }
            for (name, field) in fields where name != "Links" {
                remember(embeddedIn: field, depth: depth + 1, keeping: kept)
            }
        case .array(let items):
            for item in items { remember(embeddedIn: item, depth: depth + 1, keeping: kept) }
        default:
            return
        }
    }

    /// Forgets everything (after any write: a PATCH, an action or a DELETE can change what was read).
    mutating func forget() {
        answers.removeAll(keepingCapacity: true)
    }

    /// Forgets every document except those of the schemas named in `kept` (`ComputerSystem`,
    /// `ComputerSystemCollection`: the schema part of `@odata.type`).
    mutating func forget(keeping kept: Set<String>) {
        answers = answers.filter { _, answer in Self.schema(of: answer.body).map(kept.contains) ?? false }
    }

    /// `ComputerSystem` for `#ComputerSystem.v1_20_0.ComputerSystem`, `ComputerSystemCollection` for
    /// `#ComputerSystemCollection.ComputerSystemCollection`.
    static func schema(of document: JSONValue) -> String? {
        guard let type = document["@odata.type"].string else { return nil }
        let name = type.hasPrefix("#") ? type.dropFirst() : Substring(type)
        return name.split(separator: ".").first.map(String.init)
    }

    /// `path` without a trailing slash (`/redfish/v1/Systems/1/` and `/redfish/v1/Systems/1` are one resource).
    static func key(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

extension RedfishClient {
    /// A view of this client that answers GETs from what it has already read (`cached(_:)`): discovery and BIOS
    /// planning read through it, so one run does not fetch the same document twice.
    public nonisolated var remembering: some RedfishDocumentSource { Remembering(client: self) }

    /// A view of this client that reads every GET afresh and keeps nothing of it (the service root excepted): for
    /// one-off reads, such as boarding validation's, that judge the BMC as it is now and that no later step reuses.
    public nonisolated var forgetful: some RedfishDocumentSource { Forgetful(client: self) }

    private struct Forgetful: RedfishDocumentSource {
        let client: RedfishClient
        var serviceRootPath: String { client.serviceRootPath }
        func get(_ path: String) async throws -> JSONValue {
            path == client.serviceRootPath
                ? try await client.serviceRoot() : try await client.fetch(path, remembering: false).body
        }
    }

    private struct Remembering: RedfishDocumentSource {
        let client: RedfishClient
        var serviceRootPath: String { client.serviceRootPath }
        func get(_ path: String) async throws -> JSONValue { try await client.cached(path).body }
    }
}

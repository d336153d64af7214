import Redfish

/// A read that failed during a live walk, as saved in a bundle's Redfish tree: replayed, it fails with the same
/// words, so `discover --from-bundle` lists the same problems as the live discovery.
struct RecordedFailure: Error, CustomStringConvertible {
    /// The key of the note in a saved document.
    static let key = "@HWAutomation.ReadFailed"

    /// The live error's description.
    let description: String

    /// The failure a saved document records; nil for an ordinary resource.
    init?(_ document: JSONValue) {
        guard let text = document[Self.key].string else { return nil }
        description = text
    }

    /// The document that records `error`.
    static func note(for error: any Error) -> JSONValue {
        .object([key: .string("\(error)")])
    }
}

/// A saved tree read back: a recorded failure fails again, with the live error's words.
struct ReplayingSource: RedfishDocumentSource {
    let upstream: any RedfishDocumentSource

    var serviceRootPath: String { upstream.serviceRootPath }

    func get(_ path: String) async throws -> JSONValue {
        let document = try await upstream.get(path)
        if let failure = RecordedFailure(document) { throw failure }
        return document
    }
}

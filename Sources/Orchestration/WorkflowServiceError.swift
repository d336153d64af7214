import Foundation

/// Why a workflow operation was refused or failed: the same for the CLI and the API, which only spell the field
/// (`--device-type`, `` `device_type` ``) and pick the exit code or HTTP status.
public struct WorkflowServiceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The input is wrong (HTTP 400): `field` names which part.
        case invalid
        /// No such workflow (404).
        case notFound
        /// The run is not in a state for this (409): finished, driven by another process, waiting for a decision.
        case conflict
        /// The store failed (503).
        case store
    }

    /// An input the operation takes, as each front end spells it.
    public enum Field: String, Sendable, Hashable {
        case definition
        case deviceType = "device_type"
        case tls
        case maasURL = "maas_url"
        case maasCredential = "maas_credential"

        /// The API's name (the JSON key).
        public var apiName: String { rawValue }
        /// The CLI's option (the definition is the command's argument).
        public var cliName: String {
            self == .definition ? "<definition>" : "--" + rawValue.replacingOccurrences(of: "_", with: "-")
        }
    }

    /// What went wrong.
    public var kind: Kind
    /// The input at fault, for `.invalid`.
    public var field: Field?
    /// What a person reads (without the field's name: each front end adds its own spelling).
    public var message: String
    /// The message, after the field's API name when there is one.
    public var description: String { field.map { "`\($0.apiName)`: \(message)" } ?? message }

    /// An error of `kind`.
    public init(_ kind: Kind, field: Field? = nil, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }
}

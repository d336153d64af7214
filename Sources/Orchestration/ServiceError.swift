import Foundation

/// Why an operation of a use-case service (`WorkflowService`, `ServerService`, `MAASService`) was refused or failed: the same for
/// the CLI and the API, which only spell the field (`--device-type`, `` `device_type` ``) and pick the exit code or
/// HTTP status.
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The input is wrong (HTTP 400): `field` names which part.
        case invalid
        /// No such workflow or server (404).
        case notFound
        /// Not in a state for this (409): a finished run, one driven by another process; a server that exists.
        case conflict
        /// The store failed (503).
        case store
        /// A setting is missing or cannot be used: no MAAS region configured, a key not stored or not meant for the
        /// region (503; nothing was sent).
        case unavailable
        /// The other service was asked and failed: MAAS (502).
        case upstream
    }

    /// An input the operation takes, as each front end spells it.
    public enum Field: String, Sendable, Hashable {
        case definition
        case deviceType = "device_type"
        case tls
        case maasURL = "maas_url"
        case maasCredential = "maas_credential"
        case id
        case name
        case bmc
        case credential
        case sshHost = "ssh_host"
        case tags
        case servers
        case all
        case policy
        case waves
        case haltAt = "halt_at"
        case pauseBetween = "pause_between"

        /// The API's name (the JSON key).
        public var apiName: String { rawValue }
        /// The CLI's spelling: the command's argument, or its option.
        public var cliName: String {
            switch self {
            case .definition, .id: "<\(rawValue)>"
            case .sshHost: "--ssh"
            case .servers: "--server"
            default: "--" + rawValue.replacingOccurrences(of: "_", with: "-")
            }
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

extension ServiceError {
    /// `body`'s value; a store failure as `.store` (the API's 503), for every service.
    static func storing<T>(_ body: () async throws -> T) async throws(ServiceError) -> T {
        do {
            return try await body()
        } catch {
            throw ServiceError(.store, "the store failed: \(error)")
        }
    }
}

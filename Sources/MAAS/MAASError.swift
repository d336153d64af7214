/// A MAAS request failed: which request, what status, and what MAAS said.
public struct MAASError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The endpoint or key is malformed.
        case configuration
        /// The API key was refused (401).
        case unauthorized
        /// MAAS answered with an error status.
        case http
        /// No answer: connection refused or reset, TLS failure.
        case transport
        /// No answer in time.
        case timeout
        /// The answer was not what the API describes.
        case invalidResponse
        /// A machine ended in a state the operation cannot continue from (Failed commissioning).
        case failedState
    }

    /// The kind.
    public var kind: Kind

    /// Worth trying again later: no answer came, or not in time. An error answer, a refused key, a malformed
    /// setting or a machine in a failed state is not.
    public var isTransient: Bool { kind == .transport || kind == .timeout }
    /// HTTP method.
    public var method: String
    /// Path below the API base, with its query.
    public var path: String
    /// HTTP status, when there was an answer.
    public var status: Int?
    /// MAAS's response text, or what went wrong.
    public var message: String

    /// An error.
    public init(kind: Kind, method: String, path: String, status: Int?, message: String) {
        self.kind = kind
        self.method = method
        self.path = path
        self.status = status
        self.message = message
    }

    /// `MAAS METHOD path: HTTP status: message`.
    public var description: String {
        "MAAS \(method) \(path)" + (status.map { ": HTTP \($0)" } ?? "") + ": \(message)"
    }
}

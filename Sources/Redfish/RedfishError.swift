/// A Redfish request failed: which BMC, which request, what status, and what the BMC said.
public struct RedfishError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// The BMC answered with an error status.
        case http
        /// No answer: connection refused or reset, TLS failure, DNS.
        case transport
        /// No answer in time.
        case timeout
        /// The answer was not the JSON expected.
        case invalidResponse
        /// Credentials were refused (401/403).
        case unauthorized
        /// The client refused to go on, to keep the credentials safe: a redirect, link or `Location` to another
        /// origin or from https to http, or a BMC URL with a user or password in it; or to repeat an action whose
        /// answer was lost when the BMC cannot tell whether it acted (`outcomeUnknown`). Retrying does not help.
        case refused
    }

    /// The kind.
    public var kind: Kind
    /// `host:port` of the BMC.
    public var bmc: String
    /// HTTP method.
    public var method: String
    /// Request path.
    public var path: String
    /// HTTP status, when there was an answer.
    public var status: Int?
    /// A sentence saying what happened.
    public var message: String
    /// The BMC's `error.@Message.ExtendedInfo[].Message` texts.
    public var extendedInfo: [String]
    /// An action (POST) whose answer was lost, and the BMC could not tell whether it was carried out: it was not
    /// repeated, and it must not be repeated blindly (check the BMC: power state, tasks, sessions).
    public var outcomeUnknown = false

    /// Creates an error.
    public init(
        kind: Kind, bmc: String, method: String, path: String, status: Int? = nil, message: String,
        extendedInfo: [String] = []
    ) {
        self.kind = kind
        self.bmc = bmc
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        self.extendedInfo = extendedInfo
    }

    /// `bmc METHOD path: status message (extended info)`.
    public var description: String {
        var text = "\(bmc) \(method) \(path)"
        if let status { text += ": HTTP \(status)" }
        text += ": \(message)"
        if !extendedInfo.isEmpty { text += " (" + extendedInfo.joined(separator: "; ") + ")" }
        return text
    }
}

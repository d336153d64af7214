import Foundation

/// Where a BMC's Redfish service is and how to talk to it.
public struct RedfishEndpoint: Sendable, CustomStringConvertible {
    /// How the BMC's TLS certificate is checked.
    public enum TLSPolicy: Sendable, Hashable {
        /// Verify against the system's trust store (the default).
        case verify
        /// Verify against the CA certificates in this PEM file (a lab CA, a BMC's self-signed certificate).
        case trustRoots(pemFile: String)
        /// Trust exactly the certificate in this PEM file (pinned on first use), without hostname checks.
        case pinned(pemFile: String)
        /// Do not verify: only when a person turns it off for this BMC (`--insecure`).
        case insecure
    }

    /// Base URL (`https://10.0.0.5` or `https://10.0.0.5:8443`); paths are resolved against it.
    public var baseURL: URL
    /// User name for Basic auth, if any.
    public var username: String?
    /// Password; never logged or printed.
    public var password: String?
    /// TLS certificate policy.
    public var tls: TLSPolicy
    /// Per-request timeout.
    public var timeout: Duration
    /// Attempts for a request that fails with 5xx, a connection error or a transient vendor state.
    public var attempts: Int
    /// Longest wait between polls of a task monitor (a BMC's Retry-After is honoured up to this).
    public var maxTaskPoll: Duration
    /// Longest a task may run before waiting for it gives up.
    public var taskTimeout: Duration
    /// Use a Redfish session (X-Auth-Token) when the service offers one; Basic auth otherwise.
    public var preferSessions: Bool

    /// Creates an endpoint.
    public init(
        baseURL: URL, username: String? = nil, password: String? = nil, tls: TLSPolicy = .verify,
        timeout: Duration = .seconds(30), attempts: Int = 3, maxTaskPoll: Duration = .seconds(10),
        taskTimeout: Duration = .seconds(1800), preferSessions: Bool = true
    ) {
        self.baseURL = baseURL
        self.username = username
        self.password = password
        self.tls = tls
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.maxTaskPoll = maxTaskPoll
        self.taskTimeout = taskTimeout
        self.preferSessions = preferSessions
    }

    /// A BMC's Redfish URL as an operator or API client gives it (`https://10.0.0.5`, `10.0.0.5:8443`; a bare
    /// address means https). Refused, with an error that never repeats the password: anything but http(s) with a
    /// host, and a URL with a user or password in it (`https://admin:pw@10.0.0.5`), since the URL is stored, logged
    /// and shown; the user and password go in the credential.
    public static func parseBaseURL(_ text: String) throws(RedfishError) -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let candidate = trimmed.contains("://") ? trimmed : "https://" + trimmed
        let components = URLComponents(string: candidate)
        let shown = components.map(Self.redacted) ?? "the BMC URL"
        guard let components, let url = components.url, let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
        else {
            throw RedfishError(
                kind: .refused, bmc: shown, method: "-", path: "-",
                message: "not a BMC address or Redfish URL (https://10.0.0.5, or 10.0.0.5)")
        }
        try checkNoCredentials(url)
        return url
    }

    /// Refuses a base URL that carries a user or password (every client checks this; `parseBaseURL` does too).
    public static func checkNoCredentials(_ url: URL) throws(RedfishError) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            components.user != nil || components.password != nil
        else { return }
        var bare = components
        bare.user = nil
        bare.password = nil
        throw RedfishError(
            kind: .refused, bmc: redacted(components), method: "-", path: "-",
            message: "the BMC URL carries a user or password, and URLs are stored, logged and shown; give "
                + (bare.string ?? "the URL without them")
                + " and the login as a credential (--user with --password-env or --password-file, or a stored one)")
    }

    /// `components` as text with any user and password replaced by `***`.
    static func redacted(_ components: URLComponents) -> String {
        var shown = components
        let hadCredentials = shown.user != nil || shown.password != nil
        shown.user = nil
        shown.password = nil
        guard hadCredentials, let text = shown.string, let range = text.range(of: "://") else {
            return shown.string ?? "the BMC URL"
        }
        return text.replacingCharacters(in: range, with: "://***@")
    }

    /// `host:port` of the BMC, as errors and logs name it.
    public var host: String {
        let host = baseURL.host ?? baseURL.absoluteString
        return baseURL.port.map { "\(host):\($0)" } ?? host
    }

    /// The base URL and user; never the password.
    public var description: String {
        "\(baseURL.absoluteString)" + (username.map { " as \($0)" } ?? "")
    }
}

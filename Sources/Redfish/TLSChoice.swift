/// How a person asks for a BMC's certificate to be checked (`verify`, `insecure`, `pin`, `ca:FILE`): the one parser
/// of that setting for the CLI, the API and the workflows, turned into the client's `RedfishEndpoint.TLSPolicy`.
public enum TLSChoice: Sendable, Hashable, CustomStringConvertible {
    /// Against the system's trust store (the default).
    case verify
    /// Not at all: only when a person turns it off for this BMC.
    case insecure
    /// The certificate pinned on first use (`CertificatePins`).
    case pin
    /// Against the CA certificates in a PEM file.
    case caFile(String)

    /// The words a person may use.
    public static let choices = "verify, insecure, pin or ca:FILE"

    /// `text` as a choice; nil for anything else.
    public init?(_ text: String) {
        switch text {
        case "verify": self = .verify
        case "insecure": self = .insecure
        case "pin": self = .pin
        case let value where value.hasPrefix("ca:") && value.count > 3: self = .caFile(String(value.dropFirst(3)))
        default: return nil
        }
    }

    /// The setting as written.
    public var description: String {
        switch self {
        case .verify: "verify"
        case .insecure: "insecure"
        case .pin: "pin"
        case .caFile(let file): "ca:" + file
        }
    }

    /// The client's policy for the BMC at `host:port`; `pin` reads (or, on first contact, records) its pin in `pins`
    /// (made only then: its default directory is read from the environment).
    public func policy(host: String, port: Int, pins: @autoclosure () -> CertificatePins) async throws(RedfishError)
        -> RedfishEndpoint.TLSPolicy
    {
        switch self {
        case .verify: .verify
        case .insecure: .insecure
        case .caFile(let file): .trustRoots(pemFile: file)
        case .pin: try await pins().policy(host: host, port: port)
        }
    }
}

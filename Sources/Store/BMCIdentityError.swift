import Foundation

/// A BMC address (or system id) that cannot name a BMC.
public struct BMCIdentityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The address as given, with any user info (`user:password@`) replaced by `…@`.
    public var address: String
    /// What is wrong with it.
    public var reason: String

    /// An error about `address` (redacted here: the user info never reaches a message).
    init(_ address: String, _ reason: String) {
        self.address = Self.redacted(address)
        self.reason = reason
    }

    /// The message.
    public var description: String {
        "`\(address)` cannot name a BMC: \(reason) (examples: https://10.0.0.5, 10.0.0.5, bmc-1.example.com:8443, "
            + "http://127.0.0.1:8000/bmc/3, [fe80::1])"
    }

    /// `address` with the user info of its authority (everything up to its last `@`) replaced by `…@`.
    static func redacted(_ address: String) -> String {
        let start = address.range(of: "://")?.upperBound ?? address.startIndex
        let end = address[start...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? address.endIndex
        guard let at = address[start..<end].lastIndex(of: "@") else { return address }
        return String(address[..<start]) + "…" + String(address[at...])
    }
}

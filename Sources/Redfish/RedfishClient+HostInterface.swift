/// The manager's in-band doors: the DMTF host interface (Redfish from the host OS over a USB NIC) and, on
/// Supermicro, the privilege the host gets over the KCS (in-band IPMI) interface.
extension RedfishClient {
    /// One `HostInterface` resource.
    public struct HostInterface: Sendable, Hashable, Codable {
        /// Its path.
        public var path: String
        /// `HostInterfaceType` (`NetworkHostInterface`).
        public var type: String?
        /// `InterfaceEnabled`.
        public var enabled: Bool

        /// Reads a `HostInterface` document; nil without `InterfaceEnabled`.
        public init?(path: String, document: JSONValue) {
            guard let enabled = document["InterfaceEnabled"].bool else { return nil }
            self.path = path
            self.type = document["HostInterfaceType"].string
            self.enabled = enabled
        }
    }

    /// Privileges Supermicro's `Oem/Supermicro/KCSInterface` accepts, most to least.
    public enum KCSPrivilege: String, Sendable, CaseIterable, Codable {
        /// Full control from the host.
        case administrator = "Administrator"
        /// Operator.
        case `operator` = "Operator"
        /// Read-mostly.
        case user = "User"
        /// Next to nothing: the host cannot reconfigure the BMC.
        case callback = "Callback"
    }

    /// The first manager's path.
    public func firstManager() async throws(RedfishError) -> String {
        guard let manager = try await members(of: "Managers").first else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: "/redfish/v1/Managers",
                message: "the BMC lists no manager")
        }
        return manager
    }

    /// The manager's host interfaces; a manager without the `HostInterfaces` link is an error naming it.
    public func hostInterfaces(manager: String) async throws(RedfishError) -> [HostInterface] {
        let document = try await fetch(manager).body
        guard let collection = document["HostInterfaces"]["@odata.id"].string else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: manager,
                message: "the manager offers no HostInterfaces")
        }
        var interfaces: [HostInterface] = []
        for member in try await fetch(collection).body["Members"].array.compactMap({ $0["@odata.id"].string }) {
            interfaces.append(try await hostInterface(member))
        }
        return interfaces
    }

    /// Turns every host interface of the manager on or off, then reads each back.
    public func setHostInterfaces(manager: String, enabled: Bool) async throws(RedfishError) -> [HostInterface] {
        var result: [HostInterface] = []
        for interface in try await hostInterfaces(manager: manager) {
            if interface.enabled != enabled {
                _ = try await patch(interface.path, .object(["InterfaceEnabled": .bool(enabled)]))
            }
            let now = try await hostInterface(interface.path)
            guard now.enabled == enabled else {
                throw RedfishError(
                    kind: .invalidResponse, bmc: endpoint.host, method: "PATCH", path: interface.path,
                    message: "InterfaceEnabled still reads \(now.enabled) after setting it to \(enabled)")
            }
            result.append(now)
        }
        return result
    }

    /// Supermicro's KCS privilege. Only a manager that links `Oem/Supermicro/KCSInterface` has it; any other is an
    /// error naming the BMC (nothing is guessed for other makers).
    public func kcsPrivilege(manager: String) async throws(RedfishError) -> KCSPrivilege {
        let path = try await kcsPath(manager: manager)
        return try await readKCS(path)
    }

    /// Sets Supermicro's KCS privilege and reads it back.
    public func setKCSPrivilege(_ privilege: KCSPrivilege, manager: String) async throws(RedfishError) {
        let path = try await kcsPath(manager: manager)
        _ = try await patch(path, .object(["Privilege": .string(privilege.rawValue)]))
        let now = try await readKCS(path)
        guard now == privilege else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "PATCH", path: path,
                message: "Privilege still reads \(now.rawValue) after setting it to \(privilege.rawValue)")
        }
    }

    private func hostInterface(_ path: String) async throws(RedfishError) -> HostInterface {
        guard let interface = HostInterface(path: path, document: try await fetch(path).body) else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: path,
                message: "the host interface has no InterfaceEnabled")
        }
        return interface
    }

    private func kcsPath(manager: String) async throws(RedfishError) -> String {
        let document = try await fetch(manager).body
        guard let path = document["Oem"]["Supermicro"]["KCSInterface"]["@odata.id"].string else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: manager,
                message: "the manager has no Oem/Supermicro/KCSInterface (not a Supermicro BMC, or firmware without it)"
            )
        }
        return path
    }

    private func readKCS(_ path: String) async throws(RedfishError) -> KCSPrivilege {
        let value = try await fetch(path).body["Privilege"].string
        guard let value, let privilege = KCSPrivilege(rawValue: value) else {
            throw RedfishError(
                kind: .invalidResponse, bmc: endpoint.host, method: "GET", path: path,
                message: "Privilege \(value.map { "\"\($0)\"" } ?? "is missing"); expected one of "
                    + KCSPrivilege.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return privilege
    }
}

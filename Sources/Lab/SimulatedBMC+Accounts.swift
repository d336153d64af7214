import Redfish

/// The lab BMC's users and what each may do: Redfish's three predefined roles (`AccountService/Roles`) with the
/// privileges DSP0266 assigns them (Redfish Specification, "Privilege model": Administrator has Login,
/// ConfigureManager, ConfigureUsers, ConfigureComponents, ConfigureSelf; Operator has Login, ConfigureComponents,
/// ConfigureSelf; ReadOnly has Login, ConfigureSelf), checked on every authenticated request, and accounts that can
/// be deleted.
extension SimulatedBMC {
    /// A predefined role and its privileges.
    struct Role: Sendable {
        /// `Administrator`, `Operator`, `ReadOnly`.
        var id: String
        /// The privileges it grants.
        var privileges: [String]
    }

    /// Redfish's predefined roles.
    static let roles: [Role] = [
        Role(
            id: "Administrator",
            privileges: ["Login", "ConfigureManager", "ConfigureUsers", "ConfigureComponents", "ConfigureSelf"]),
        Role(id: "Operator", privileges: ["Login", "ConfigureComponents", "ConfigureSelf"]),
        Role(id: "ReadOnly", privileges: ["Login", "ConfigureSelf"]),
    ]

    /// `AccountService/Roles/{id}`.
    func role(_ id: String) -> LabResponse {
        guard let role = Self.roles.first(where: { $0.id == id }) else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No role \(id).")
        }
        return ok(
            .object([
                "@odata.id": .string(Self.root + "/AccountService/Roles/\(id)"), "Id": .string(id),
                "Name": .string("\(id) Role"), "RoleId": .string(id), "IsPredefined": .bool(true),
                "AssignedPrivileges": .array(role.privileges.map { .string($0) }),
            ]))
    }

    /// Deletes an account; the lab's own login account (slot 2) is kept, as a BMC keeps its last administrator.
    mutating func deleteAccount(_ id: String, _ request: LabRequest) -> LabResponse {
        guard let slot = Int(id), accounts[slot] != nil else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No account \(id).")
        }
        guard slot != 2 else {
            return .error(
                400, "Base.1.8.ActionNotSupported", "Account 2 is the BMC's administrator and cannot be deleted.")
        }
        accounts[slot] = nil
        sessions = sessions.filter { session in accounts.values.contains { $0.user == session.value.user } }
        return LabResponse(status: 204)
    }

    /// A 403 when `user`'s role lacks the privilege `request` needs; nil when it may proceed. Reading needs Login;
    /// ending one's own session or changing one's own account needs ConfigureSelf; other changes to accounts need
    /// ConfigureUsers, to the manager ConfigureManager, and to everything else ConfigureComponents.
    func forbidden(_ request: LabRequest, user: String) -> LabResponse? {
        guard request.method != "GET", request.method != "HEAD" else { return nil }
        let account = accounts.first { $0.value.user == user }
        let privileges = Set(Self.roles.first { $0.id == account?.value.role }?.privileges ?? [])
        let parts = Array(request.path.split(separator: "/").map(String.init).dropFirst(2))
        let top = parts.first ?? ""
        let needed: String
        if parts.starts(with: ["SessionService", "Sessions"]) {
            let own = sessions.values.contains { $0.id == parts.last && $0.user == user }
            needed = own || parts.count == 2 ? "ConfigureSelf" : "ConfigureManager"
        } else if parts.starts(with: ["AccountService", "Accounts"]) {
            let ownSlot = account.map { String($0.key) }
            needed = parts.count == 3 && parts.last == ownSlot ? "ConfigureSelf" : "ConfigureUsers"
        } else if top == "AccountService" {
            needed = "ConfigureUsers"
        } else if top == "Managers" || top == "SessionService" {
            needed = "ConfigureManager"
        } else {
            needed = "ConfigureComponents"
        }
        guard !privileges.contains(needed) else { return nil }
        return .error(
            403, "Base.1.8.InsufficientPrivilege",
            "\(user) (\(account?.value.role ?? "no role")) lacks the \(needed) privilege \(request.method) "
                + "\(request.path) needs.")
    }
}

import Redfish

/// The manager's host interface (DMTF `HostInterface`: Redfish from the host over a USB NIC) and, on Supermicro,
/// the KCS interface's privilege (`Oem/Supermicro/KCSInterface`), the two in-band doors a commissioning policy
/// closes or opens.
extension SimulatedBMC {
    /// Privileges Supermicro's KCSInterface accepts.
    static let kcsPrivileges = ["Administrator", "Operator", "User", "Callback"]

    /// Answers the host-interface and KCS routes; nil for any other route.
    mutating func inBandInterfaceRoute(_ route: Route, _ request: LabRequest) -> LabResponse? {
        let r = Self.root
        if route.is("GET", "Managers", "1", "HostInterfaces") {
            return ok(collection("HostInterfaces", ["\(r)/Managers/1/HostInterfaces/1"]))
        }
        if route.is("GET", "Managers", "1", "HostInterfaces", "1") { return ok(hostInterfaceResource) }
        if route.is("PATCH", "Managers", "1", "HostInterfaces", "1") {
            guard let enabled = request.body?["InterfaceEnabled"].bool else {
                return .error(400, "Base.1.8.PropertyMissing", "InterfaceEnabled (boolean) is required.")
            }
            if hostInterfaceEnabled == enabled { counters.redundantPatches += 1 }
            hostInterfaceEnabled = enabled
            counters.patches += 1
            return ok(hostInterfaceResource)
        }
        guard profile == .supermicro else { return nil }
        if route.is("GET", "Managers", "1", "Oem", "Supermicro", "KCSInterface") { return ok(kcsResource) }
        if route.is("PATCH", "Managers", "1", "Oem", "Supermicro", "KCSInterface") {
            guard let privilege = request.body?["Privilege"].string, Self.kcsPrivileges.contains(privilege) else {
                return .error(
                    400, "Base.1.8.PropertyValueNotInList",
                    "Privilege must be one of \(Self.kcsPrivileges.joined(separator: ", ")).")
            }
            if kcsPrivilege == privilege { counters.redundantPatches += 1 }
            kcsPrivilege = privilege
            counters.patches += 1
            return ok(kcsResource)
        }
        return nil
    }

    var hostInterfaceResource: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/Managers/1/HostInterfaces/1"), "Id": .string("1"),
            "HostInterfaceType": .string("NetworkHostInterface"), "InterfaceEnabled": .bool(hostInterfaceEnabled),
            "Status": .object(["State": .string(hostInterfaceEnabled ? "Enabled" : "Disabled")]),
        ])
    }

    var kcsResource: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/Managers/1/Oem/Supermicro/KCSInterface"),
            "@odata.type": .string("#KCSInterface.v1_0_0.KCSInterface"), "Id": .string("KCSInterface"),
            "Privilege": .string(kcsPrivilege),
        ])
    }
}

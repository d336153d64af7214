import Foundation
import Redfish

/// Users, zones, resource pools and domains: the lab's region has one of each, MAAS's defaults.
///
/// Shapes: canonical/maas `src/maasserver/api/users.py` (`username`, `email`, `is_local`, `is_superuser`;
/// `op=whoami`), `zones.py` (`DISPLAYED_ZONE_FIELDS`: `id`, `name`, `description`; read by name),
/// `resourcepools.py` (`DISPLAYED_RESOURCEPOOL_FIELDS`; `resourcepools/` lists, `resourcepool/{id}/` reads by id
/// or name), `domains.py` (`DISPLAYED_DOMAIN_FIELDS`); values as in `examples/users.json`, `examples/domains.json`
/// and `examples/machines.json`.
extension SimulatedMAAS {
    var userJSON: JSONValue {
        .object([
            "username": .string(user), "email": .string("\(user)@lab.invalid"), "is_local": .bool(true),
            "is_superuser": .bool(true), "resource_uri": .string("/MAAS/api/2.0/users/\(user)/"),
        ])
    }

    var zoneJSON: JSONValue {
        .object([
            "id": .number(1), "name": .string(Self.zoneName), "description": .string(""),
            "resource_uri": .string("/MAAS/api/2.0/zones/\(Self.zoneName)/"),
        ])
    }

    var poolJSON: JSONValue {
        .object([
            "id": .number(0), "name": .string(Self.poolName), "description": .string("Default pool"),
            "resource_uri": .string("/MAAS/api/2.0/resourcepool/0/"),
        ])
    }

    var domainJSON: JSONValue {
        .object([
            "id": .number(0), "name": .string(Self.domainName), "authoritative": .bool(true), "ttl": .null,
            "is_default": .bool(true), "resource_record_count": .number(Double(machines.count)),
            "resource_uri": .string("/MAAS/api/2.0/domains/0/"),
        ])
    }

    /// `users/`, `zones/`, `resourcepools/`, `resourcepool/{id}/`, `domains/` and their members.
    func directoryRoute(_ request: Request, _ parts: [String]) -> LabResponse {
        let path = parts.joined(separator: "/") + "/"
        // urls_api.py: `resourcepools/` is the collection, `resourcepool/{id}/` a member; no other depth.
        guard parts.count <= 2, !(parts[0] == "resourcepool" && parts.count == 1),
            !(parts[0] == "resourcepools" && parts.count == 2)
        else { return notFound(request.method, path) }
        switch (request.method, request.op, parts.count) {
        case ("GET", nil, 1):
            let one: [String: JSONValue] = [
                "users": userJSON, "zones": zoneJSON, "resourcepools": poolJSON, "domains": domainJSON,
            ]
            return json(.array([one[parts[0]] ?? .null]))
        case ("GET", "whoami", 1) where parts[0] == "users":
            return json(userJSON)
        case ("GET", nil, 2):
            let key = parts[1]
            switch parts[0] {
            case "users" where key == user: return json(userJSON)
            case "zones" where key == Self.zoneName: return json(zoneJSON)
            case "resourcepool" where key == "0" || key == Self.poolName: return json(poolJSON)
            case "domains" where key == "0" || key == Self.domainName: return json(domainJSON)
            case "users", "zones", "resourcepool", "domains":
                let model = ["users": "User", "zones": "Zone", "resourcepool": "ResourcePool", "domains": "Domain"]
                return LabResponse(status: 404, rawBody: "No \(model[parts[0]] ?? "") matches the given query.")
            default: return notFound(request.method, path)
            }
        default:
            return unrecognised(request)
        }
    }
}

import Foundation
import Redfish

/// `describe/` and `version/`, the two calls MAAS answers without a key.
///
/// `describe/` has the shape of canonical/maas `src/maasserver/api/doc.py` `_describe_api` and
/// `doc_handler.py` `describe`: `{"doc": "MAAS API", "resources": [...], "handlers": [...]}`, each resource
/// `{"name", "anon", "auth"}` (the handler for anonymous and for authenticated callers, or null), each handler
/// `{"name", "doc", "params", "path", "uri", "actions"}` with `uri` absolute (scheme and host of the request), and each
/// action `{"name", "method", "op", "restful", "doc"}` (`name` is the op, or read/create/update/delete for the
/// RESTful ones). python-libmaas builds its whole binding from it (`maas.client.bones.SessionAPI`: handler names
/// without `Handler` become `origin.Machines`, `origin.Tag`...). It lists the handlers and actions this region
/// serves, under MAAS's own names, paths and URI parameters (urls_api.py); MAAS's other handlers are left out rather
/// than described and then refused.
extension SimulatedMAAS {
    /// One handler this region serves: MAAS's class name, its URI template below `/MAAS/api/2.0/`, its URI
    /// parameters, its doc line and its actions as (method, op) — op nil for the RESTful ones.
    struct HandlerShape {
        var name: String
        var path: String
        var params: [String]
        var doc: String
        var actions: [(method: String, op: String?)]
        var anonymous = false
    }

    /// The handlers served, with the actions of each (machines.py, nodes.py, interfaces.py, tags.py, users.py,
    /// zones.py, resourcepools.py, domains.py, version.py).
    static let handlerShapes: [HandlerShape] = [
        HandlerShape(
            name: "DomainHandler", path: "domains/{id}/", params: ["id"], doc: "Manage domain.",
            actions: [("GET", nil)]),
        HandlerShape(
            name: "DomainsHandler", path: "domains/", params: [], doc: "Manage domains.", actions: [("GET", nil)]),
        HandlerShape(
            name: "InterfaceHandler", path: "nodes/{system_id}/interfaces/{id}/", params: ["system_id", "id"],
            doc: "Manage a node's or device's interface.", actions: [("GET", nil)]),
        HandlerShape(
            name: "InterfacesHandler", path: "nodes/{system_id}/interfaces/", params: ["system_id"],
            doc: "Manage interfaces on a node.", actions: [("GET", nil)]),
        HandlerShape(
            name: "MachineHandler", path: "machines/{system_id}/", params: ["system_id"],
            doc: "Manage an individual machine.",
            actions: [
                ("GET", nil), ("PUT", nil), ("POST", "abort"), ("POST", "commission"), ("POST", "deploy"),
                ("POST", "mark_broken"), ("POST", "mark_fixed"), ("GET", "power_parameters"), ("POST", "power_off"),
                ("POST", "power_on"), ("GET", "query_power_state"), ("POST", "release"),
            ]),
        HandlerShape(
            name: "MachinesHandler", path: "machines/", params: [], doc: "Manage the collection of all the machines.",
            actions: [("GET", nil), ("POST", "allocate"), ("GET", "power_parameters")]),
        HandlerShape(
            name: "ResourcePoolHandler", path: "resourcepool/{id}/", params: ["id"], doc: "Manage a resource pool.",
            actions: [("GET", nil)]),
        HandlerShape(
            name: "ResourcePoolsHandler", path: "resourcepools/", params: [], doc: "Manage resource pools.",
            actions: [("GET", nil)]),
        HandlerShape(
            name: "TagHandler", path: "tags/{name}/", params: ["name"],
            doc: "Tags are properties that can be "
                + "associated with a Node and serve as criteria for selecting and allocating nodes.",
            actions: [
                ("GET", nil), ("PUT", nil), ("DELETE", nil), ("GET", "machines"), ("GET", "nodes"),
                ("POST", "update_nodes"),
            ]),
        HandlerShape(
            name: "TagsHandler", path: "tags/", params: [], doc: "Manage all tags known to MAAS.",
            actions: [("GET", nil), ("POST", nil)]),
        HandlerShape(
            name: "UserHandler", path: "users/{username}/", params: ["username"], doc: "Manage a user account.",
            actions: [("GET", nil)]),
        HandlerShape(
            name: "UsersHandler", path: "users/", params: [], doc: "Manage the user accounts of this MAAS.",
            actions: [("GET", nil), ("GET", "whoami")]),
        HandlerShape(
            name: "VersionHandler", path: "version/", params: [], doc: "Information about this MAAS instance.",
            actions: [("GET", nil)], anonymous: true),
        HandlerShape(
            name: "ZoneHandler", path: "zones/{name}/", params: ["name"], doc: "Manage a physical zone.",
            actions: [("GET", nil)]),
        HandlerShape(
            name: "ZonesHandler", path: "zones/", params: [], doc: "Manage physical zones.", actions: [("GET", nil)]),
    ]

    /// Piston's CRUD names for the RESTful methods (`support.py` `OperationsResource.crudmap`).
    static let crudNames = ["GET": "read", "POST": "create", "PUT": "update", "DELETE": "delete"]

    /// The API description, with handler URIs on `http://host` (paths alone without a host).
    func describe(host: String?) -> JSONValue {
        var resources: [JSONValue] = []
        var anonymous: [JSONValue] = []
        var authenticated: [JSONValue] = []
        for shape in Self.handlerShapes {
            let path = "/MAAS/api/2.0/" + shape.path
            let actions = shape.actions.map { action in
                let name = action.op ?? Self.crudNames[action.method] ?? action.method.lowercased()
                return (
                    name,
                    JSONValue.object([
                        "name": .string(name), "method": .string(action.method),
                        "op": action.op.map { .string($0) } ?? .null, "restful": .bool(action.op == nil),
                        "doc": .string("\(name) (\(action.method) \(path)\(action.op.map { "?op=\($0)" } ?? ""))"),
                    ])
                )
            }
            let handler = JSONValue.object([
                "name": .string(shape.name), "doc": .string(shape.doc), "path": .string(path),
                "uri": .string(host.map { "http://\($0)\(path)" } ?? path),
                "params": .array(shape.params.map { .string($0) }),
                "actions": .array(actions.sorted { $0.0 < $1.0 }.map(\.1)),
            ])
            if shape.anonymous { anonymous.append(handler) } else { authenticated.append(handler) }
            resources.append(
                .object([
                    "name": .string(shape.name), "anon": shape.anonymous ? handler : .null,
                    "auth": shape.anonymous ? .null : handler,
                ]))
        }
        return .object([
            "doc": .string("MAAS API"), "resources": .array(resources),
            "handlers": .array(anonymous + authenticated),
        ])
    }

    /// `version/` (version.py `VersionHandler.read`): MAAS 3.4's capabilities but `authenticate-api`, since this
    /// region serves no password log-in (`accounts/authenticate/`); `subversion` is unused since MAAS 3.
    var version: JSONValue {
        .object([
            "version": .string("3.4.0"), "subversion": .string(""),
            "capabilities": .array(
                [
                    "networks-management", "static-ipaddresses", "ipv6-deployment-ubuntu", "devices-management",
                    "storage-deployment-ubuntu", "network-deployment-ubuntu", "bridging-interface-ubuntu",
                    "bridging-automatic-ubuntu",
                ].map { .string($0) }),
        ])
    }
}

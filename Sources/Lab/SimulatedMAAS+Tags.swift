import Foundation
import Redfish

/// Tags: canonical/maas `src/maasserver/api/tags.py`. `TagsHandler` lists and creates (fields `name`, `definition`,
/// `comment`, `kernel_opts`, plus `resource_uri`: `examples/tags.json`); `TagHandler` reads, updates, deletes,
/// lists the tag's machines or nodes (`op=machines`, `op=nodes`) and adds or removes nodes
/// (`op=update_nodes`, answering `{"added": n, "removed": m}`).
extension SimulatedMAAS {
    mutating func tagsRoute(_ request: Request, _ rest: [String]) -> LabResponse {
        if rest.isEmpty {
            switch (request.method, request.op) {
            case ("GET", nil):
                return json(.array(tags.keys.sorted().map { tagJSON($0) }))
            case ("POST", nil):
                guard let name = request.value("name"), !name.isEmpty else {
                    return LabResponse(
                        status: 400, body: .object(["name": .array([.string("This field is required.")])]))
                }
                guard tags[name] == nil else {
                    return LabResponse(
                        status: 400, body: .object(["name": .array([.string("Tag with this Name already exists.")])]))
                }
                tags[name] = (
                    request.value("comment") ?? "", request.value("definition") ?? "",
                    request.value("kernel_opts") ?? ""
                )
                return json(tagJSON(name))
            default:
                return unrecognised(request)
            }
        }
        guard rest.count == 1 else { return notFound(request.method, "tags/" + rest.joined(separator: "/") + "/") }
        let name = rest[0]
        guard tags[name] != nil else { return LabResponse(status: 404, rawBody: "No Tag matches the given query.") }
        switch (request.method, request.op) {
        case ("GET", nil):
            return json(tagJSON(name))
        case ("PUT", nil):
            if let comment = request.value("comment") { tags[name]?.comment = comment }
            if let definition = request.value("definition") { tags[name]?.definition = definition }
            if let options = request.value("kernel_opts") { tags[name]?.kernelOptions = options }
            if let renamed = request.value("name"), !renamed.isEmpty, renamed != name {
                guard tags[renamed] == nil else {
                    return LabResponse(
                        status: 400, body: .object(["name": .array([.string("Tag with this Name already exists.")])]))
                }
                tags[renamed] = tags.removeValue(forKey: name)
                for index in machines.indices where machines[index].tags.remove(name) != nil {
                    machines[index].tags.insert(renamed)
                }
                return json(tagJSON(renamed))
            }
            return json(tagJSON(name))
        case ("DELETE", nil):
            tags[name] = nil
            for index in machines.indices { machines[index].tags.remove(name) }
            return LabResponse(status: 204)
        case ("GET", "machines"), ("GET", "nodes"):
            return json(
                .array(machines.filter { $0.tags.contains(name) }.map { render($0, now: request.now) }))
        case ("POST", "update_nodes"):
            // A `definition` that is not the tag's own is refused (409, text); unknown system ids are skipped;
            // `added` and `removed` count the nodes named that exist (tags.py TagHandler.update_nodes).
            if let definition = request.value("definition"), definition != tags[name]?.definition {
                return LabResponse(
                    status: 409,
                    rawBody: "Definition supplied '\(definition)' doesn't match current definition "
                        + "'\(tags[name]?.definition ?? "")'")
            }
            let add = Set(request.form["add"] ?? [])
            let remove = Set(request.form["remove"] ?? [])
            var added = 0
            var removed = 0
            for index in machines.indices where add.contains(machines[index].systemID) {
                machines[index].tags.insert(name)
                added += 1
            }
            for index in machines.indices where remove.contains(machines[index].systemID) {
                machines[index].tags.remove(name)
                removed += 1
            }
            return json(.object(["added": .number(Double(added)), "removed": .number(Double(removed))]))
        default:
            return unrecognised(request)
        }
    }

    func tagJSON(_ name: String) -> JSONValue {
        .object([
            "name": .string(name), "comment": .string(tags[name]?.comment ?? ""),
            "definition": .string(tags[name]?.definition ?? ""),
            "kernel_opts": .string(tags[name]?.kernelOptions ?? ""),
            "resource_uri": .string("/MAAS/api/2.0/tags/\(name)/"),
        ])
    }
}

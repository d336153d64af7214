import Foundation
import Redfish

/// The HTTP protocol a Redfish service speaks (DSP0266, Redfish Specification 1.21: "Protocol details", "Service
/// requests", "Service responses"), applied to every request in one place: an OData-Version other than 4.0 is
/// refused (412); a `$` query parameter the lab does not implement answers 501 (`$skip` is implemented where the lab
/// pages, a log's entries); `If-Match` guards every PATCH and PUT
/// (412 when it does not match the resource's ETag, which changes on every write); `If-None-Match` with the current
/// ETag answers 304; a POST to a collection's `Members` is a POST to the collection; every GET and HEAD answer
/// carries `Allow`, `Cache-Control`, `Link: <schema>; rel=describedby` and `@odata.etag`; a 201 carries the new
/// resource's whole representation. Checked by DMTF's Redfish Protocol Validator (`RedfishProtocolValidatorTests`).
extension SimulatedBMC {
    /// The `$` query parameters the lab implements everywhere; `$skip` only on a log's `Entries`, the collection it
    /// pages (`SimulatedBMC+Logs.swift`).
    static let supportedQueries: Set<String> = ["$expand"]

    /// `request` as the lab routes it: a POST to `<collection>/Members` goes to the collection.
    static func routed(_ request: LabRequest) -> LabRequest {
        guard request.method == "POST", request.path.hasSuffix("/Members") else { return request }
        var request = request
        request.path.removeLast("/Members".count)
        return request
    }

    /// The refusal DSP0266 requires before `request` is performed, if any.
    mutating func protocolRefusal(_ request: LabRequest, now: Double) -> LabResponse? {
        if let version = request.headers["odata-version"], version.trimmingCharacters(in: .whitespaces) != "4.0" {
            return .error(
                412, "Base.1.8.PreconditionFailed",
                "OData-Version \(version) is not supported; this service speaks 4.0.")
        }
        for parameter in request.query.split(separator: "&") {
            let raw = String(parameter.split(separator: "=", maxSplits: 1).first ?? "")
            let name = raw.removingPercentEncoding ?? raw
            let paged = name == "$skip" && request.path.contains("/LogServices/") && request.path.hasSuffix("/Entries")
            if name.hasPrefix("$"), !Self.supportedQueries.contains(name), !paged {
                return .error(501, "Base.1.8.QueryNotSupported", "The query parameter \(name) is not supported.")
            }
        }
        // The BIOS settings object checks its own ETag (`patchBIOS`), as the vendors' do.
        let (bios, settingsName) = settingsSegments
        let isSettings = request.path.hasSuffix("/Systems/1/\(bios)/\(settingsName)")
        if ["PATCH", "PUT"].contains(request.method), !isSettings, let match = request.headers["if-match"],
            match != "*"
        {
            var read = request
            read.method = "GET"
            read.query = ""
            read.body = nil
            let current = Self.conformed(
                answer(read, now: now, counted: false), path: request.path, generation: generation(of: request.path))
            if current.status == 200, let etag = current.headers["ETag"], !Self.etags(match, etag) {
                counters.preconditionFailures += 1
                return .error(
                    412, "Base.1.8.PreconditionFailed", "The ETag \(match) does not match the resource's (\(etag)).")
            }
        }
        return nil
    }

    /// Whether two ETags name the same version (weak comparison: `W/` ignored).
    static func etags(_ first: String, _ second: String) -> Bool {
        func strong(_ tag: String) -> String { tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }
        return first.split(separator: ",").contains {
            strong($0.trimmingCharacters(in: .whitespaces)) == strong(second)
        }
    }

    /// How many writes (PATCH, PUT) `path` has taken: part of its ETag, so that every write rotates it.
    func generation(of path: String) -> Int {
        writeGenerations[Self.canonical(path)] ?? 0
    }

    /// Counts a write that succeeded.
    mutating func recordWrite(_ request: LabRequest, _ response: LabResponse) {
        guard ["PATCH", "PUT"].contains(request.method), (200..<300).contains(response.status) else { return }
        writeGenerations[Self.canonical(request.path), default: 0] += 1
    }

    /// `path` without a trailing slash.
    static func canonical(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// The headers every GET or HEAD answer carries, and `@odata.etag`; 304 when `If-None-Match` names the ETag.
    static func withResponseHeaders(_ response: LabResponse, request: LabRequest) -> LabResponse {
        var response = response
        response.headers["Cache-Control"] = "no-cache"
        guard response.status == 200 else { return response }
        let segments = canonical(request.path).split(separator: "/").map(String.init)
        if segments.count >= 2, segments[0] == "redfish", segments[1] == "v1",
            let kind = resourceKind(Array(segments.dropFirst(2)))
        {
            response.headers["Allow"] = kind.allowed.joined(separator: ", ")
        } else if segments == ["redfish"] {
            response.headers["Allow"] = "GET, HEAD"
        }
        if case .object(var body)? = response.body, let type = body["@odata.type"]?.string {
            // `#ComputerSystem.v1_27_0.ComputerSystem` → ComputerSystem.v1_27_0.json, DMTF's published schema.
            let parts = type.dropFirst().split(separator: ".")
            let schema = parts.count == 3 ? "\(parts[0]).\(parts[1])" : String(parts.first ?? "")
            response.headers["Link"] = "<https://redfish.dmtf.org/schemas/v1/\(schema).json>; rel=describedby"
            if let etag = response.headers["ETag"], body["@odata.etag"] == nil {
                body["@odata.etag"] = .string(etag)
                response.body = .object(body)
            }
        }
        if let wanted = request.headers["if-none-match"], let etag = response.headers["ETag"], etags(wanted, etag) {
            response.status = 304
            response.body = nil
            response.rawBody = nil
        }
        return response
    }
}

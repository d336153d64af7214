import Foundation

/// Anything that answers Redfish GETs: a live BMC (`RedfishClient`) or a saved tree (`RedfishMockupSource`).
public protocol RedfishDocumentSource: Sendable {
    /// The path of the service root (`/redfish/v1`, or below a prefix for a lab BMC).
    var serviceRootPath: String { get }

    /// The resource at `path` (`/redfish/v1/Systems/1`).
    func get(_ path: String) async throws -> JSONValue
}

extension RedfishDocumentSource {
    /// `/redfish/v1`.
    public var serviceRootPath: String { "/redfish/v1" }
}

/// A Redfish tree on disk in the DMTF mockup layout: `<root>/index.json` is `/redfish/v1`, and
/// `/redfish/v1/Systems/1` is `<root>/Systems/1/index.json`. Discovery bundles store Redfish answers this way.
public struct RedfishMockupSource: RedfishDocumentSource {
    /// The folder holding `index.json` of the service root.
    public var root: URL

    /// Creates a source over `root`.
    public init(root: URL) {
        self.root = root
    }

    /// The file that holds `path`.
    public static func file(for path: String, under root: URL) -> URL {
        var relative = path.split(separator: "?").first.map(String.init) ?? path
        // Anything up to and including /redfish/v1 (a lab BMC's path prefix, or none) is the root.
        if let range = relative.range(of: "redfish/v1") { relative = String(relative[range.upperBound...]) }
        let components = relative.split(separator: "/").filter { !$0.isEmpty && $0 != ".." }
        var url = root
        for component in components { url.appendPathComponent(String(component)) }
        return url.appendingPathComponent("index.json")
    }

    /// Reads the saved resource; a missing or unreadable file is an error naming it.
    public func get(_ path: String) async throws -> JSONValue {
        let file = Self.file(for: path, under: root)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw RedfishError(
                kind: .invalidResponse, bmc: root.path, method: "GET", path: path,
                message: "not in the saved tree (\(file.path))")
        }
        do {
            return try JSONValue.parse(data)
        } catch {
            throw RedfishError(
                kind: .invalidResponse, bmc: root.path, method: "GET", path: path,
                message: "\(file.path) is not JSON: \(error)")
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// What a lab has been asked, per BMC: each BMC's own `SimulatedBMC.Counters` (requests it answered, resets,
/// PATCHes, …) and the requests that reached it through the lab's listeners by HTTP method, counted on arrival (so
/// with those an injected fault answered instead of the BMC). Served as JSON at `GET /lab/counters` on the shared
/// listener, so a client in another process (`hwautomation bench fleet`) reads the figures of a lab it does not
/// share memory with.
public struct LabCountersReport: Sendable, Codable, Equatable {
    /// One BMC's figures.
    public struct Node: Sendable, Codable, Equatable {
        /// Its index in the lab (the `n` of `/bmc/<n>`).
        public var index: Int
        /// The BMC's own counters.
        public var counters: SimulatedBMC.Counters
        /// Requests that reached it, by method (`GET`, `PATCH`, `POST`, `DELETE`, …); methods never used are absent.
        public var requestsByMethod: [String: Int]
        /// The same requests by method and path below the lab's prefix, with the query (`GET /redfish/v1/Systems`).
        public var requestsByPath: [String: Int]

        /// Figures of BMC `index`.
        public init(
            index: Int, counters: SimulatedBMC.Counters, requestsByMethod: [String: Int],
            requestsByPath: [String: Int] = [:]
        ) {
            self.index = index
            self.counters = counters
            self.requestsByMethod = requestsByMethod
            self.requestsByPath = requestsByPath
        }

        enum CodingKeys: String, CodingKey {
            case index, counters
            case requestsByMethod = "requests_by_method"
            case requestsByPath = "requests_by_path"
        }
    }

    /// Every BMC, by index.
    public var nodes: [Node]

    /// A report of `nodes`.
    public init(nodes: [Node]) {
        self.nodes = nodes
    }
}

extension Lab {
    /// Where the shared listener serves `LabCountersReport` (Basic authentication with the lab's login).
    public static let countersPath = "/lab/counters"

    /// The counters URL of a lab listening on `port`; with `pathsOf`, only that BMC's requests by path are asked
    /// for (`?paths=N`: a thousand BMCs' path tables are megabytes of JSON a reader may not need).
    public static func countersURL(host: String = "127.0.0.1", port: Int, pathsOf: Int? = nil) -> URL {
        URL(string: "http://\(host):\(port)\(countersPath)" + (pathsOf.map { "?paths=\($0)" } ?? ""))!
    }

    /// Every BMC's figures now; requests by path of every BMC, or of BMC `pathsOf` alone (the others' are empty).
    public func countersReport(pathsOf: Int? = nil) -> LabCountersReport {
        LabCountersReport(
            nodes: nodes.map { node in
                LabCountersReport.Node(
                    index: node.index, counters: node.withState { $0.counters },
                    requestsByMethod: node.requestsByMethod.withLock { $0 },
                    requestsByPath: pathsOf.map { $0 == node.index } ?? true
                        ? node.requestsByPath.withLock { $0 } : [:])
            })
    }

    /// `GET /lab/counters[?paths=N]`: the report as JSON to a client with the lab's login; 401 without it, 405 for
    /// other methods, 400 for a `paths` that is not a BMC's index. Not counted in any BMC's figures.
    func respondCounters(_ request: Request) -> Response {
        guard request.method == .get else {
            var response = Self.encode(.error(405, "Base.1.8.OperationNotAllowed", "Only GET reads the counters."))
            response.headers[.allow] = "GET"
            return response
        }
        let expected = Data("\(login.user):\(login.password)".utf8).base64EncodedString()
        guard request.headers[.authorization] == "Basic \(expected)" else {
            var response = Self.encode(
                .error(401, "Base.1.8.AccessDenied", "The lab's counters need the lab's login (Basic)."))
            response.headers[.wwwAuthenticate] = "Basic realm=\"HWAutomation Lab\""
            return response
        }
        var pathsOf: Int?
        if let paths = request.uri.queryParameters["paths"] {
            guard let index = Int(paths), nodes.indices.contains(index) else {
                return Self.encode(
                    .error(
                        400, "Base.1.8.QueryParameterValueTypeError",
                        "paths=\(paths): give the index of one of the lab's \(nodes.count) BMCs (0…\(nodes.count - 1))."
                    ))
            }
            pathsOf = index
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(countersReport(pathsOf: pathsOf)) else {
            return Self.encode(.error(500, "Base.1.8.InternalError", "The counters could not be encoded."))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

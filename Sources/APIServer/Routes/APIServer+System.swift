import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestration
import Prometheus
import Store
import WorkflowEngine

extension APIServer {
    /// Health, readiness, the OpenAPI document and `/metrics`.
    func addSystem(to groups: RouteGroups) {
        on(groups, .open, .get, Self.prefix + "/health") { _, _ in
            try Self.json(["status": "ok"])
        }
        on(groups, .token(.read), .get, Self.prefix + "/ready") { _, _ in
            try await ready()
        }
        on(groups, .open, .get, Self.prefix + "/openapi.json") { _, _ in
            guard let document = OpenAPIDocument.data else {
                throw ProblemDetails(
                    .internalServerError, "the OpenAPI document is missing from the server's resources")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
        }
        on(groups, .token(.read), .get, "/metrics") { _, _ in
            try await metricsResponse()
        }
    }

    /// 200 when the store answers and the catalog loaded without errors; 503 naming what is not ready.
    func ready() async throws -> Response {
        var problems: [String] = []
        do {
            _ = try await store.workflows(WorkflowFilter(limit: 1))
        } catch {
            problems.append("the store does not answer: \(error)")
        }
        let errors = catalog.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { problems.append("the catalog has \(errors.count) error(s)") }
        guard problems.isEmpty else {
            throw ProblemDetails(.serviceUnavailable, "not ready: " + problems.joined(separator: "; "))
        }
        return try Self.json(
            ReadyView(
                status: "ready", deviceTypes: catalog.catalog.deviceTypes.count,
                workflows: await engine.definitionNames, maas: maas?.url.absoluteString))
    }

    /// The Prometheus text exposition of the collectors (gauges refreshed now).
    func metricsResponse() async throws -> Response {
        // Counted by the store (GROUP BY state), not by reading every run.
        let counts = try await Self.stored { try await store.workflowCountsByState() }
        metrics.setWorkflows(counts)
        metrics.setBMCsInUse(engine.bmcChangesInProgress)
        metrics.setDrift(DriftReport(records: try await Self.stored { try await store.latestDrift(deviceType: nil) }))
        var buffer: [UInt8] = []
        metrics.registry.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}

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
    /// The OpenAPI document and `/metrics`: bodies as they are (the document's own bytes; Prometheus's text format
    /// with its version), so registered by hand. Health and readiness are generated operations.
    func addSystem(to groups: RouteGroups) {
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

    func health(_ input: Operations.Health.Input) async throws -> Operations.Health.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    /// 200 when the store answers and the catalog loaded without errors; 503 naming what is not ready.
    func ready(_ input: Operations.Ready.Input) async throws -> Operations.Ready.Output {
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
        return .ok(
            .init(
                body: .json(
                    ReadyView(
                        status: "ready", deviceTypes: catalog.catalog.deviceTypes.count,
                        workflows: await engine.definitionNames, maas: maas?.url.absoluteString))))
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

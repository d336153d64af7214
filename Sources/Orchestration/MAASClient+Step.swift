import Logging
import MAAS
import WorkflowEngine

extension MAASClient {
    /// Runs a step's `body` with a client of `endpoint`, shut down however `body` ends; a MAAS error becomes a step
    /// error, transient when trying again later may help (`MAASError.isTransient`).
    static func forStep<T>(
        _ endpoint: MAASEndpoint, logger: Logger, _ body: (MAASClient) async throws -> T
    ) async throws -> T {
        do {
            return try await MAASClient(endpoint: endpoint, logger: logger).closing(body)
        } catch let error as MAASError {
            throw StepError("\(error)", transient: error.isTransient)
        }
    }
}

import ArgumentParser
import Orchestration

extension ServiceError {
    /// The error as the CLI says it: the option's name before the message (`--device-type: no device type …`).
    var cliMessage: String { field.map { "\($0.cliName): \(message)" } ?? message }
}

/// `operation`'s answer; its error printed the CLI's way, then exit 1.
func serving<T>(_ operation: () async throws(ServiceError) -> T) async throws -> T {
    do {
        return try await operation()
    } catch {
        throw CommandFailure("\(error.cliMessage)")
    }
}

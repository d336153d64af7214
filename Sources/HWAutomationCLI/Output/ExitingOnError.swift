import ArgumentParser

/// `body`'s value; its error printed as one line (`error: …`, what a person acts on) and exit 1. An `ExitCode` or
/// a `CleanExit` thrown inside passes through unchanged (its message, if any, was printed already).
func exitingOnError<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let exit as CleanExit {
        throw exit
    } catch {
        Terminal.printError("error: \(error)")
        throw ExitCode(1)
    }
}

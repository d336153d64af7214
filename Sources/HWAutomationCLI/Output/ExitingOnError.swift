import ArgumentParser

/// `body`'s value; its error printed as one line (`error: …`, what a person acts on) and exit 1. An `ExitCode`, a
/// `CleanExit` or a `CommandFailure` thrown inside passes through unchanged (printed once, where it ends).
func exitingOnError<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let exit as CleanExit {
        throw exit
    } catch let failure as CommandFailure {
        throw failure
    } catch {
        throw CommandFailure("\(error)")
    }
}

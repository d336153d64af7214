import ArgumentParser
import Foundation
import Store

/// The MAAS API key held by the stored credential `name`, for `region`: an error (and exit 1) when there is no such
/// credential or it is not meant for that region (its address bindings, or plain http), before any request.
func storedMAASKey(_ name: String, for region: URL, in store: any Store) async throws -> String {
    let stored = try await exitingOnError { try await store.credential(name: name) }
    guard let stored else {
        Terminal.printError("error: no stored credential \(name) (`hwautomation credentials list`)")
        throw ExitCode(1)
    }
    do {
        try stored.check(sendingTo: region)
    } catch {
        Terminal.printError("error: \(error)")
        throw ExitCode(1)
    }
    return stored.secret
}

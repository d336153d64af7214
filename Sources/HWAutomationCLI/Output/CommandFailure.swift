import ArgumentParser
import ChildTasks
import Foundation
import Logging

/// Why a command could not do its work, in words a person can act on: thrown from a command, printed once to
/// standard error as `error: …` and the process exits 1 (`HWAutomationCommand.run(arguments:)`). Errors of
/// ArgumentParser's own (usage, `--help`, `ExitCode`) keep its path.
public struct CommandFailure: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String

    /// A failure saying `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

extension HWAutomationCommand {
    /// Parses `arguments` (the process's when nil), runs the command (in a `ServiceScope`), and exits: 0, ArgumentParser's code for its
    /// own errors, or 1 after `error: …` for a `CommandFailure` or any other error.
    public static func run(arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                // The process's service group: what a command opens that works in the background (a PostgreSQL
                // store's pool) runs there, and is shut down gracefully once the command has returned.
                var logger = Logger(label: "hwautomation.services")
                logger.logLevel = .error
                try await ServiceScope.run(logger: logger) { try await asynchronous.run() }
            } else {
                try command.run()
            }
            exit()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            exit(withError: ExitCode(1))
        } catch {
            exit(withError: error)
        }
    }
}

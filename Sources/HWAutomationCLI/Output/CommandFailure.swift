import ArgumentParser
import Foundation

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
    /// Parses `arguments` (the process's when nil), runs the command, and exits: 0, ArgumentParser's code for its
    /// own errors, or 1 after `error: …` for a `CommandFailure` or any other error.
    public static func run(arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
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

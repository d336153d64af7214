import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The program a `ProcessRunner.run` started, as its timeout sees it: not started yet, or running as a pid.
final class SpawnedProcess: Sendable {
    /// Where the program is.
    enum State: Equatable {
        case notStarted
        case running(pid: Int32)
    }

    private let value = Mutex(State.notStarted)

    /// Where the program is now.
    var state: State { value.withLock { $0 } }

    /// Records that the program runs as `pid`.
    func started(_ pid: Int32) {
        value.withLock { $0 = .running(pid: pid) }
    }

    /// Whether the child `pid` has ended: it waits to be reaped, or was reaped already. Never reaps it (`WNOWAIT`):
    /// Subprocess collects its status.
    static func hasEnded(_ pid: Int32) -> Bool {
        var information = siginfo_t()
        guard waitid(P_PID, id_t(pid), &information, WEXITED | WNOHANG | WNOWAIT) == 0 else {
            return errno == ECHILD
        }
        // With WNOHANG a child still running leaves the record as it was: zeroed.
        return information.si_signo != 0
    }
}

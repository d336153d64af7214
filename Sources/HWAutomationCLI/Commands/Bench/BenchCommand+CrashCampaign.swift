import Foundation
import Logging
import Remote
import Synchronization

/// The killing half of `bench crash`: starts `hwautomation worker --drain` processes, SIGKILLs them at seeded
/// random moments (and lets them kill themselves at the crash points), restarts them, and stops once a worker
/// drains (no runnable run left anywhere) with the kill budget spent or the batch ended.
struct CrashCampaign: Sendable {
    /// This program.
    var executable: String
    /// The worker's arguments (`worker --drain --db …`).
    var arguments: [String]
    /// The store's and catalog's settings handed to every worker.
    var environment: [String: String]
    /// Secret variables among them (kept out of logs).
    var secretEnvironment: Set<String>
    /// `HWA_CRASH_POINTS` for workers started while kills remain (empty: no targeted kills).
    var crashPoints: String
    /// Workers at once.
    var workers: Int
    /// Longest pause after a (re)start before a random kill.
    var maxKillDelay: Duration
    /// When the whole campaign gives up.
    var deadline: ContinuousClock.Instant
    /// The one subprocess runner.
    var runner: ProcessRunner

    /// What one drive did.
    struct Tally: Sendable {
        /// SIGKILLs sent by the campaign at random moments.
        var randomKills = 0
        /// Self-kills at crash points, by point.
        var pointKills: [String: Int] = [:]
        /// Workers started again after a kill.
        var restarts = 0
        /// Workers started in all.
        var starts = 0
        /// Workers that ended otherwise (non-zero exit, another signal), with their last error line.
        var crashes: [String] = []

        /// Every kill.
        var kills: Int { randomKills + pointKills.values.reduce(0, +) }
    }

    /// Shared by the worker slots of one drive: the kill budget, the seeded draws, the tally.
    final class Shared: Sendable {
        private struct State {
            var budget: Int
            var random: UInt64
            var tally = Tally()
            var drained = false
        }
        private let state: Mutex<State>

        init(budget: Int, seed: UInt64) {
            state = Mutex(State(budget: budget, random: seed))
        }

        /// Reserves one kill for a worker about to start; nil when the budget is spent or a worker drained.
        /// Otherwise the worker's crash seed and its random kill delay as a share of the longest (0.05–1).
        func reserve() -> (seed: UInt64, share: Double)? {
            state.withLock { state -> (seed: UInt64, share: Double)? in
                guard state.budget > 0, !state.drained else { return nil }
                state.budget -= 1
                let seed = Self.next(&state.random)
                let share = 0.05 + 0.95 * Double(Self.next(&state.random) >> 11) / Double(1 << 53)
                return (seed, share)
            }
        }

        /// Gives back a reservation no kill used.
        func release() {
            state.withLock { $0.budget += 1 }
        }

        /// A seed for a worker started without a kill (its crash points stay unarmed; the seed marks it).
        func marker() -> UInt64 {
            state.withLock { Self.next(&$0.random) }
        }

        func record(_ body: (inout Tally) -> Void) {
            state.withLock { body(&$0.tally) }
        }

        /// A worker drained: the batch has no runnable run left, so no more kills are started.
        func drained() {
            state.withLock { $0.drained = true }
        }

        var isDrained: Bool { state.withLock { $0.drained } }
        var tally: Tally { state.withLock { $0.tally } }

        /// SplitMix64.
        private static func next(_ state: inout UInt64) -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Runs workers until one drains, spending at most `kills` kills; seeded by `seed`.
    func drive(kills: Int, seed: UInt64) async throws -> Tally {
        let shared = Shared(budget: kills, seed: seed)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask { try await slot(shared) }
            }
            try await group.waitForAll()
        }
        return shared.tally
    }

    /// The campaign could not go on.
    struct Failure: Error, CustomStringConvertible {
        /// What happened.
        var message: String
        /// The message.
        var description: String { message }
    }

    /// How one worker process ended.
    private enum Ending {
        case output(ProcessOutput)
        case killerDone(sent: Bool)
    }

    /// One worker at a time, restarted after every kill until it drains.
    private func slot(_ shared: Shared) async throws {
        while !shared.isDrained {
            guard ContinuousClock.now < deadline else {
                throw Failure(
                    message: "the campaign ran past its time limit (--timeout-seconds) with runs unfinished")
            }
            let reservation = shared.reserve()
            let marker = reservation?.seed ?? shared.marker()
            var environment = environment
            environment[CrashPoint.seedVariable] = String(marker)
            if reservation != nil, !crashPoints.isEmpty { environment[CrashPoint.variable] = crashPoints }
            let command = Command(
                executable, arguments, environment: environment, secretEnvironment: secretEnvironment,
                timeout: deadline - ContinuousClock.now)
            let delay = reservation.map { maxKillDelay * $0.share }
            shared.record { $0.starts += 1 }
            var sent = false
            let output = try await withThrowingTaskGroup(of: Ending.self) { group -> ProcessOutput in
                group.addTask { .output(try await runner.run(command)) }
                if let delay {
                    group.addTask {
                        guard (try? await Task.sleep(for: delay)) != nil else { return .killerDone(sent: false) }
                        return .killerDone(sent: await Self.kill(marker: marker))
                    }
                }
                var output: ProcessOutput?
                while let ending = try await group.next() {
                    switch ending {
                    case .output(let ended):
                        output = ended
                        group.cancelAll()
                    case .killerDone(let killed):
                        sent = sent || killed
                    }
                }
                return output!
            }
            switch output.termination {
            case .exited(0):
                if reservation != nil { shared.release() }
                shared.drained()
            case .signaled(SIGKILL):
                let point = Self.crashPoint(in: output.standardError)
                shared.record { tally in
                    if let point, !sent {
                        tally.pointKills[point, default: 0] += 1
                    } else {
                        tally.randomKills += 1
                    }
                    tally.restarts += 1
                }
            default:
                if reservation != nil { shared.release() }
                let last = output.standardError.split(separator: "\n").last.map(String.init) ?? ""
                shared.record { $0.crashes.append("worker ended with \(output.termination): \(last)") }
                throw Failure(
                    message: "a worker ended with \(output.termination) without being killed: \(last)")
            }
        }
    }

    /// The crash point a worker named on standard error before it killed itself.
    static func crashPoint(in standardError: String) -> String? {
        for line in standardError.split(separator: "\n").reversed() where line.hasPrefix("crash point ") {
            return line.dropFirst("crash point ".count).split(separator: ":").first.map(String.init)
        }
        return nil
    }

    /// SIGKILLs this process's child whose environment carries crash seed `marker`; false when there is none (it
    /// ended, or has not yet started the program). Linux only: children are found through /proc.
    static func kill(marker: UInt64) async -> Bool {
        let wanted = "\(CrashPoint.seedVariable)=\(marker)"
        for _ in 0..<40 {
            for pid in children() {
                guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
                let entries = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                if entries.contains(wanted) {
                    return Foundation.kill(pid, SIGKILL) == 0
                }
            }
            guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { return false }
        }
        return false
    }

    /// The ids of this process's children (from /proc/*/stat's parent field).
    static func children() -> [pid_t] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "pid (comm) ": state, then the parent's id.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, pid_t(fields[1]) == me else { return nil }
            return pid
        }
    }
}

import Testing

@testable import Remote

/// What ssh's own words make of a failed connection, and which failures are worth another try.
@Suite("SSH errors")
struct SSHErrorTests {
    let target = SSHTarget(host: "10.0.0.9", knownHostsFile: "/tmp/known_hosts")

    @Test("a timed-out connection is transient; a refused one, a refused key and a changed host key are not")
    func classify() {
        let cases: [(stderr: String, kind: SSHError.Kind, transient: Bool)] = [
            ("ssh: connect to host 10.0.0.9 port 22: Connection timed out", .unreachable, true),
            ("ssh: connect to host 10.0.0.9 port 22: Operation timed out", .unreachable, true),
            ("ssh: connect to host 10.0.0.9 port 22: Connection refused", .unreachable, false),
            ("ssh: Could not resolve hostname nowhere: Name or service not known", .unreachable, false),
            ("root@10.0.0.9: Permission denied (publickey).", .authenticationFailed, false),
            (
                "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.",
                .hostKeyChanged,
                false
            ),
        ]
        for (stderr, kind, transient) in cases {
            let error = SSHSession.classify(stderr, target: target)
            #expect(error.kind == kind, "\(stderr)")
            #expect(error.isTransient == transient, "\(stderr)")
        }
        #expect(SSHError(kind: .commandFailed, target: "t", message: "ran too long", timedOut: true).isTransient)
        #expect(!SSHError(kind: .commandFailed, target: "t", message: "exit 1").isTransient)
    }
}

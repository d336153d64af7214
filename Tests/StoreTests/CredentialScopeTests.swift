import Crypto
import Foundation
import GRDB
import TestSupport
import Testing

@testable import Store

/// Credential bindings: the patterns, the check made before a credential is sent, and their storage on every
/// backend (migrated, copied, sealed with the secret).
@Suite("Credential bindings", .serviceScope)
struct CredentialScopeTests {
    static func matches(_ pattern: String, _ host: String) throws -> Bool {
        try AddressPattern(pattern).matches(host: host)
    }

    @Test("IPv4 networks and single addresses")
    func ipv4() throws {
        #expect(try Self.matches("10.1.0.0/16", "10.1.200.7"))
        #expect(try Self.matches("10.1.0.0/16", "10.1.0.0"))
        #expect(try !Self.matches("10.1.0.0/16", "10.2.0.1"))
        #expect(try Self.matches("10.1.2.3", "10.1.2.3"))
        #expect(try !Self.matches("10.1.2.3", "10.1.2.4"))
        #expect(try Self.matches("0.0.0.0/0", "192.0.2.1"))
        #expect(try Self.matches("192.0.2.128/25", "192.0.2.255") && !Self.matches("192.0.2.128/25", "192.0.2.127"))
        // An IPv4-mapped IPv6 literal is that IPv4 address.
        #expect(try Self.matches("10.1.0.0/16", "::ffff:10.1.0.9"))
        #expect(try !Self.matches("10.1.0.0/16", "::ffff:10.3.0.9"))
        #expect(try AddressPattern("10.1.0.0/16").description == "10.1.0.0/16")
        #expect(try AddressPattern(" 10.1.2.3 ").description == "10.1.2.3")
    }

    @Test("IPv6 networks and single addresses, bracketed or not")
    func ipv6() throws {
        #expect(try Self.matches("fd00:1::/48", "fd00:1:0:ffff::5"))
        #expect(try Self.matches("fd00:1::/48", "[fd00:1::5]"))
        #expect(try !Self.matches("fd00:1::/48", "fd00:2::5"))
        #expect(try Self.matches("::1", "::1") && !Self.matches("::1", "::2"))
        #expect(try Self.matches("[2001:db8::1]", "2001:0db8:0:0:0:0:0:1"))
        #expect(
            try Self.matches("2001:db8::/32", "2001:db8:ffff::1") && !Self.matches("2001:db8::/33", "2001:db8:ffff::1"))
        #expect(try Self.matches("fe80::/10", "fe80::1%eth0"))
        #expect(try !Self.matches("fd00::/8", "10.0.0.1"))
        #expect(try Self.matches("::ffff:0:0/96", "10.0.0.1"))
        #expect(try AddressPattern("FD00:0001:0000::/48").description == "fd00:1::/48")
    }

    @Test("hostnames and globs: case-insensitive, * within one label, never an IP for a name")
    func hostnames() throws {
        #expect(try Self.matches("bmc-*.rack1.example", "bmc-07.rack1.example"))
        #expect(try Self.matches("bmc-*.rack1.example", "BMC-07.Rack1.Example."))
        #expect(try Self.matches("bmc-*.rack1.example", "bmc-.rack1.example"))
        #expect(try !Self.matches("bmc-*.rack1.example", "bmc-07.evil.rack1.example"), "* does not cross a dot")
        #expect(try !Self.matches("bmc-*.rack1.example", "bmc-07.rack1.example.evil.org"))
        #expect(try !Self.matches("bmc-*.rack1.example", "xbmc-07.rack1.example"))
        #expect(try Self.matches("*.rack1.example", "anything.rack1.example"))
        #expect(
            try Self.matches("*-bmc-*.example", "r1-bmc-07.example")
                && !Self.matches("*-bmc-*.example", "r1bmc07.example"))
        #expect(try Self.matches("Host.Example", "host.example") && !Self.matches("host.example", "host.example2"))
        #expect(try AddressPattern("BMC-*.Rack1.Example.").description == "bmc-*.rack1.example")
        // Literal matching: a name never matches an address pattern, nor an address a name pattern.
        #expect(try !Self.matches("10.1.0.0/16", "bmc-07.rack1.example"))
        #expect(try !Self.matches("*.*.*.*", "10.1.2.3"))
        #expect(try !Self.matches("*", "167772165"), "numeric hosts are read as addresses by resolvers")
        #expect(try !Self.matches("*.*", "10.1"))
        #expect(try !Self.matches("*.*.*.*", "0x0a.0.0.1"))
        #expect(try !Self.matches("*", "bad host"))
    }

    @Test(
        "patterns that cannot be bindings are refused with the reason",
        arguments: [
            ("10.1.0.1/16", "host bits set; the network is 10.1.0.0/16"), ("10.1.0.0/33", "0 to 32"),
            ("fd00::1/8", "host bits set"), ("https://bmc1.example", "not a URL"), ("bmc1.example:443", "ports"),
            ("10.1.0.0/x", "not a prefix length"), ("", "empty"), ("bmc..example", "not an IP address"),
            ("bmc_1 .example", "not an IP address"), ("10.1", "not an IP address"), ("300.1.1.1/8", "not an IPv4"),
        ])
    func invalid(pattern: String, reason: String) {
        #expect {
            _ = try AddressPattern(pattern)
        } throws: { error in
            "\(error)".contains(reason) && "\(error)".contains("`\(pattern)`")
        }
    }

    @Test("the check before sending: address, then plain http; unbound credentials allow any address over https")
    func check() throws {
        let bound = Credential(
            name: "rack1", user: "admin", secret: "pw",
            scope: try CredentialScope(parsing: ["10.1.0.0/16", "bmc-*.rack1.example"]))
        try bound.check(sendingTo: URL(string: "https://10.1.4.5/redfish/v1")!)
        try bound.check(sendingTo: URL(string: "https://BMC-3.rack1.example:8443")!)
        try bound.check(host: "10.1.4.5:623")
        #expect(
            throws: CredentialUseError(
                credential: "rack1", address: "10.2.0.5", reason: .address,
                allowed: [
                    "10.1.0.0/16", "bmc-*.rack1.example",
                ])
        ) {
            try bound.check(sendingTo: URL(string: "https://10.2.0.5/redfish/v1")!)
        }
        #expect(throws: CredentialUseError.self) { try bound.check(host: "10.2.0.5") }
        #expect(throws: CredentialUseError.self) { try bound.check(sendingTo: URL(string: "https://evil.example")!) }
        #expect {
            try bound.check(sendingTo: URL(string: "http://10.1.4.5:8000/redfish/v1")!)
        } throws: { error in
            let error = try #require(error as? CredentialUseError)
            return error.reason == .plainHTTP && error.address == "http://10.1.4.5:8000"
                && "\(error)".contains("credential rack1 would be sent over plain http to http://10.1.4.5:8000")
        }
        var lab = bound
        lab.scope.allowPlainHTTP = true
        try lab.check(sendingTo: URL(string: "http://10.1.4.5:8000/redfish/v1")!)
        #expect(throws: CredentialUseError.self) { try lab.check(sendingTo: URL(string: "http://10.9.0.1")!) }

        let legacy = Credential(name: "legacy", user: nil, secret: "pw")
        try legacy.check(sendingTo: URL(string: "https://anywhere.example")!)
        try legacy.check(host: "10.200.0.1")
        #expect(throws: CredentialUseError.self) { try legacy.check(sendingTo: URL(string: "http://10.0.0.1")!) }
        #expect(!"\(CredentialUseError(credential: "x", address: "h", reason: .address, allowed: []))".contains("pw"))
        try Credential(name: "v6", user: nil, secret: "pw", scope: try CredentialScope(parsing: ["fd00::/8"]))
            .check(sendingTo: URL(string: "https://[fd00::5]:443/redfish/v1")!)
    }

    @Test("bindings stored, listed, changed and sealed with the secret", arguments: StoreTests.Backend.available)
    func stored(backend: StoreTests.Backend) async throws {
        let folder = StoreTests.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await StoreTests.make(backend, folder: folder)
        let scope = try CredentialScope(parsing: ["10.1.0.0/16", "bmc-*.rack1.example", "fd00::/8"])
        try await store.putCredential(name: "rack1", user: "admin", secret: "s3cret", kind: "bmc", scope: scope)
        try await store.putCredential(name: "legacy", user: nil, secret: "k3y", kind: "maas")
        try await store.putCredential(name: "lab", user: "admin", secret: "pw", kind: "bmc", scope: .loopbackLab)
        #expect(try await store.credential(name: "rack1")?.scope == scope)
        #expect(try await store.credential(name: "legacy")?.scope == .unbound)
        #expect(try await store.credential(name: "lab")?.scope.allowPlainHTTP == true)
        let listed = try await store.credentials()
        #expect(listed.map(\.name) == ["lab", "legacy", "rack1"])
        #expect(listed[2].allow == ["10.1.0.0/16", "bmc-*.rack1.example", "fd00::/8"] && !listed[2].unbound)
        #expect(listed[1].unbound && listed[1].allow.isEmpty && !listed[1].allowPlainHTTP)
        #expect(listed[0].allow == ["127.0.0.1"] && listed[0].allowPlainHTTP)
        let json = String(decoding: try JSONEncoder().encode(listed), as: UTF8.self)
        #expect(json.contains("\"allow_plain_http\":true") && json.contains("\"unbound\":true"))
        #expect(!json.contains("s3cret") && !json.contains("k3y"))

        // Rebinding keeps the secret; a missing credential is false.
        let narrowed = try CredentialScope(parsing: ["10.1.2.0/24"], allowPlainHTTP: true)
        #expect(try await store.bindCredential(name: "rack1", scope: narrowed))
        #expect(
            try await store.credential(name: "rack1")
                == Credential(
                    name: "rack1", user: "admin", secret: "s3cret", scope: narrowed))
        #expect(try await store.bindCredential(name: "legacy", scope: scope))
        #expect(try await store.credential(name: "legacy")?.secret == "k3y")
        #expect(try await !store.bindCredential(name: "nope", scope: scope))
    }

    @Test("SQLite: bindings widened behind HWAutomation's back make the secret unreadable, not usable elsewhere")
    func tampered() async throws {
        let folder = StoreTests.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("hwa.sqlite").path, box: .ephemeral())
        try await store.putCredential(
            name: "rack1", user: "admin", secret: "s3cret", kind: "bmc",
            scope: try CredentialScope(parsing: ["10.1.2.3"]))
        for change in [
            "UPDATE credential SET allowed = '[\"0.0.0.0/0\"]'", "UPDATE credential SET allowed = '[]'",
            "UPDATE credential SET allowPlainHTTP = 1",
        ] {
            try store.write { db in
                try db.execute(sql: "UPDATE credential SET allowed = '[\"10.1.2.3\"]', allowPlainHTTP = 0")
                try db.execute(sql: change)
            }
            await #expect {
                _ = try await store.credential(name: "rack1")
            } throws: { error in
                "\(error)".contains("credential rack1") && "\(error)".contains("bindings were changed")
            }
        }
        try store.write { db in
            try db.execute(sql: "UPDATE credential SET allowed = '[\"10.1.2.3\"]', allowPlainHTTP = 0")
        }
        #expect(try await store.credential(name: "rack1")?.secret == "s3cret")
    }

    @Test(
        "SQLite: credentials stored before bindings (v4, v5) keep working, unbound and https-only",
        arguments: ["v4: API tokens", "v5: API token expiry and last use"])
    func migration(version: String) async throws {
        let folder = StoreTests.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("old.sqlite").path
        let box = SecretBox.ephemeral()
        let old = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(old, upTo: version)
        try await old.write { db in
            try db.execute(
                sql: "INSERT INTO credential (name, user, sealed, kind, created) VALUES ('old', 'admin', ?, 'bmc', ?)",
                arguments: [try box.seal("0ld-secret"), Date()])
        }
        try old.close()
        let store = try SQLiteStore(path: path, box: box)
        #expect(try store.appliedMigrations().contains("v6: credential bindings"))
        let credential = try #require(try await store.credential(name: "old"))
        #expect(credential.secret == "0ld-secret" && credential.scope == .unbound)
        try credential.check(sendingTo: URL(string: "https://10.9.9.9")!)
        #expect(throws: CredentialUseError.self) { try credential.check(sendingTo: URL(string: "http://10.9.9.9")!) }
        #expect(try await store.credentials().first?.unbound == true)
        // Bound afterwards, it is sealed with its bindings and still opens.
        #expect(try await store.bindCredential(name: "old", scope: try CredentialScope(parsing: ["10.9.0.0/16"])))
        #expect(try await store.credential(name: "old")?.secret == "0ld-secret")
    }
}

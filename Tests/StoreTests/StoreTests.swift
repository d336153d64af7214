import Crypto
import Foundation
import GRDB
import TestSupport
import Testing
import WorkflowEngine

@testable import Store

/// One suite, run against every backend.
@Suite("Store", .serviceScope)
struct StoreTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, memory, postgres

        var testDescription: String { rawValue }

        /// Every backend whose server is here: PostgreSQL when scripts/test.sh started it (always in CI, where
        /// its absence fails the test).
        static var available: [Backend] { Peer.postgres.enabled ? allCases : [.sqlite, .memory] }
    }

    static func temporary() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hwa-store-\(UUID().uuidString)")
    }

    static func make(_ backend: Backend, folder: URL, key: SymmetricKey = SymmetricKey(size: .bits256)) async throws
        -> any Store
    {
        switch backend {
        case .sqlite:
            return try SQLiteStore(path: folder.appendingPathComponent("hwa.sqlite").path, box: SecretBox(key: key))
        case .memory: return InMemoryStore(box: SecretBox(key: key))
        case .postgres: return try await PostgresScratch.store(box: SecretBox(key: key))
        }
    }

    @Test("servers: add, replace, list, delete", arguments: Backend.available)
    func servers(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.make(backend, folder: folder)
        try await store.upsertServer(
            ServerRecord(id: "S1", name: "rack1-u1", bmcAddress: "10.0.0.5", tags: ["a", "b"]))
        try await store.upsertServer(ServerRecord(id: "S2", name: "rack1-u2"))
        var first = try #require(try await store.server(id: "S1"))
        #expect(first.tags == ["a", "b"] && first.bmcAddress == "10.0.0.5")
        first.deviceType = "s2.c2.small"
        first.status = "discovered"
        try await store.upsertServer(first)
        #expect(try await store.server(id: "S1")?.deviceType == "s2.c2.small")
        #expect(try await store.servers().map(\.id) == ["S1", "S2"])
        #expect(try await store.deleteServer(id: "S2"))
        #expect(try await !store.deleteServer(id: "S2"))
        #expect(try await store.servers().count == 1)
    }

    @Test(
        "credentials: stored sealed, listed without secrets, opened only with the right key",
        arguments: Backend.available)
    func credentials(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = SymmetricKey(size: .bits256)
        let store = try await Self.make(backend, folder: folder, key: key)
        try await store.putCredential(name: "bmc-default", user: "admin", secret: "s3cr3t-Pa55", kind: "bmc")
        #expect(try await store.credential(name: "bmc-default")?.secret == "s3cr3t-Pa55")
        let listed = try await store.credentials()
        #expect(listed.map(\.name) == ["bmc-default"] && listed[0].user == "admin")
        if backend == .sqlite {
            // Not in the file in clear, and a different key cannot open it.
            let bytes =
                try Data(contentsOf: folder.appendingPathComponent("hwa.sqlite"))
                + ((try? Data(contentsOf: folder.appendingPathComponent("hwa.sqlite-wal"))) ?? Data())
            #expect(bytes.range(of: Data("s3cr3t-Pa55".utf8)) == nil)
            let other = try await Self.make(.sqlite, folder: folder)
            await #expect {
                _ = try await other.credential(name: "bmc-default")
            } throws: { error in
                "\(error)".contains("credential key file")
            }
        }
        #expect(try await store.deleteCredential(name: "bmc-default"))
        #expect(try await store.credential(name: "bmc-default") == nil)
    }

    @Test(
        "pools: 1,000 addresses to 50 concurrent tasks, no address twice; same server same address; release",
        arguments: Backend.available)
    func pools(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.make(backend, folder: folder)
        try await store.definePool(
            name: "rack1", ranges: ["10.10.0.0/22"], exclusions: ["10.10.0.1", "10.10.3.250-10.10.3.254"])
        let addresses = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<50 {
                group.addTask {
                    var mine: [String] = []
                    for server in 0..<20 {
                        mine.append(try await store.assign(pool: "rack1", serverID: "srv-\(task)-\(server)"))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(addresses.count == 1000)
        #expect(Set(addresses).count == 1000)
        #expect(!addresses.contains("10.10.0.1") && !addresses.contains("10.10.0.0"))
        // Asking again for a server that has an address returns that address, not a new one.
        let again = try await store.assign(pool: "rack1", serverID: "srv-0-0")
        #expect(addresses.contains(again))
        #expect(try await store.assignments(pool: "rack1").count == 1000)
        #expect(try await store.release(pool: "rack1", serverID: "srv-3-3"))
        #expect(try await store.assignments(pool: "rack1").count == 999)
        await #expect(throws: StoreError.self) { _ = try await store.assign(pool: "nope", serverID: "x") }
        try await store.definePool(name: "tiny", ranges: ["10.0.0.5"], exclusions: [])
        _ = try await store.assign(pool: "tiny", serverID: "a")
        await #expect {
            _ = try await store.assign(pool: "tiny", serverID: "b")
        } throws: { error in
            "\(error)".contains("exhausted")
        }
    }

    @Test("BIOS backups newest first; audit log newest first", arguments: Backend.available)
    func backupsAndAudit(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.make(backend, folder: folder)
        let first = try await store.saveBIOSBackup(
            BIOSBackupRecord(bmc: "10.0.0.5", deviceType: "s2.c2.small", attributes: #"{"BootMode":"Legacy"}"#))
        let second = try await store.saveBIOSBackup(
            BIOSBackupRecord(bmc: "10.0.0.5", deviceType: "s2.c2.small", attributes: #"{"BootMode":"UEFI"}"#))
        #expect(first.id != nil && second.id != first.id)
        #expect(try await store.biosBackups(bmc: "10.0.0.5").map(\.id) == [second.id, first.id])
        try await store.audit(AuditEntry(actor: "cli", action: "bios.apply", target: "10.0.0.5"))
        try await store.audit(AuditEntry(actor: "cli", action: "bios.restore", target: "10.0.0.5"))
        #expect(try await store.auditLog(limit: 10).map(\.action) == ["bios.restore", "bios.apply"])
    }

    @Test("SQLite: migrations from empty, and data kept across reopening")
    func migrations() async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = SymmetricKey(size: .bits256)
        let path = folder.appendingPathComponent("hwa.sqlite").path
        let store = try SQLiteStore(path: path, box: SecretBox(key: key))
        #expect(
            try store.appliedMigrations() == [
                "v1: servers, credentials, pools, bios backups, audit", "v2: workflows, steps, events",
                "v3: servers know their MAAS machine", "v4: API tokens", "v5: API token expiry and last use",
                "v6: credential bindings", "v7: workflow lease epochs", "v8: BMC locks", "v9: history indexes",
                "v10: drift checks",
            ])
        try await store.upsertServer(ServerRecord(id: "S1", name: "one"))
        let reopened = try SQLiteStore(path: path, box: SecretBox(key: key))
        #expect(try await reopened.server(id: "S1")?.name == "one")
        #expect(try reopened.appliedMigrations().count == 10)
    }

    @Test(
        "SQLite: a database left at an earlier version is brought to the latest with its rows kept",
        arguments: [
            "v1: servers, credentials, pools, bios backups, audit", "v2: workflows, steps, events",
            "v3: servers know their MAAS machine", "v7: workflow lease epochs",
        ])
    func migrationFromEarlier(version: String) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(old, upTo: version)
        try await old.write { db in
            try db.execute(
                sql: "INSERT INTO server (id, name, status, tags, updatedAt) VALUES ('S9', 'old', 'new', '[]', ?)",
                arguments: [Date()])
        }
        try old.close()
        let store = try SQLiteStore(path: path, box: .ephemeral())
        #expect(try store.appliedMigrations().count == 10)
        #expect(try await store.server(id: "S9")?.name == "old")
        #expect(try await store.server(id: "S9")?.maasSystemID == nil)
        var linked = try #require(try await store.server(id: "S9"))
        linked.maasSystemID = "4y3h7n"
        try await store.upsertServer(linked)
        #expect(try await store.server(id: "S9")?.maasSystemID == "4y3h7n")
        #expect(try await store.workflows(WorkflowFilter()).isEmpty)
        #expect(try await store.tokens().isEmpty)
        #expect(try await store.bmcLocks().isEmpty)
        let grant = try await store.acquireBMCLock(
            key: "https://10.0.0.5:443", holder: "a:1", workflowID: "W1", step: "apply", gone: [], at: Date(),
            expiresAt: Date().addingTimeInterval(30))
        #expect(grant?.token == 1)
    }

    @Test("API tokens: stored as a digest, one working token per name, revoked ones still found (to say so)")
    func tokens() async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        var stores: [any Store] = [
            try SQLiteStore(path: folder.appendingPathComponent("t.sqlite").path, box: .ephemeral()),
            InMemoryStore(box: .ephemeral()),
        ]
        if Backend.available.contains(.postgres) { stores.append(try await PostgresScratch.store(box: .ephemeral())) }
        for store in stores {
            let (token, secret) = APIToken.make(name: "ci", scope: .read)
            #expect(secret.hasPrefix("hwa_") && secret.count > 40)
            #expect(token.digest == APIToken.digest(of: secret) && !token.digest.contains(secret))
            try await store.createToken(token)
            await #expect(throws: StoreError.self) {
                try await store.createToken(APIToken.make(name: "ci", scope: .admin).token)
            }
            #expect(try await store.token(digest: APIToken.digest(of: secret))?.name == "ci")
            #expect(try await store.token(digest: APIToken.digest(of: secret + "x")) == nil)
            #expect(try await store.revokeToken(name: "ci", at: Date()))
            #expect(try await !store.revokeToken(name: "ci", at: Date()))
            #expect(try await store.token(digest: token.digest)?.revoked != nil)
            try await store.createToken(APIToken.make(name: "ci", scope: .admin).token)
            #expect(try await store.tokens().map(\.scope) == [.read, .admin])
        }
    }

    @Test("workflows, steps and events: transitions stored atomically, events in order, claims exclusive")
    func workflows() async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        var stores: [any Store] = [
            try SQLiteStore(path: folder.appendingPathComponent("wf.sqlite").path, box: .ephemeral()),
            InMemoryStore(box: .ephemeral()),
        ]
        if Backend.available.contains(.postgres) { stores.append(try await PostgresScratch.store(box: .ephemeral())) }
        for store in stores {
            let workflow = WorkflowRecord(id: "W1", definition: "d", version: 1, serverID: "S1", batch: "B")
            let first = try await store.createWorkflow(
                workflow, steps: [StepRecord(workflowID: "W1", index: 0, name: "a")],
                event: EventRecord(workflowID: "W1", kind: .workflowCreated, message: "new"))
            await #expect(throws: StoreError.self) {
                _ = try await store.createWorkflow(
                    workflow, steps: [], event: EventRecord(workflowID: "W1", kind: .workflowCreated, message: ""))
            }
            var running = workflow
            running.state = .running
            let second = try await store.record(
                workflow: running,
                step: StepRecord(workflowID: "W1", index: 0, name: "a", state: .running, attempt: 1),
                event: EventRecord(workflowID: "W1", step: "a", kind: .stepStarted, message: "attempt 1"))
            #expect(second.seq! > first.seq!)
            #expect(try await store.workflow(id: "W1")?.state == .running)
            #expect(try await store.steps(workflowID: "W1").map(\.state) == [.running])
            #expect(
                try await store.events(workflowID: "W1", after: 0, limit: 10).map(\.kind) == [
                    .workflowCreated, .stepStarted,
                ])
            #expect(try await store.events(workflowID: nil, after: first.seq!, limit: 10).count == 1)
            #expect(try await store.workflows(WorkflowFilter(states: [.running], batch: "B")).map(\.id) == ["W1"])
            #expect(try await store.workflows(WorkflowFilter(states: [.failed])).isEmpty)
            let claimed = try await store.claimWorkflow(
                id: "W1", owner: "a:1", replacing: nil, staleBefore: .distantPast)
            #expect(claimed?.owner == "a:1")
            #expect(
                try await store.claimWorkflow(id: "W1", owner: "b:2", replacing: nil, staleBefore: .distantPast) == nil)
            #expect(
                try await store.claimWorkflow(id: "W1", owner: "b:2", replacing: "a:1", staleBefore: .distantPast)?
                    .owner
                    == "b:2")
            #expect(try await store.requestCancel(id: "W1"))
            // A later save by the owner does not wipe an operator's cancel request.
            _ = try await store.record(
                workflow: running, step: nil, event: EventRecord(workflowID: "W1", kind: .stepProgress, message: ""))
            #expect(try await store.workflow(id: "W1")?.cancelRequested == true)
        }
    }

    @Test(
        "cancel requests: kept across the owner's saves, cleared by reopening a stopped run, set again by a new cancel",
        arguments: Backend.available)
    func cancelRequestAcrossReopen(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Self.make(backend, folder: folder)
        let id = "W-cancel-\(UUID().uuidString.prefix(8))"
        func save(_ state: RunState, cancelRequested: Bool) async throws {
            let workflow = WorkflowRecord(
                id: id, definition: "d", version: 1, serverID: "S1", state: state, cancelRequested: cancelRequested)
            _ = try await store.record(
                workflow: workflow, step: nil, event: EventRecord(workflowID: id, kind: .stepProgress, message: ""))
        }
        _ = try await store.createWorkflow(
            WorkflowRecord(id: id, definition: "d", version: 1, serverID: "S1"),
            steps: [StepRecord(workflowID: id, index: 0, name: "a")],
            event: EventRecord(workflowID: id, kind: .workflowCreated, message: ""))
        try await save(.running, cancelRequested: false)
        #expect(try await store.requestCancel(id: id))
        // The driver's saves (made from a record read before the cancel) keep the request.
        try await save(.running, cancelRequested: false)
        try await save(.cancelled, cancelRequested: false)
        #expect(try await store.workflow(id: id)?.cancelRequested == true)
        // Reopening (cancelled to pending) clears it, and it stays cleared while the run goes on.
        try await save(.pending, cancelRequested: false)
        #expect(try await store.workflow(id: id)?.cancelRequested == false)
        try await save(.running, cancelRequested: false)
        try await save(.running, cancelRequested: false)
        #expect(try await store.workflow(id: id)?.cancelRequested == false)
        // A new cancel sets it again, and a save does not clear it.
        #expect(try await store.requestCancel(id: id))
        try await save(.running, cancelRequested: false)
        #expect(try await store.workflow(id: id)?.cancelRequested == true)
        // A failed or waiting run reopened clears it too.
        try await save(.failed, cancelRequested: false)
        try await save(.pending, cancelRequested: false)
        #expect(try await store.workflow(id: id)?.cancelRequested == false)
    }

    @Test("key files: created 0600, refused when others can read them or they are not keys")
    func keyFiles() throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("credentials.key").path
        let box = try SecretBox.keyFile(path)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        let again = try SecretBox.keyFile(path)
        #expect(try again.open(try box.seal("x")) == "x")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: StoreError.self) { try SecretBox.keyFile(path) }
        try Data("short".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(throws: StoreError.self) { try SecretBox.keyFile(path) }
    }

    @Test("address ranges: CIDR without network and broadcast, dash ranges, exclusions, bad input named")
    func ranges() throws {
        #expect(
            try AddressRange.addresses(ranges: ["10.0.0.0/30"], exclusions: []).map(AddressRange.format) == [
                "10.0.0.1", "10.0.0.2",
            ])
        #expect(try AddressRange.addresses(ranges: ["10.0.0.10-10.0.0.12"], exclusions: ["10.0.0.11"]).count == 2)
        #expect(throws: StoreError.self) { try AddressRange.addresses(ranges: ["10.0.0.300"], exclusions: []) }
        #expect(throws: StoreError.self) { try AddressRange.addresses(ranges: ["10.0.0.9-10.0.0.1"], exclusions: []) }
    }
}

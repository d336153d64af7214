import Foundation
import Testing
import WorkflowEngine

@testable import Store

/// BMC locks: one holder per BMC across processes, leased (expiry, gone holders), fenced by a growing token.
extension StoreTests {
    /// A fixed clock (whole seconds: every backend stores them exactly).
    static let lockEpoch = Date(timeIntervalSince1970: 1_800_000_000)

    static func at(_ seconds: Int) -> Date { lockEpoch.addingTimeInterval(TimeInterval(seconds)) }

    /// Two handles on one lock table, as two processes have: two opens of one SQLite file or PostgreSQL database
    /// (one in-memory store is shared).
    static func lockStores(_ backend: Backend, folder: URL) async throws
        -> (any BMCLockRepository, any BMCLockRepository)
    {
        switch backend {
        case .sqlite:
            let path = folder.appendingPathComponent("locks.sqlite").path
            let first = try SQLiteStore(path: path, box: .ephemeral())
            return (first, try SQLiteStore(path: path, box: .ephemeral()))
        case .memory:
            let store = InMemoryStore(box: .ephemeral())
            return (store, store)
        case .postgres:
            let first = try await PostgresScratch.store(box: .ephemeral())
            let second = try await PostgresStore.open(
                first.configuration, box: .ephemeral(), logger: PostgresScratch.logger)
            return (first, second)
        }
    }

    @Test(
        "BMC locks: granted once, refused to others (another run of the same process too), renewed, released",
        arguments: Backend.available)
    func bmcLockLifecycle(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (store, other) = try await Self.lockStores(backend, folder: folder)
        let key = try BMCIdentity(address: "https://10.0.0.5").key
        let grant = try #require(
            try await store.acquireBMCLock(
                key: key, holder: "a:1", workflowID: "W1", step: "apply", gone: [], at: Self.at(0),
                expiresAt: Self.at(30)))
        #expect(grant == BMCLockGrant(key: key, holder: "a:1", token: 1))
        #expect(
            try await other.bmcLocks() == [
                BMCLock(
                    key: key, holder: "a:1", workflowID: "W1", step: "apply", token: 1, acquired: Self.at(0),
                    expires: Self.at(30))
            ])
        // Held: another process is refused, and so is another run in the same process.
        #expect(
            try await other.acquireBMCLock(
                key: key, holder: "b:2", workflowID: "W2", step: "apply", gone: [], at: Self.at(10),
                expiresAt: Self.at(40)) == nil)
        #expect(
            try await store.acquireBMCLock(
                key: key, holder: "a:1", workflowID: "W2", step: "apply", gone: [], at: Self.at(10),
                expiresAt: Self.at(40)) == nil)
        // Another BMC is another lock.
        let elsewhere = try await other.acquireBMCLock(
            key: try BMCIdentity(address: "https://10.0.0.5", systemID: "2").key, holder: "b:2", workflowID: "W2",
            step: "apply", gone: [], at: Self.at(10), expiresAt: Self.at(40))
        #expect(elsewhere?.token == 1)

        // Renewed: its expiry moves on (never back), so a later acquire is still refused.
        #expect(try await store.renewBMCLocks(holder: "a:1", at: Self.at(20), expiresAt: Self.at(50)) == [grant])
        #expect(try await store.renewBMCLocks(holder: "a:1", at: Self.at(21), expiresAt: Self.at(40)) == [grant])
        #expect(try await other.bmcLocks().first { $0.key == key }?.expires == Self.at(50))
        #expect(
            try await other.acquireBMCLock(
                key: key, holder: "b:2", workflowID: "W2", step: "apply", gone: [], at: Self.at(45),
                expiresAt: Self.at(75)) == nil)
        await #expect(throws: (any Error).self) {
            _ = try await store.renewBMCLocks(holder: "a:1", at: Self.at(50), expiresAt: Self.at(50))
        }
        await #expect(throws: (any Error).self) {
            _ = try await store.acquireBMCLock(
                key: key, holder: "c:3", workflowID: "W3", step: "apply", gone: [], at: Self.at(60),
                expiresAt: Self.at(59))
        }

        // Released: the BMC is free at once, and the next grant's token is still larger.
        #expect(try await store.releaseBMCLock(grant))
        #expect(try await !store.releaseBMCLock(grant))
        #expect(try await other.bmcLocks().map(\.key) == [elsewhere?.key])
        #expect(try await store.renewBMCLocks(holder: "a:1", at: Self.at(46), expiresAt: Self.at(80)).isEmpty)
        let next = try await other.acquireBMCLock(
            key: key, holder: "b:2", workflowID: "W2", step: "verify", gone: [], at: Self.at(46),
            expiresAt: Self.at(76))
        #expect(next == BMCLockGrant(key: key, holder: "b:2", token: 2))
        #expect(
            try await store.renewBMCLocks(holder: "b:2", at: Self.at(47), expiresAt: Self.at(77)).map(\.key)
                == [key, elsewhere?.key].compactMap { $0 }.sorted())
    }

    @Test(
        "BMC locks: taken over when expired or held by a gone holder, each takeover fencing out the older grant",
        arguments: Backend.available)
    func bmcLockTakeover(backend: Backend) async throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (store, other) = try await Self.lockStores(backend, folder: folder)
        let key = try BMCIdentity(address: "http://127.0.0.1:8000/bmc/3").key
        let first = try #require(
            try await store.acquireBMCLock(
                key: key, holder: "a:1", workflowID: "W1", step: "apply", gone: [], at: Self.at(0),
                expiresAt: Self.at(30)))
        // Expired (its expiry reached): another process takes it over, with a larger token.
        let second = try #require(
            try await other.acquireBMCLock(
                key: key, holder: "b:2", workflowID: "W2", step: "apply", gone: [], at: Self.at(30),
                expiresAt: Self.at(60)))
        #expect(second.token == first.token + 1)
        // The old holder's release is refused and leaves the new holder's lock; its renewal no longer covers it.
        #expect(try await !store.releaseBMCLock(first))
        #expect(try await store.renewBMCLocks(holder: "a:1", at: Self.at(31), expiresAt: Self.at(90)).isEmpty)
        #expect(
            try await store.bmcLocks() == [
                BMCLock(
                    key: key, holder: "b:2", workflowID: "W2", step: "apply", token: second.token,
                    acquired: Self.at(30), expires: Self.at(60))
            ])

        // Unexpired but its holder is gone (a dead process): taken over at once; not by one who does not know it.
        #expect(
            try await store.acquireBMCLock(
                key: key, holder: "c:3", workflowID: "W3", step: "apply", gone: ["a:1"], at: Self.at(31),
                expiresAt: Self.at(61)) == nil)
        let third = try #require(
            try await store.acquireBMCLock(
                key: key, holder: "c:3", workflowID: "W3", step: "apply", gone: ["a:1", "b:2"], at: Self.at(31),
                expiresAt: Self.at(61)))
        #expect(third.token == second.token + 1)
        #expect(try await !other.releaseBMCLock(second))
        #expect(try await other.bmcLocks().map(\.holder) == ["c:3"])

        // The same run asking again (a retried step) gets a new grant, which fences out its own older one.
        let fourth = try #require(
            try await other.acquireBMCLock(
                key: key, holder: "c:3", workflowID: "W3", step: "verify", gone: [], at: Self.at(40),
                expiresAt: Self.at(70)))
        #expect(fourth.token == third.token + 1)
        #expect(try await other.bmcLocks().map(\.step) == ["verify"])
        #expect(try await !store.releaseBMCLock(third))
        #expect(try await store.releaseBMCLock(fourth))
        #expect(try await other.bmcLocks().isEmpty)
    }

    @Test(
        "BMC locks: of 40 holders acquiring one BMC at once through two handles, exactly one is granted",
        arguments: Backend.available)
    func bmcLockConcurrentAcquire(backend: Backend) async throws {
        // Twice: a BMC never locked (every acquirer inserts at once), then after the winner's lock expired (every
        // acquirer takes it over at once).
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (store, other) = try await Self.lockStores(backend, folder: folder)
        let key = try BMCIdentity(address: "https://bmc-7.rack1.example").key
        func race(at start: Int) async throws -> [BMCLockGrant] {
            try await withThrowingTaskGroup(of: BMCLockGrant?.self) { group in
                for holder in 0..<40 {
                    let handle = holder % 2 == 0 ? store : other
                    group.addTask {
                        try await handle.acquireBMCLock(
                            key: key, holder: "host-\(holder):\(start)", workflowID: "W\(holder)-\(start)",
                            step: "apply", gone: [], at: Self.at(start), expiresAt: Self.at(start + 30))
                    }
                }
                return try await group.reduce(into: []) { grants, grant in if let grant { grants.append(grant) } }
            }
        }
        let fresh = try await race(at: 0)
        #expect(fresh.count == 1)
        #expect(try await store.bmcLocks().map(\.grant) == fresh)
        let takeover = try await race(at: 30)
        #expect(takeover.count == 1)
        #expect(takeover.first?.token == 2)
        #expect(try await other.bmcLocks().map(\.grant) == takeover)
    }
}

import Foundation
import Logging
import PostgresNIO
import TestSupport

@testable import Store

/// A fresh database on the test PostgreSQL per use, so tests running at once never see each other's rows.
enum PostgresScratch {
    static let logger = Logger(label: "store-tests-postgres")

    /// The peer's configuration (the `postgres` database), the password from its 0600 file.
    static func configuration(database: String? = nil) throws -> PostgresConfiguration {
        var configuration = try PostgresConfiguration(
            url: try Peer.value("HWA_TEST_POSTGRES_URL"),
            environment: ["HWA_DATABASE_PASSWORD_FILE": try Peer.value("HWA_TEST_POSTGRES_PASSWORD_FILE")])
        if let database { configuration.database = database }
        return configuration
    }

    /// Creates an empty database; its configuration.
    static func database() async throws -> PostgresConfiguration {
        let name = "hwa_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = try configuration()
        let client = PostgresClient(
            configuration: .init(
                host: admin.host, port: admin.port, username: admin.user, password: admin.password,
                database: admin.database, tls: .disable),
            backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            group.cancelAll()
        }
        return try configuration(database: name)
    }

    /// A store on a new database.
    static func store(box: SecretBox) async throws -> PostgresStore {
        try await PostgresStore.open(try await database(), box: box, logger: logger)
    }
}

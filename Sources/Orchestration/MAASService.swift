import Foundation
import Logging
import MAAS
import Store

/// The MAAS operations the CLI and the API both offer, in one place: which key is used for which region (checked
/// before anything is sent), a client closed on every path, and the same errors for both.
public struct MAASService: Sendable {
    /// Where the API key comes from.
    public enum Key: Sendable, Hashable {
        /// A stored credential (kind maas), checked against the region's address before use.
        case credential(String)
        /// The key itself (from the environment; never from a command line).
        case key(String)
    }

    /// The region (`http://maas:5240/MAAS`).
    public var url: URL
    /// Its key.
    public var key: Key
    /// TLS for an https region: `verify`, `insecure`, `ca:FILE` (nil: verify).
    public var tls: String?
    /// How long a request may take.
    public var timeout: Duration
    private let store: (any Store)?
    private let logger: Logger

    /// The region at `url`; `store` is where a stored credential is read (and what `sync` updates).
    public init(
        url: URL, key: Key, tls: String? = nil, timeout: Duration = .seconds(30), store: (any Store)?, logger: Logger
    ) {
        self.url = url
        self.key = key
        self.tls = tls
        self.timeout = timeout
        self.store = store
        self.logger = logger
    }

    /// The region `settings` names, with its stored credential.
    public init(_ settings: MAASSettings, store: any Store, logger: Logger) {
        self.init(
            url: settings.url, key: .credential(settings.credential), tls: settings.tls, store: store, logger: logger)
    }

    /// Runs `body` with a client of the region, closed however `body` ends. A missing or misdirected credential is
    /// refused before any request (`.unavailable`); whatever else fails is an `.upstream` error naming the region.
    public func withClient<T: Sendable>(_ body: (MAASClient) async throws -> T) async throws(ServiceError) -> T {
        let client = try await client()
        do {
            return try await client.closing(body)
        } catch {
            if let error = error as? ServiceError { throw error }
            if error is StoreError { throw ServiceError(.store, "the store failed: \(error)") }
            throw ServiceError(.upstream, "MAAS at \(url.absoluteString) failed: \(error)")
        }
    }

    /// The region's machines, only those in `status` (any case) when given, only `hostnames` when given.
    public func machines(status: String? = nil, hostnames: [String] = []) async throws(ServiceError)
        -> [MAASMachineSummary]
    {
        let machines = try await withClient { client in
            try await client.machines(filters: hostnames.map { ("hostname", $0) })
        }
        let wanted = status?.lowercased()
        return machines.filter { wanted == nil || $0.statusName.lowercased() == wanted }.map(MAASMachineSummary.init)
    }

    /// Imports or links every machine into the store and reports drift (`MAASSync.run`).
    public func sync() async throws(ServiceError) -> [MAASSync.Row] {
        guard let store else { throw ServiceError(.unavailable, "MAAS sync needs a store") }
        return try await withClient { client in try await MAASSync.run(client: client, store: store) }
    }

    private func client() async throws(ServiceError) -> MAASClient {
        let apiKey: String
        switch key {
        case .key(let key):
            apiKey = key
        case .credential(let name):
            guard let store else { throw ServiceError(.unavailable, "a stored credential needs a store") }
            let stored: Credential?
            do {
                stored = try await store.credential(name: name)
            } catch {
                throw ServiceError(.store, "the store failed: \(error)")
            }
            guard let stored else {
                throw ServiceError(
                    .unavailable, "no stored credential \(name) (`hwautomation credentials list`)")
            }
            do {
                try stored.check(sendingTo: url)
            } catch {
                throw ServiceError(.unavailable, "\(error)")
            }
            apiKey = stored.secret
        }
        do {
            return MAASClient(
                endpoint: try MAASEndpoint(url: url, apiKey: apiKey, tlsPolicy: tls, timeout: timeout), logger: logger)
        } catch {
            throw ServiceError(.unavailable, "the MAAS settings are not usable: \(error)")
        }
    }
}

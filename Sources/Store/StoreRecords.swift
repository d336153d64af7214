import Foundation
import WorkflowEngine

/// A server HWAutomation knows.
public struct ServerRecord: Sendable, Hashable, Codable {
    /// Stable id (the serial, or a UUID).
    public var id: String
    /// Display name.
    public var name: String
    /// BMC address (`10.0.0.5`, `https://10.0.0.5`).
    public var bmcAddress: String?
    /// Name of the stored credential for the BMC.
    public var credential: String?
    /// SSH host for in-band discovery.
    public var sshHost: String?
    /// Classified device type.
    public var deviceType: String?
    /// Classification confidence (`high`, ...).
    public var confidence: String?
    /// Lifecycle status (`new`, `discovered`, `configured`, `commissioned`, `failed`).
    public var status: String
    /// Tags.
    public var tags: [String]
    /// The latest inventory, as JSON.
    public var inventory: String?
    /// Its machine in MAAS (`system_id`), once known.
    public var maasSystemID: String?
    /// Last change.
    public var updatedAt: Date

    /// Creates a record.
    public init(
        id: String, name: String, bmcAddress: String? = nil, credential: String? = nil, sshHost: String? = nil,
        deviceType: String? = nil, confidence: String? = nil, status: String = "new", tags: [String] = [],
        inventory: String? = nil, maasSystemID: String? = nil, updatedAt: Date = Date()
    ) {
        self.maasSystemID = maasSystemID
        self.id = id
        self.name = name
        self.bmcAddress = bmcAddress
        self.credential = credential
        self.sshHost = sshHost
        self.deviceType = deviceType
        self.confidence = confidence
        self.status = status
        self.tags = tags
        self.inventory = inventory
        self.updatedAt = updatedAt
    }
}

/// A stored credential, decrypted. `check(sendingTo:)` says whether it may go to an address (its `scope`).
public struct Credential: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// User.
    public var user: String?
    /// The secret.
    public var secret: String
    /// Where it may be sent.
    public var scope: CredentialScope

    /// A credential.
    public init(name: String, user: String?, secret: String, scope: CredentialScope = .unbound) {
        self.name = name
        self.user = user
        self.secret = secret
        self.scope = scope
    }
}

/// What listing credentials shows: never the secret.
public struct CredentialSummary: Sendable, Hashable, Codable {
    /// Name.
    public var name: String
    /// User.
    public var user: String?
    /// Kind (`bmc`, `ssh`, `maas`).
    public var kind: String
    /// When it was stored.
    public var created: Date
    /// The addresses it is bound to (empty: unbound).
    public var allow: [String]
    /// Whether it may be sent over plain http.
    public var allowPlainHTTP: Bool
    /// Whether it is unbound: usable against any address.
    public var unbound: Bool

    /// A summary.
    public init(name: String, user: String?, kind: String, created: Date, scope: CredentialScope = .unbound) {
        self.name = name
        self.user = user
        self.kind = kind
        self.created = created
        allow = scope.patterns
        allowPlainHTTP = scope.allowPlainHTTP
        unbound = scope.isUnbound
    }

    enum CodingKeys: String, CodingKey {
        case name, user, kind, created, allow, unbound
        case allowPlainHTTP = "allow_plain_http"
    }
}

/// An address handed to a server from a pool.
public struct PoolAssignment: Sendable, Hashable, Codable {
    /// Pool name.
    public var pool: String
    /// The address.
    public var address: String
    /// The server.
    public var serverID: String
    /// When.
    public var assignedAt: Date

    enum CodingKeys: String, CodingKey {
        case pool, address
        case serverID = "server_id"
        case assignedAt = "assigned_at"
    }
}

/// BIOS settings saved before a change.
public struct BIOSBackupRecord: Sendable, Hashable, Codable {
    /// Row id (assigned by the store).
    public var id: Int64?
    /// The BMC.
    public var bmc: String
    /// The device type applied.
    public var deviceType: String
    /// When.
    public var taken: Date
    /// The attributes as JSON.
    public var attributes: String

    /// Creates a record.
    public init(id: Int64? = nil, bmc: String, deviceType: String, taken: Date = Date(), attributes: String) {
        self.id = id
        self.bmc = bmc
        self.deviceType = deviceType
        self.taken = taken
        self.attributes = attributes
    }
}

/// Who did what, when.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// When.
    public var at: Date
    /// Who (a user, a token's name, `cli`).
    public var actor: String
    /// What (`bios.apply`, `credential.set`).
    public var action: String
    /// To what (a server id, a BMC).
    public var target: String
    /// Details, no secrets.
    public var detail: String

    /// Creates an entry.
    public init(at: Date = Date(), actor: String, action: String, target: String, detail: String = "") {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}

/// A store operation failed.
public struct StoreError: Error, Sendable, CustomStringConvertible, WorkflowLeaseConflictReporting {
    /// What went wrong and what to do.
    public var message: String
    /// Set when a fenced workflow write was refused: the run's stored lease is no longer the writer's.
    public var leaseConflict: WorkflowLeaseConflict?

    /// Creates an error.
    public init(_ message: String, leaseConflict: WorkflowLeaseConflict? = nil) {
        self.message = message
        self.leaseConflict = leaseConflict
    }

    /// The message.
    public var description: String { message }
}

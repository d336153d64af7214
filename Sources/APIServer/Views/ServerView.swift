import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

/// A server as the API shows it (the inventory only on request, never a secret: the credential is a store name).
struct ServerView: Sendable, Hashable, Codable {
    var id: String
    var name: String
    var bmc: String?
    var credential: String?
    var sshHost: String?
    var deviceType: String?
    var confidence: String?
    var status: String
    var tags: [String]
    var maasSystemID: String?
    var updated: Date
    var hasInventory: Bool
    /// Whether a run planned its BIOS (`GET …/bios/plan` answers): in one server's view only, not in lists.
    var hasBIOSPlan: Bool?
    /// Whether a boarding validation was recorded (`GET …/validation` answers): in one server's view only.
    var hasValidation: Bool?

    init(_ record: ServerRecord, hasBIOSPlan: Bool? = nil, hasValidation: Bool? = nil) {
        id = record.id
        name = record.name
        bmc = record.bmcAddress
        credential = record.credential
        sshHost = record.sshHost
        deviceType = record.deviceType
        confidence = record.confidence
        status = record.status
        tags = record.tags
        maasSystemID = record.maasSystemID
        updated = record.updatedAt
        hasInventory = record.inventory != nil
        self.hasBIOSPlan = hasBIOSPlan
        self.hasValidation = hasValidation
    }

    enum CodingKeys: String, CodingKey {
        case id, name, bmc, credential, confidence, status, tags, updated
        case sshHost = "ssh_host"
        case deviceType = "device_type"
        case maasSystemID = "maas_system_id"
        case hasInventory = "has_inventory"
        case hasBIOSPlan = "has_bios_plan"
        case hasValidation = "has_validation"
    }
}

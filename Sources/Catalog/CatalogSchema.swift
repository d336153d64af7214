import Foundation
import Yams

/// Our catalog schema: a directory a person can read and review.
///
/// ```
/// catalog.yaml               schema version, global settings, preserve list
/// vendors/<vendor>.yaml      the vendor, its boards and tools, and its device types keyed by name
/// firmware.yaml              firmware repository settings, mappings, policies, profiles
/// bios-templates/<type>.yaml parsed BIOS templates for one device type
/// ```
public enum CatalogSchema {
    /// The schema this build reads and writes.
    public static let version = 1
    /// The manifest's file name; its presence marks a directory in our schema.
    public static let manifestFile = "catalog.yaml"
    static let vendorsFolder = "vendors"
    static let firmwareFile = "firmware.yaml"
    static let templatesFolder = "bios-templates"
    /// Encoder user-info key: device types are being written inside a vendor file.
    static let nestedKey = CodingUserInfoKey(rawValue: "hwautomation.catalog.nested")!

    struct Manifest: Codable {
        var schemaVersion: Int
        var importedFrom: String?
        var settings: GlobalSettings
        var preserveSettings: [String]

        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version"
            case importedFrom = "imported_from"
            case settings
            case preserveSettings = "preserve_settings"
        }
    }

    struct VendorFile: Codable {
        var vendor: Vendor
        var deviceTypes: [String: DeviceType]

        enum CodingKeys: String, CodingKey {
            case vendor
            case deviceTypes = "device_types"
        }
    }

    struct TemplateFile: Codable {
        var deviceType: String
        var templates: [BIOSTemplate]

        enum CodingKeys: String, CodingKey {
            case deviceType = "device_type"
            case templates
        }
    }
}

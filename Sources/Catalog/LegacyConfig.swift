// The legacy hwautomation config files, read as they are. Every field is optional: unknown keys are
// ignored and missing ones reported by the importer, so an operator's existing directory loads unchanged.

/// `devices/unified_device_config.yaml`.
struct LegacyUnifiedFile: Decodable {
    var device_configuration: LegacyDeviceConfiguration
}

struct LegacyDeviceConfiguration: Decodable {
    var version: String?
    var last_updated: String?
    var global_settings: LegacyGlobalSettings?
    var vendors: [String: LegacyVendor]?
}

struct LegacyGlobalSettings: Decodable {
    var firmware: FirmwareSafety?
    var default_bios_method: String?
    var auto_detect_capabilities: Bool?
}

struct LegacyVendor: Decodable {
    var display_name: String?
    var support_url: String?
    var firmware: LegacyVendorFirmware?
    var motherboards: [String: LegacyMotherboard]?
}

struct LegacyVendorFirmware: Decodable {
    var bios: FirmwareUpdateMethod?
    var bmc: FirmwareUpdateMethod?
    var tools: [String: VendorTool]?

    var methods: [String: FirmwareUpdateMethod] {
        var result: [String: FirmwareUpdateMethod] = [:]
        result["bios"] = bios
        result["bmc"] = bmc
        return result
    }
}

struct LegacyMotherboard: Decodable {
    var model: String?
    var device_types: [String: LegacyDeviceType]?
}

/// A device type as both legacy files write it (the unified file nests it under a board; the mappings
/// file lists `motherboards`).
struct LegacyDeviceType: Decodable {
    var description: String?
    var hardware_specs: LegacyHardwareSpecs?
    var boot_configs: [String: SettingValue]?
    var cpu_configs: [String: SettingValue]?
    var memory_configs: [String: SettingValue]?
    var security_configs: [String: SettingValue]?
    var bios_settings: LegacyRouting?
    var bios_setting_methods: LegacyRouting?
    var redfish_settings: [String]?
    var vendor_only_settings: [String]?
    var redfish_capable: Bool?
    var preferred_bios_method: String?
    var fallback_bios_method: String?
    var method_performance: MethodPerformance?
    var redfish_compatibility: RedfishCompatibility?
    var motherboards: [String]?
}

struct LegacyHardwareSpecs: Decodable {
    var cpu_cores: Int?
    var cpu_frequency: Double?
    var cpu_name: String?
    var network: String?
    var ram_gb: Int?
    var storage: String?
    var vendor: String?
}

/// `redfish_preferred` / `redfish_fallback` / `vendor_only`: setting name → description.
struct LegacyRouting: Decodable {
    var redfish_preferred: [String: String?]?
    var redfish_fallback: [String: String?]?
    var vendor_only: [String: String?]?

    var isEmpty: Bool {
        (redfish_preferred ?? [:]).isEmpty && (redfish_fallback ?? [:]).isEmpty && (vendor_only ?? [:]).isEmpty
    }

    var routed: [String: RoutedSetting] {
        var result: [String: RoutedSetting] = [:]
        for (route, settings) in [
            (SettingRoute.redfishPreferred, redfish_preferred), (.redfishFallback, redfish_fallback),
            (.vendorOnly, vendor_only),
        ] {
            for (name, description) in settings ?? [:] {
                result[name] = RoutedSetting(route: route, description: description ?? nil)
            }
        }
        return result
    }
}

/// `bios/device_mappings.yaml`.
struct LegacyMappingsFile: Decodable {
    var device_types: [String: LegacyDeviceType]
}

/// `bios/template_rules.yaml`.
struct LegacyTemplateRulesFile: Decodable {
    var template_rules: [String: LegacyTemplateRule]
}

struct LegacyTemplateRule: Decodable {
    var description: String?
    var modifications: [String: String]?
}

/// `bios/preserve_settings.yaml`.
struct LegacyPreserveFile: Decodable {
    var preserve_settings: [String]
    var description: String?
}

/// `firmware/firmware_repository.yaml`.
struct LegacyFirmwareFile: Decodable {
    var firmware_repository: LegacyFirmwareRepository
    var device_firmware_mapping: [String: FirmwareMapping]?
    var update_policies: [String: UpdatePolicy]?
    var firmware_profiles: [String: FirmwareProfile]?
    var mock_vendor_responses: LegacyVendorResponses?
}

struct LegacyFirmwareRepository: Decodable {
    var base_path: String?
    var download_enabled: Bool?
    var auto_verify: Bool?
    var cache_duration: Int?
    var max_concurrent_downloads: Int?
    var global_settings: FirmwareSafety?
    var vendors: [String: LegacyFirmwareVendor]?
}

struct LegacyFirmwareVendor: Decodable {
    var display_name: String?
    var support_url: String?
    var bios: FirmwareUpdateMethod?
    var bmc: FirmwareUpdateMethod?
    var tools: [String: VendorTool]?
    var example_files: [String: [LegacyExampleFile]]?
    var motherboards: [String: LegacyFirmwareBoard]?

    var methods: [String: FirmwareUpdateMethod] {
        var result: [String: FirmwareUpdateMethod] = [:]
        result["bios"] = bios
        result["bmc"] = bmc
        return result
    }
}

struct LegacyExampleFile: Decodable {
    var file: String
    var version: String
    var checksum: String?
}

struct LegacyFirmwareBoard: Decodable {
    var model: String?
}

/// `mock_vendor_responses`: kept only for its real-looking version strings.
struct LegacyVendorResponses: Decodable {
    var entries: [String: LegacyVendorResponse]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var entries: [String: LegacyVendorResponse] = [:]
        for key in container.allKeys where key.stringValue != "enabled" {
            entries[key.stringValue] = try container.decode(LegacyVendorResponse.self, forKey: key)
        }
        self.entries = entries
    }
}

struct LegacyVendorResponse: Decodable {
    var new_firmware: [LegacyNewFirmware]?
}

struct LegacyNewFirmware: Decodable {
    var vendor: String
    var device_type: String?
    var component: String
    var current_version: String
    var latest_version: String
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

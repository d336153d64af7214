import ArgumentParser
import Catalog
import Foundation

/// `hwautomation catalog show TYPE`.
struct CatalogShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show everything known about one device type, including its BIOS templates and rules.")

    @OptionGroup var options: CatalogOptions

    @Argument(help: ArgumentHelp("The device type (s2.c2.small; s2_c2_small works too).", valueName: "type"))
    var type: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let loaded = try options.load()
        let catalog = loaded.catalog
        guard let deviceType = catalog.deviceType(named: type) else {
            let suggestions = Self.closest(to: type, in: Array(catalog.deviceTypes.keys))
            throw CommandFailure(
                "no device type `\(type)` in \(loaded.directory)."
                    + (suggestions.isEmpty ? "" : " Did you mean: \(suggestions.joined(separator: ", "))?")
                    + " See `hwautomation catalog list`.")
        }
        let report = try DeviceTypeReport(deviceType, in: catalog)
        if json {
            print(try Terminal.json(report))
        } else {
            print(report.text)
        }
    }

    /// Names sharing the most leading characters with `name`, best first.
    static func closest(to name: String, in names: [String]) -> [String] {
        let wanted = Array(DeviceTypeName.canonical(name).lowercased())
        let scored = names.map { candidate -> (String, Int) in
            let chars = Array(candidate.lowercased())
            var common = 0
            while common < min(chars.count, wanted.count), chars[common] == wanted[common] { common += 1 }
            return (candidate, common)
        }
        let best = scored.map(\.1).max() ?? 0
        guard best >= 2 else { return [] }
        return scored.filter { $0.1 == best }.map(\.0).sorted().prefix(5).map { $0 }
    }
}

/// What `catalog show` prints.
struct DeviceTypeReport: Encodable {
    struct TemplateSummary: Encodable {
        var name: String
        var format: BIOSTemplate.Format
        var settings: [BIOSTemplate.Setting]
    }

    var deviceType: DeviceType
    var effectiveBIOSMethod: BIOSMethod
    var templates: [TemplateSummary]
    var firmwareMapping: FirmwareMapping?
    var preservePatterns: [String]

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case effectiveBIOSMethod = "effective_bios_method"
        case templates
        case firmwareMapping = "firmware_mapping"
        case preservePatterns = "preserve_patterns"
    }

    init(_ type: DeviceType, in catalog: Catalog) throws {
        deviceType = type
        effectiveBIOSMethod = catalog.preferredBIOSMethod(for: type)
        templates = try catalog.templates(for: type.name).map { entry in
            do throws(CatalogDiagnostic) {
                let template = try entry.load()
                return TemplateSummary(name: entry.name, format: template.format, settings: template.settings)
            } catch {
                Terminal.printError(error.description)
                throw ExitCode(1)
            }
        }
        firmwareMapping = catalog.firmware.deviceMapping[type.name] ?? catalog.firmware.deviceMapping["default"]
        preservePatterns = catalog.preserve.patterns
    }

    var text: String {
        let type = deviceType
        let hardware = type.hardware
        var lines: [String] = []
        func field(_ name: String, _ value: String) {
            lines.append("  " + name.padding(toLength: 16, withPad: " ", startingAt: 0) + value)
        }
        lines.append("\(type.name)  (\(type.vendor), origin: \(type.origin.rawValue))")
        if let description = type.description { lines.append("  \(description)") }
        lines.append("")
        lines.append("Hardware")
        field("boards", type.boards.isEmpty ? "unknown" : type.boards.joined(separator: ", "))
        field(
            "cpu",
            (hardware.cpu.legacyName ?? "unknown")
                + " (\(hardware.cpu.sockets) socket\(hardware.cpu.sockets == 1 ? "" : "s"))")
        field("cores", hardware.cpu.cores.map { "\($0) physical, all sockets" } ?? "unknown")
        field("frequency", hardware.cpu.frequencyGHz.map { "\($0) GHz" } ?? "unknown")
        field("memory", hardware.memoryGiB.map { "\($0) GB" } ?? "unknown")
        field("storage", hardware.storage?.map(\.description).joined(separator: " + ") ?? "unknown")
        field("network", hardware.network?.map(\.description).joined(separator: " + ") ?? "unknown")
        lines.append("")
        lines.append("Desired configuration")
        for (group, settings) in [
            ("boot", type.boot), ("cpu", type.cpu), ("memory", type.memory), ("security", type.security),
        ]
        where !settings.isEmpty {
            field(group, settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append("BIOS")
        field(
            "method", "\(effectiveBIOSMethod.rawValue)" + (type.bios.preferredMethod == nil ? " (catalog default)" : "")
        )
        if let fallback = type.bios.fallbackMethod { field("fallback", fallback.rawValue) }
        if !type.bios.routing.isEmpty {
            for route in SettingRoute.allCases {
                let names = type.bios.routing.filter { $0.value.route == route }.keys.sorted()
                if !names.isEmpty { field(route.rawValue, names.joined(separator: ", ")) }
            }
        }
        if let rules = type.bios.rules {
            field("rules", "\(rules.modifications.count) settings" + (rules.description.map { " (\($0))" } ?? ""))
            for key in rules.modifications.keys.sorted() { lines.append("    \(key) = \(rules.modifications[key]!)") }
        } else {
            field("rules", "none")
        }
        if templates.isEmpty { field("templates", "none") }
        for template in templates {
            field("template", "\(template.name) (\(template.format.rawValue), \(template.settings.count) settings)")
        }
        field("preserved", "\(preservePatterns.count) patterns never overwritten (catalog status lists them)")
        lines.append("")
        lines.append("Redfish")
        field("capable", type.redfish.capable.map { $0 ? "yes" : "no" } ?? "unknown")
        if let compatibility = type.redfish.compatibility {
            if let version = compatibility.versionMin { field("version min", version) }
            if let bios = compatibility.biosConfigSupport { field("bios config", bios ? "supported" : "not supported") }
        }
        if let mapping = firmwareMapping {
            lines.append("")
            lines.append("Firmware")
            field("profile", mapping.profile ?? "none")
            field(
                "families",
                "bios \(mapping.biosFamily ?? "?"), bmc \(mapping.bmcFamily ?? "?"), model \(mapping.modelFamily ?? "?")"
            )
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation
import Testing

@testable import Catalog

/// Each malformed input yields one clear error with its file and line, and nothing crashes.
@Suite("Malformed catalog inputs")
struct MalformedInputTests {
    /// The single error `catalog validate` reports; templates are parsed on demand, so only they load without error.
    private func onlyError(in directory: URL, loadFails: Bool = true) throws -> CatalogDiagnostic {
        let loaded = CatalogLoader.inspect(directory: directory.path)
        let errors = CatalogValidation.diagnostics(of: loaded).filter { $0.severity == .error }
        #expect(errors.count == 1, "expected one error, got: \(errors.map(\.description))")
        if loadFails {
            #expect(throws: CatalogLoadError.self) { try CatalogLoader.load(directory: directory.path) }
        }
        return try #require(errors.first)
    }

    @Test("bad YAML indentation")
    func badIndentation() throws {
        let text = """
            device_configuration:
              vendors:
                supermicro:
                  display_name: Super Micro
                 motherboards: {}
            """
        let directory = try Fixtures.directory(["devices/unified_device_config.yaml": text])
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try onlyError(in: directory)
        #expect(error.code == "yaml-syntax")
        #expect(error.location.file.hasSuffix("devices/unified_device_config.yaml"))
        #expect(error.location.line == 5)
    }

    @Test("a word where cpu_cores needs a number")
    func wrongTypeForCores() throws {
        let body = Fixtures.validTypeBody.replacingOccurrences(of: "cpu_cores: 6", with: "cpu_cores: six")
        let directory = try Fixtures.directory(["devices/unified_device_config.yaml": Fixtures.unified(typeBody: body)])
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try onlyError(in: directory)
        #expect(error.code == "invalid-value")
        #expect(error.location.line == 15)
        #expect(error.message.contains("cpu_cores"))
        #expect(error.message.contains("whole number"))
        #expect(error.message.contains("'six'"))
    }

    @Test("an unclosed XML tag in a template")
    func unclosedXML() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <BiosCfg>
                <Menu name="Advanced">
                    <Setting name="Boot mode select" selectedOption="UEFI" />
                <Menu name="IPMI">
            </BiosCfg>
            """
        let directory = try Fixtures.directory([
            "devices/unified_device_config.yaml": Fixtures.unified(typeBody: Fixtures.validTypeBody),
            "bios/xml_templates/s9.c1.small.xml": xml,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try onlyError(in: directory, loadFails: false)
        #expect(error.code == "template-xml")
        #expect(error.location.file.hasSuffix("bios/xml_templates/s9.c1.small.xml"))
        #expect(error.location.line != nil)
    }

    @Test("an empty file")
    func emptyFile() throws {
        let directory = try Fixtures.directory(["devices/unified_device_config.yaml": "\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try onlyError(in: directory)
        #expect(error.code == "empty-file")
        #expect(error.location.file.hasSuffix("devices/unified_device_config.yaml"))
    }

    @Test("a missing directory")
    func missingDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hwa-no-such-\(UUID().uuidString)")
        let error = try onlyError(in: directory)
        #expect(error.code == "missing-directory")
        #expect(error.location.file == directory.path)
    }

    @Test("a directory that is no catalog at all")
    func unrecognisedDirectory() throws {
        let directory = try Fixtures.directory(["README": "nothing here"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try onlyError(in: directory)
        #expect(error.code == "unrecognised-directory")
    }

    @Test("an unknown BIOS method, a rule for a missing type and a duplicate key are errors")
    func semanticErrors() throws {
        let body = Fixtures.validTypeBody.replacingOccurrences(
            of: "preferred_bios_method: hybrid", with: "preferred_bios_method: magic")
        let rules = """
            template_rules:
              s9_c9_huge:
                modifications:
                  BootMode: UEFI
            """
        let directory = try Fixtures.directory([
            "devices/unified_device_config.yaml": Fixtures.unified(typeBody: body),
            "bios/template_rules.yaml": rules,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let errors = CatalogLoader.inspect(directory: directory.path).diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code).sorted() == ["rule-for-unknown-type", "unknown-bios-method"])
        #expect(errors.allSatisfy { $0.location.line != nil })

        let duplicate = """
            device_types:
              s1.a:
                hardware_specs: {cpu_cores: 1, cpu_name: X, ram_gb: 1, vendor: supermicro}
              s1.a:
                hardware_specs: {cpu_cores: 2, cpu_name: X, ram_gb: 1, vendor: supermicro}
            """
        let second = try Fixtures.directory(["bios/device_mappings.yaml": duplicate])
        defer { try? FileManager.default.removeItem(at: second) }
        let duplicateErrors = CatalogLoader.inspect(directory: second.path).diagnostics.filter { $0.severity == .error }
        #expect(duplicateErrors.map(\.code) == ["duplicate-key"])
    }

    @Test("the same type under two boards of the unified file is a duplicate")
    func duplicateAcrossBoards() throws {
        var text = Fixtures.unified(typeBody: Fixtures.validTypeBody)
        text += "\n        X12STW-TF:\n          device_types:\n            s9_c1_small:\n"
        text += Fixtures.validTypeBody + "\n"
        let directory = try Fixtures.directory(["devices/unified_device_config.yaml": text])
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try onlyError(in: directory)
        #expect(error.code == "duplicate-type")
        #expect(error.message.contains("s9.c1.small"))
        #expect(error.location.line == 25)
    }

    @Test("an unknown vendor and missing specs are reported against the type")
    func unknownVendorAndMissingSpecs() throws {
        let mappings = """
            device_types:
              z1.small:
                hardware_specs: {cpu_cores: 4, cpu_name: Some CPU, ram_gb: 8, vendor: acme, storage: 1x 1TB NVMe, network: 1x 1Gbps, cpu_frequency: 2}
              z1.large:
                hardware_specs: {cpu_name: Some CPU, vendor: acme}
            """
        let directory = try Fixtures.directory(["bios/device_mappings.yaml": mappings])
        defer { try? FileManager.default.removeItem(at: directory) }
        let loaded = CatalogLoader.inspect(directory: directory.path)
        // A vendor that only device types name is created from them; specs missing are errors.
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.filter { $0.code == "missing-spec" }.count == 2)
        #expect(errors.allSatisfy { $0.message.contains("z1.large") && $0.location.line == 4 })
    }
}

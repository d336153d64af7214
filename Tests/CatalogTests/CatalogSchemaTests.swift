import Foundation
import Testing

@testable import Catalog

@Suite("Our catalog schema")
struct CatalogSchemaTests {
    @Test("import → write → load gives an equal catalog")
    func roundTrip() throws {
        let legacy = try Fixtures.legacy()
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("configs")
        try CatalogWriter.write(legacy.catalog, to: target, importedFrom: "test")
        let reloaded = try CatalogLoader.load(directory: target.path)
        #expect(reloaded.kind == .catalog)
        let expected = try legacy.catalog.resolvingTemplates()
        #expect(reloaded.catalog == expected)
        // And once more from our own schema.
        let again = directory.appendingPathComponent("again")
        try CatalogWriter.write(reloaded.catalog, to: again)
        #expect(try CatalogLoader.load(directory: again.path).catalog == expected)
    }

    @Test("the shipped catalog is what the importer makes of the legacy set, plus our own (Dell) types")
    func shippedIsCurrent() throws {
        let shipped = try CatalogLoader.load(directory: nil)
        #expect(shipped.kind == .shipped)
        let legacy = try Fixtures.legacy()
        let own = shipped.catalog.deviceTypes.values.filter { $0.origin == .catalog }.map(\.name).sorted()
        #expect(own == ["p1.c1.large", "p1.s1.xlarge", "p2.c1.large"])
        #expect(
            shipped.catalog == (try legacy.catalog.resolvingTemplates()).carryingOwnTypes(from: shipped.catalog),
            "configs/ is stale: run `hwautomation catalog import --from ../shared/reference/hwautomation-configs --to configs/`"
        )
    }

    @Test("the shipped catalog works with no config directory: ≥ 44 types, hpe and supermicro")
    func shippedCatalog() throws {
        let shipped = try CatalogLoader.load(directory: nil)
        let status = CatalogStatus(shipped)
        #expect(status.deviceTypes >= 44)
        #expect(Set(status.vendors).isSuperset(of: ["hpe", "supermicro"]))
        #expect(status.errors.isEmpty)
        #expect(status.templates.indexed == 90)
        #expect(status.templates.unparseable == 0)
    }

    @Test("writing refuses a non-empty directory that is not a catalog, and leaves it as it was")
    func refusesForeignDirectory() throws {
        let directory = try Fixtures.directory(["notes.txt": "keep me"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: CatalogWriter.Failure.self) {
            try CatalogWriter.write(Catalog(), to: directory)
        }
        #expect(try String(contentsOf: directory.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
    }

    @Test("a type with the wrong vendor for its file, and a newer schema, are errors")
    func schemaErrors() throws {
        let manifest =
            "schema_version: 1\nsettings: {default_bios_method: hybrid, auto_detect_capabilities: true, firmware: {}}\npreserve_settings: []\n"
        let vendor = """
            vendor:
              id: hpe
            device_types:
              x1.small:
                vendor: supermicro
                hardware:
                  cpu: {model: X, sockets: 1, cores: 4}
                  memory_gib: 8
            """
        let directory = try Fixtures.directory(["catalog.yaml": manifest, "vendors/hpe.yaml": vendor])
        defer { try? FileManager.default.removeItem(at: directory) }
        let errors = CatalogLoader.inspect(directory: directory.path).diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code).contains("vendor-mismatch"))
        #expect(errors.allSatisfy { $0.location.line == 4 })

        let newer = try Fixtures.directory([
            "catalog.yaml": manifest.replacingOccurrences(of: "schema_version: 1", with: "schema_version: 99"),
            "vendors/hpe.yaml": "vendor:\n  id: hpe\ndevice_types: {}\n",
        ])
        defer { try? FileManager.default.removeItem(at: newer) }
        let newerErrors = CatalogLoader.inspect(directory: newer.path).diagnostics.filter { $0.severity == .error }
        #expect(newerErrors.map(\.code) == ["schema-version"])
        #expect(newerErrors.first?.location.line == 1)
    }
}

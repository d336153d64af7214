import Foundation
import Testing

@testable import Catalog

/// Paths and helpers shared by the catalog tests.
enum Fixtures {
    /// The repository's root (two levels above this file's folder).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The legacy config set users bring (read from ../shared, never copied into the repository).
    static var legacyDirectory: String {
        if let path = ProcessInfo.processInfo.environment["HWA_LEGACY_CONFIG_DIR"] { return path }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent(
            "shared/reference/hwautomation-configs"
        )
        .path
    }

    /// Loads the legacy set, failing the test when it has errors.
    static func legacy() throws -> LoadedCatalog {
        try #require(
            FileManager.default.fileExists(atPath: legacyDirectory),
            "the legacy config set is expected at \(legacyDirectory) (../shared beside the repository)")
        return try CatalogLoader.load(directory: legacyDirectory)
    }

    /// A fresh temporary directory, removed by the caller's `defer`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `files` (relative path → text) under a new temporary directory.
    static func directory(_ files: [String: String]) throws -> URL {
        let root = try temporaryDirectory()
        for (relative, text) in files {
            let url = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    /// A small legacy unified file with one vendor, one board and the given device type body.
    static func unified(typeBody: String, name: String = "s9.c1.small") -> String {
        """
        device_configuration:
          version: '2.0'
          global_settings:
            default_bios_method: hybrid
          vendors:
            supermicro:
              display_name: Super Micro Computer Inc.
              motherboards:
                X12STE-F:
                  model: X12STE-F
                  device_types:
                    \(name):
        \(typeBody)
        """
    }

    /// A well-formed device type body for `unified(typeBody:)` (indented to sit under the type key).
    static let validTypeBody = """
                      description: Small test server
                      hardware_specs:
                        cpu_cores: 6
                        cpu_frequency: 3.2
                        cpu_name: Intel Xeon E-2356G
                        network: 2x 10Gbps
                        ram_gb: 64
                        storage: 1x 1TB NVMe
                        vendor: supermicro
                      preferred_bios_method: hybrid
        """
}

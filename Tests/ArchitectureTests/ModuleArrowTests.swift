import Foundation
import Logging
import Remote
import TestSupport
import Testing

/// The module graph docs/architecture.md draws, held to the code: every `import` of one of our modules points to a
/// lower layer, and Package.swift declares exactly what each target's files import.
@Suite("Module arrows")
struct ModuleArrowTests {
    /// Our modules by layer: a module may import only modules of a lower layer (CLI/API → Orchestration → domain →
    /// shared tools → transports).
    static let layers: [String: Int] = [
        "ChildTasks": 0, "Remote": 0, "Catalog": 0, "MAAS": 0, "HTTPSupport": 0,
        "Redfish": 1, "WorkflowEngine": 1,
        "Inventory": 2, "VendorTools": 2, "Store": 2,
        "IPMI": 3, "BIOS": 3, "Firmware": 3, "Lab": 3,
        "Orchestration": 4,
        "APIServer": 5,
        "HWAutomationCLI": 6, "Fuzz": 6,
        "hwautomation": 7,
    ]

    /// Arrows the layers allow but the design does not: the API reaches MAAS through Orchestration's MAASService; an
    /// HTTP server's code lives in HTTPSupport, the Lab, the API and the CLI only.
    static let forbidden: [String: Set<String>] = [
        "APIServer": ["MAAS"],
        "Firmware": ["BIOS", "Hummingbird", "ServiceLifecycle"],
        "BIOS": ["Hummingbird"], "Inventory": ["IPMI", "Hummingbird"], "IPMI": ["Hummingbird"],
        "Orchestration": ["Hummingbird"], "Redfish": ["Hummingbird"], "Store": ["Hummingbird"],
    ]

    /// Modules of the platform, not packages: nothing declares them.
    static let platform: Set<String> = [
        "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch", "Glibc", "Musl",
        "Darwin", "System", "Synchronization", "Testing", "XCTest",
    ]

    @Test("every import of our modules points to a lower layer, and none the design rules out")
    func arrowsPointDown() throws {
        for (module, imports) in try Self.imports(under: "Sources") {
            let layer = try #require(Self.layers[module], "Sources/\(module) is not in the layer table")
            for (name, place) in imports {
                if let target = Self.layers[name] {
                    #expect(target < layer, "\(place): \(module) (layer \(layer)) imports \(name) (layer \(target))")
                }
                #expect(Self.forbidden[module]?.contains(name) != true, "\(place): \(module) must not import \(name)")
            }
        }
    }

    @Test("Package.swift declares exactly the modules each target's files import")
    func manifestMatchesImports() async throws {
        let root = Peer.repositoryRoot.path
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("arrows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // A scratch path of its own: `swift test` holds the lock on .build.
        let output = try await ProcessRunner(logger: Logger(label: "module-arrows")).run(
            Command(
                "/usr/bin/env", ["swift", "package", "--scratch-path", scratch.path, "dump-package"],
                timeout: .seconds(300), workingDirectory: root))
        try #require(output.succeeded, "swift package dump-package: \(output.standardError.suffix(2000))")
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(output.standardOutput.utf8))
        var imported = try Self.imports(under: "Sources")
        imported.merge(try Self.imports(under: "Tests")) { sources, _ in sources }
        for target in manifest.targets {
            let folder = target.path.map { URL(fileURLWithPath: $0).lastPathComponent } ?? target.name
            let imports = try #require(imported[folder], "no imports found for target \(target.name) in \(folder)")
            // A target named `hwa-fuzz` is imported as `hwa_fuzz`.
            let declared = Set(target.dependencies.map { $0.name.replacingOccurrences(of: "-", with: "_") })
            for (name, place) in imports where !Self.platform.contains(name) {
                #expect(
                    declared.contains(name), "\(place) imports \(name), which target \(target.name) does not declare")
            }
            // The CLI's tests run the built tool: a dependency so that it is built, imported by nobody.
            let runOnly: Set<String> = target.name == "HWAutomationCLITests" ? ["hwautomation"] : []
            for name in declared.subtracting(imports.keys).subtracting(runOnly) {
                Issue.record("target \(target.name) declares \(name), which none of its files imports")
            }
        }
    }

    /// Each module's imports under `folder` (Sources or Tests), with the first file and line of each.
    static func imports(under folder: String) throws -> [String: [String: String]] {
        let root = Peer.repositoryRoot.appendingPathComponent(folder)
        var result: [String: [String: String]] = [:]
        for module in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let directory = root.appendingPathComponent(module)
            guard let files = FileManager.default.enumerator(atPath: directory.path) else { continue }
            var imports: [String: String] = [:]
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    if let name = importedModule(line), imports[name] == nil {
                        imports[name] = "\(folder)/\(module)/\(file):\(number + 1)"
                    }
                }
            }
            if !imports.isEmpty { result[module] = imports }
        }
        return result
    }

    /// The module an `import` line names (`@testable import X`, `import struct X.Y`, `@preconcurrency import X`);
    /// imports start a line (an indented `import` is text inside a string, such as a Python script's).
    static func importedModule(_ line: Substring) -> String? {
        guard line.first == "i" || line.first == "@" else { return nil }
        var words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
        guard words.first == "import", words.count >= 2 else { return nil }
        words.removeFirst()
        if ["struct", "class", "enum", "func", "protocol", "typealias", "var", "let"].contains(words[0]) {
            guard words.count >= 2 else { return nil }
            words.removeFirst()
        }
        return words[0].split(separator: ".").first.map(String.init)
    }

    /// What `swift package dump-package` prints, as far as these tests read it.
    struct Manifest: Decodable {
        var targets: [Target]

        struct Target: Decodable {
            var name: String
            var path: String?
            var dependencies: [Dependency]
        }

        /// `{"byName": ["X", null]}`, `{"target": ["X", null]}` or `{"product": ["X", "package", ...]}`.
        struct Dependency: Decodable {
            var name: String

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: AnyKey.self)
                guard let key = container.allKeys.first else {
                    throw DecodingError.dataCorrupted(
                        .init(codingPath: decoder.codingPath, debugDescription: "no kind"))
                }
                var list = try container.nestedUnkeyedContainer(forKey: key)
                name = try list.decode(String.self)
            }
        }

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}

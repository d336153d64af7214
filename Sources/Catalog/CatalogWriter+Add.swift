import Foundation
import Synchronization
import Yams

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CatalogWriter {
    /// What `add(_:to:)` wrote.
    public struct Added: Sendable, Hashable {
        /// The vendor file that now holds the entry (`<dir>/vendors/<vendor>.yaml`).
        public var file: URL
        /// True when the vendor was new to the catalog and its file was created.
        public var createdFile: Bool
        /// The entry as written (YAML, under `device_types:`).
        public var yaml: String
        /// The catalog's warnings about the new type once added (a spec it lacks, another type with the same
        /// hardware); they do not stop the catalog from loading.
        public var warnings: [CatalogDiagnostic]
    }

    /// One add at a time in this process (two accepts for one vendor file would otherwise lose one).
    private static let addLock = Mutex(())

    /// Adds `type` to the catalog in `configDir` (our schema): its entry goes at the end of `device_types:` in the
    /// vendor's file (`vendors/<vendor>.yaml`, created with the vendor when the catalog has no such vendor), the rest
    /// of the file, comments included, as it was.
    ///
    /// Nothing partial is ever written: the name is checked (`DeviceTypeName.problem(with:)`) and must be new to the
    /// catalog; the catalog must load without errors before; the changed catalog is loaded from a copy, must load
    /// without errors and must read the entry back as `type`; only then is the vendor file replaced, by a rename of a
    /// complete file beside it, and only if it did not change meanwhile.
    public static func add(_ type: DeviceType, to configDir: URL) throws(CatalogAddError) -> Added {
        do {
            return try addLock.withLock { _ in try addUnlocked(type, to: configDir) }
        } catch let error as CatalogAddError {
            throw error
        } catch {
            throw CatalogAddError(.io, "cannot add `\(type.name)` to \(configDir.path): \(error)")
        }
    }

    private static func addUnlocked(_ type: DeviceType, to configDir: URL) throws(CatalogAddError) -> Added {
        let display = configDir.path
        if let problem = DeviceTypeName.problem(with: type.name) { throw CatalogAddError(.invalidName, problem) }
        guard CatalogSchemaReader.recognises(configDir) else {
            throw CatalogAddError(
                .notACatalog,
                "\(display) holds no \(CatalogSchema.manifestFile): it is not a catalog in our schema. Convert a "
                    + "legacy config directory first (`hwautomation catalog import --from DIR --to NEW`) and add "
                    + "to NEW.")
        }
        let before = CatalogLoader.inspect(directory: display)
        let errors = before.diagnostics.filter { $0.severity == .error }
        if let first = errors.first {
            throw CatalogAddError(
                .invalidResult,
                "the catalog at \(display) has \(errors.count) error(s) already (first: \(first)); fix them first "
                    + "(`hwautomation catalog validate --config-dir \(display)`). Nothing was written.")
        }
        if before.catalog.deviceTypes[type.name] != nil {
            let place = before.typeLocations[type.name].map { "\($0)" } ?? display
            throw CatalogAddError(
                .nameTaken, "`\(type.name)` already exists (\(place)); choose another name. Nothing was written.")
        }
        guard !type.vendor.isEmpty, type.vendor.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else {
            throw CatalogAddError(
                .invalidResult,
                "the vendor `\(type.vendor)` cannot name a vendor file; only letters, digits and hyphens can.")
        }
        let relative = "\(CatalogSchema.vendorsFolder)/\(type.vendor).yaml"
        let file = configDir.appendingPathComponent(relative)
        let original = FileManager.default.contents(atPath: file.path).map { String(decoding: $0, as: UTF8.self) }
        if original == nil, before.catalog.vendors[type.vendor] != nil {
            throw CatalogAddError(
                .io,
                "vendor `\(type.vendor)` is defined in \(display)/\(CatalogSchema.vendorsFolder) but not in "
                    + "\(relative); add `\(type.name)` to its file by hand.")
        }
        let entry: String
        let text: String
        do {
            entry = try renderDeviceTypes([type])
            text = try original.map { try inserting(entry, into: $0, file: relative) } ?? newVendorFile(type)
        } catch let error as CatalogAddError {
            throw error
        } catch {
            throw CatalogAddError(.io, "cannot write the entry of `\(type.name)` as YAML: \(error)")
        }
        let warnings = try checked(text, for: type, at: relative, in: configDir, before: before)
        try replace(file, with: text, expecting: original)
        return Added(file: file, createdFile: original == nil, yaml: entry, warnings: warnings)
    }

    /// The vendor file's text with `entry` (a rendered `device_types:` mapping) added at the end of its
    /// `device_types:` block, indented as the file's other types are; appended when the file has no such block.
    static func inserting(_ entry: String, into text: String, file: String) throws(CatalogAddError) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let body = entry.split(separator: "\n").dropFirst().map(String.init)
        func isTopLevel(_ line: String) -> Bool {
            guard let first = line.first else { return false }
            return first != " " && first != "#" && first != "\t"
        }
        guard
            let header = lines.firstIndex(where: {
                $0.hasPrefix("device_types:") && isTopLevel($0)
            })
        else {
            return (lines + entry.split(separator: "\n").map(String.init)).joined(separator: "\n") + "\n"
        }
        let rest = lines[header].dropFirst("device_types:".count).trimmingCharacters(in: .whitespaces)
        if rest == "{}" {
            lines[header] = "device_types:"
        } else if !rest.isEmpty && !rest.hasPrefix("#") {
            throw CatalogAddError(
                .io, "\(file): `device_types:` is not a block mapping (`\(rest)`); add the entry by hand.")
        }
        var end = lines.indices.dropFirst(header + 1).first(where: { isTopLevel(lines[$0]) }) ?? lines.count
        let children = lines[(header + 1)..<end]
        // The file's indentation of a type's key; the rendered entry uses two spaces.
        let indent =
            children.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
            .map { $0.prefix { $0 == " " }.count } ?? 2
        // Comments and blank lines just before the next top-level key belong to it.
        while end > header + 1,
            lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty || lines[end - 1].first == "#"
        {
            end -= 1
        }
        let shifted = body.map { line in
            indent >= 2 ? String(repeating: " ", count: indent - 2) + line : String(line.dropFirst(2 - indent))
        }
        lines.insert(contentsOf: shifted, at: end)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A vendor file for a vendor the catalog does not have yet: the vendor (its id, the type's boards) and the type.
    private static func newVendorFile(_ type: DeviceType) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = true
        encoder.options.width = -1
        let file = CatalogSchema.VendorFile(
            vendor: Vendor(id: type.vendor, motherboards: type.boards), deviceTypes: [type.name: type])
        return "# HWAutomation catalog (schema \(CatalogSchema.version)): vendor \(type.vendor) and its device types.\n"
            + "# Created by `hwautomation catalog proposals accept`; edit freely, then run "
            + "`hwautomation catalog validate`.\n"
            + plainNumbers(try encoder.encode(file, userInfo: [CatalogSchema.nestedKey: true]))
    }

    /// Loads a copy of the catalog with `text` as the vendor file: it must load without errors and hold `type` as
    /// given, one type more than before. The warnings about `type`.
    private static func checked(
        _ text: String, for type: DeviceType, at relative: String, in configDir: URL, before: LoadedCatalog
    ) throws(CatalogAddError) -> [CatalogDiagnostic] {
        let fileManager = FileManager.default
        let staging = fileManager.temporaryDirectory.appendingPathComponent("hwa-catalog-add-\(UUID().uuidString)")
        defer { try? fileManager.removeItem(at: staging) }
        do {
            try fileManager.copyItem(at: configDir, to: staging)
            try Data(text.utf8).write(to: staging.appendingPathComponent(relative))
        } catch {
            throw CatalogAddError(.io, "cannot stage a copy of \(configDir.path) to check the result: \(error)")
        }
        let after = CatalogLoader.inspect(directory: staging.path)
        func shown(_ diagnostic: CatalogDiagnostic) -> CatalogDiagnostic {
            var diagnostic = diagnostic
            diagnostic.location.file = diagnostic.location.file.replacingOccurrences(
                of: staging.path, with: configDir.path)
            return diagnostic
        }
        let errors = after.diagnostics.filter { $0.severity == .error }.map(shown)
        if !errors.isEmpty {
            throw CatalogAddError(
                .invalidResult,
                "adding `\(type.name)` would leave the catalog at \(configDir.path) with \(errors.count) error(s): "
                    + errors.map(\.description).joined(separator: "; ") + ". Nothing was written.")
        }
        guard after.catalog.deviceTypes[type.name] == type,
            after.catalog.deviceTypes.count == before.catalog.deviceTypes.count + 1
        else {
            throw CatalogAddError(
                .invalidResult,
                "\(relative) with `\(type.name)` added reads back differently from the entry written; nothing was "
                    + "written (add it by hand and run `hwautomation catalog validate`).")
        }
        return after.diagnostics.filter { $0.severity == .warning && $0.message.contains("`\(type.name)`") }.map(shown)
    }

    /// Writes `text` beside `file` and renames it over `file`, if `file` still holds `expected` (nil: absent).
    private static func replace(_ file: URL, with text: String, expecting expected: String?) throws(CatalogAddError) {
        let fileManager = FileManager.default
        let temporary = file.deletingLastPathComponent().appendingPathComponent(
            ".\(file.lastPathComponent).adding-\(UUID().uuidString.prefix(8))")
        do {
            try Data(text.utf8).write(to: temporary)
            if expected != nil, let permissions = try fileManager.attributesOfItem(atPath: file.path)[.posixPermissions]
            {
                try fileManager.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            }
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw CatalogAddError(.io, "cannot write \(temporary.path): \(error). Nothing was changed.")
        }
        let current = fileManager.contents(atPath: file.path).map { String(decoding: $0, as: UTF8.self) }
        guard current == expected else {
            try? fileManager.removeItem(at: temporary)
            throw CatalogAddError(.io, "\(file.path) changed while the entry was being added; try again.")
        }
        guard rename(temporary.path, file.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fileManager.removeItem(at: temporary)
            throw CatalogAddError(.io, "cannot replace \(file.path): \(reason). Nothing was changed.")
        }
    }
}

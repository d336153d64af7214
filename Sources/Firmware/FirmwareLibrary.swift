import Crypto
import Foundation
import Yams

/// The local firmware repository: a directory of images laid out `{vendor}/{component}/{file}` (the legacy
/// `firmware/{vendor}/{bios,bmc}/` layout) with a `manifest.yaml` recording each image's vendor, component,
/// version, what it fits, its priority and its SHA-256. Every use re-reads the file and checks the digest.
public struct FirmwareLibrary: Sendable {
    /// The repository's directory.
    public let directory: URL

    /// The manifest's file name.
    public static let manifestName = "manifest.yaml"

    /// The repository in `directory` (it need not exist until the first `add`).
    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    /// The default directory: `HWA_FIRMWARE_DIR`, else `./firmware` (the legacy `base_path`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        URL(fileURLWithPath: environment["HWA_FIRMWARE_DIR"] ?? "firmware")
    }

    var manifestURL: URL { directory.appendingPathComponent(Self.manifestName) }

    /// The images the manifest records (none when there is no manifest yet).
    public func images() throws(FirmwareError) -> [FirmwareImage] {
        guard FileManager.default.fileExists(atPath: manifestURL.path) else { return [] }
        let text: String
        do {
            text = try String(contentsOf: manifestURL, encoding: .utf8)
        } catch {
            throw FirmwareError(.repository, "cannot read \(manifestURL.path): \(error.localizedDescription)")
        }
        do {
            return try YAMLDecoder().decode(FirmwareManifest.self, from: text).images
        } catch {
            throw FirmwareError(.repository, "\(manifestURL.path): not a firmware manifest: \(Self.describe(error))")
        }
    }

    /// Where an image's file is.
    public func url(of image: FirmwareImage) -> URL { directory.appendingPathComponent(image.file) }

    /// Files in the `{vendor}/{bios,bmc}/` layout that the manifest does not record (a legacy directory, or files
    /// copied in by hand): `firmware add` records them.
    public func unregistered() throws(FirmwareError) -> [String] {
        let known = Set(try images().map(\.file))
        var found: [String] = []
        let manager = FileManager.default
        for vendor in (try? manager.contentsOfDirectory(atPath: directory.path)) ?? [] {
            for component in ["bios", "bmc", "other"] {
                let folder = directory.appendingPathComponent(vendor).appendingPathComponent(component)
                for file in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where !file.hasPrefix(".") {
                    let relative = "\(vendor)/\(component)/\(file)"
                    if !known.contains(relative) { found.append(relative) }
                }
            }
        }
        return found.sorted()
    }

    /// Records `file` as an image: computes its SHA-256 (and checks it against `expectedSHA256` when given), copies
    /// it to `{vendor}/{component}/` unless it is already there, and adds it to the manifest. The same vendor,
    /// component and version twice is refused unless the bytes are the same (then the existing record is returned).
    /// Nothing is written when anything is wrong.
    @discardableResult
    public func add(
        file source: URL, vendor: String, component: FirmwareComponent, version: String,
        expectedSHA256: String? = nil, deviceTypes: [String] = [], boards: [String] = [], models: [String] = [],
        releaseDate: String? = nil, priority: FirmwarePriority = .normal, security: Bool = false, notes: String? = nil
    ) throws(FirmwareError) -> FirmwareImage {
        let vendor = vendor.lowercased()
        guard !vendor.isEmpty, vendor.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw FirmwareError(.invalid, "vendor `\(vendor)` must be letters, digits and dashes (supermicro, hpe)")
        }
        guard !version.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw FirmwareError(.invalid, "an image needs a version (--version)")
        }
        if let releaseDate, !Self.isDate(releaseDate) {
            throw FirmwareError(.invalid, "release date `\(releaseDate)` is not YYYY-MM-DD")
        }
        let (digest, size) = try Self.sha256(of: source)
        if let expected = expectedSHA256.map(Self.normalisedDigest), expected != digest {
            throw FirmwareError(
                .checksum, "\(source.path): expected sha256 \(expected), the file has \(digest); not added")
        }
        var images = try images()
        if let existing = images.first(where: {
            $0.vendor == vendor && $0.component == component && $0.version == version
        }) {
            guard existing.sha256 == digest else {
                throw FirmwareError(
                    .invalid,
                    "\(vendor) \(component.rawValue) \(version) is already recorded as \(existing.file) with sha256 "
                        + "\(existing.sha256); this file has \(digest). Remove the old record first.")
            }
            return existing
        }
        let relative = "\(vendor)/\(component.rawValue)/\(source.lastPathComponent)"
        let destination = directory.appendingPathComponent(relative)
        if images.contains(where: { $0.file == relative }) {
            throw FirmwareError(.invalid, "\(relative) is already recorded for another version; rename the file")
        }
        let image = FirmwareImage(
            file: relative, vendor: vendor, component: component, version: version, deviceTypes: deviceTypes,
            boards: boards, models: models, releaseDate: releaseDate, priority: priority, security: security,
            sha256: digest, size: size, notes: notes)
        images.append(image)
        do {
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            if source.standardizedFileURL.path != destination.path {
                if FileManager.default.fileExists(atPath: destination.path) {
                    throw FirmwareError(.invalid, "\(relative) exists in the repository with other contents")
                }
                try FileManager.default.copyItem(at: source, to: destination)
            }
            try write(images)
        } catch let error as FirmwareError {
            throw error
        } catch {
            throw FirmwareError(.repository, "cannot add \(source.path) to \(directory.path): \(error)")
        }
        return image
    }

    /// Reads the image's file and checks its SHA-256 against the manifest; its URL when it matches.
    @discardableResult
    public func verify(_ image: FirmwareImage) throws(FirmwareError) -> URL {
        let url = url(of: image)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FirmwareError(.checksum, "\(image.file) is recorded but missing from \(directory.path)")
        }
        let (digest, _) = try Self.sha256(of: url)
        guard digest == image.sha256 else {
            throw FirmwareError(
                .checksum,
                "\(image.file): the manifest records sha256 \(image.sha256) but the file has \(digest); refusing to "
                    + "use it (replace the file or `firmware add` it again)")
        }
        return url
    }

    private func write(_ images: [FirmwareImage]) throws {
        let text =
            "# HWAutomation firmware repository manifest (schema 1). `hwautomation firmware add` writes it.\n"
            + (try YAMLEncoder().encode(FirmwareManifest(schema: 1, images: images)))
        let temporary = directory.appendingPathComponent(".manifest.\(UUID().uuidString).tmp")
        try Data(text.utf8).write(to: temporary)
        // rename(2) replaces the manifest atomically: a reader sees the old one or the new one, never half.
        guard rename(temporary.path, manifestURL.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw FirmwareError(.repository, "cannot write \(manifestURL.path): \(reason)")
        }
    }

    /// The SHA-256 (lower-case hex) and size of a file, read in 1 MiB pieces.
    public static func sha256(of url: URL) throws(FirmwareError) -> (digest: String, size: Int) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw FirmwareError(.repository, "cannot read \(url.path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw FirmwareError(.repository, "cannot read \(url.path): \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(data: chunk)
            size += chunk.count
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }

    /// The SHA-256 of `data`, lower-case hex.
    public static func digestHex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func normalisedDigest(_ text: String) -> String {
        let lower = text.lowercased()
        return lower.hasPrefix("sha256:") ? String(lower.dropFirst(7)) : lower
    }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count == 3 && parts.map(\.count) == [4, 2, 2] && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.keyNotFound(let key, let context) = error {
            return "missing `\(key.stringValue)` at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        }
        if case DecodingError.dataCorrupted(let context) = error {
            return context.debugDescription
        }
        if case DecodingError.typeMismatch(_, let context) = error {
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        }
        return "\(error)"
    }
}

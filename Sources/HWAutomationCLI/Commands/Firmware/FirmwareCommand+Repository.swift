import ArgumentParser
import Firmware
import Foundation
import Logging
import Orchestration

struct FirmwareAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record an image in the repository: its SHA-256 is computed (and checked against --sha256).")

    @Argument(help: "The image file.") var file: String
    @Option(help: "Vendor (supermicro, hpe, dell).") var vendor: String
    @Option(help: "Component: bmc, bios or other.") var component: FirmwareComponent
    @Option(help: "Version as the vendor writes it (3.5, 1.73.14, \"U30 v2.54\", 2.78).") var version: String
    @Option(name: .customLong("device-type"), help: "A device type it fits (repeatable; none: any).")
    var deviceTypes: [String] = []
    @Option(name: .customLong("board"), help: "A board it fits (repeatable).") var boards: [String] = []
    @Option(name: .customLong("model"), help: "A server model it fits (repeatable).") var models: [String] = []
    @Option(name: .customLong("release-date"), help: "YYYY-MM-DD.") var releaseDate: String?
    @Option(help: "critical, high, normal or low.") var priority: FirmwarePriority = .normal
    @Flag(help: "The release fixes a security problem.") var security = false
    @Option(help: "The vendor's published SHA-256: the file must match it.") var sha256: String?
    @Option(help: "Release notes.") var notes: String?
    @OptionGroup var repository: FirmwareRepositoryOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let image = try firmwareCall { () throws(FirmwareError) in
            try repository.library.add(
                file: URL(fileURLWithPath: file), vendor: vendor, component: component, version: version,
                expectedSHA256: sha256, deviceTypes: deviceTypes, boards: boards, models: models,
                releaseDate: releaseDate, priority: priority, security: security, notes: notes)
        }
        print(
            json
                ? try Terminal.json(image)
                : "recorded \(image.file): \(image.vendor) \(image.component.rawValue) \(image.version), "
                    + "sha256 \(image.sha256), \(image.size) bytes")
    }
}

struct FirmwareListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The repository's images (and files in it nobody recorded).")

    @OptionGroup var repository: FirmwareRepositoryOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let images = try repository.images()
        let loose = try firmwareCall { () throws(FirmwareError) in try repository.library.unregistered() }
        if json {
            struct Listing: Encodable {
                var images: [FirmwareImage]
                var unregistered: [String]
            }
            print(try Terminal.json(Listing(images: images, unregistered: loose)))
            return
        }
        var table = TextTable(["VENDOR", "COMPONENT", "VERSION", "PRIORITY", "SECURITY", "FITS", "FILE", "SHA256"])
        for image in images.sorted(by: { ($0.vendor, $0.component, $0.version) < ($1.vendor, $1.component, $1.version) }
        ) {
            let fits = image.deviceTypes + image.boards + image.models
            table.add([
                image.vendor, image.component.rawValue, image.version, image.priority.rawValue,
                image.security ? "yes" : "", fits.isEmpty ? "any" : fits.joined(separator: ","), image.file,
                String(image.sha256.prefix(12)),
            ])
        }
        print(images.isEmpty ? "no images recorded in \(repository.library.directory.path)" : table.render())
        for file in loose {
            Terminal.printError("warning: \(file) is not recorded; `hwautomation firmware add` records it")
        }
    }
}

struct FirmwareVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Re-read every image and check its SHA-256; exit 1 on any mismatch.")

    @OptionGroup var repository: FirmwareRepositoryOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        struct Result: Encodable {
            var file: String
            var ok: Bool
            var error: String?
        }
        let library = repository.library
        var results: [Result] = []
        for image in try repository.images() {
            do throws(FirmwareError) {
                try library.verify(image)
                results.append(Result(file: image.file, ok: true))
            } catch {
                results.append(Result(file: image.file, ok: false, error: error.message))
            }
        }
        if json {
            print(try Terminal.json(results))
        } else {
            for result in results { print(result.ok ? "ok      \(result.file)" : "FAILED  \(result.error ?? "")") }
            print("\(results.filter(\.ok).count) of \(results.count) images verified")
        }
        if results.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }
}

struct FirmwareServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the repository's recorded images over HTTP for BMCs' SimpleUpdate (checksums checked).")

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "host:port")) var listen = "127.0.0.1:8088"
    @OptionGroup var repository: FirmwareRepositoryOptions

    func run() async throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw CommandFailure("--listen needs host:port")
        }
        let host = String(listen[..<colon])
        let server = FirmwareFileServer(library: repository.library, logger: Logger(label: "hwautomation.firmware"))
        try await server.serve(host: host, port: port) { port in
            print("serving \(repository.library.directory.path) at http://\(host):\(port)/firmware/")
        }
    }
}

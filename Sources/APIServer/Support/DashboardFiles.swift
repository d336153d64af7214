import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The dashboard's files, read once at start.
struct DashboardFiles: Sendable {
    let files: [String: Data]

    static func load() -> DashboardFiles {
        guard let directory = Bundle.module.url(forResource: "dashboard", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return DashboardFiles(files: [:]) }
        var files: [String: Data] = [:]
        for name in names {
            if let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) {
                files[name] = data
            }
        }
        return DashboardFiles(files: files)
    }

    func response(_ name: String) throws -> Response {
        guard let data = files[name] else { throw ProblemDetails(.notFound, "no dashboard file \(name)") }
        let type =
            switch (name as NSString).pathExtension {
            case "html": "text/html; charset=utf-8"
            case "css": "text/css; charset=utf-8"
            case "js": "text/javascript; charset=utf-8"
            case "svg": "image/svg+xml"
            default: "application/octet-stream"
            }
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-cache",
                .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

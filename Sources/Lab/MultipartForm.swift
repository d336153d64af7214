import Foundation

/// A `multipart/form-data` body (RFC 7578), as a Redfish `MultipartHttpPushUri` receives it, and as MAAS's API
/// receives forms from python-libmaas (`maas.client.utils.prepare_payload`: every POST and PUT is multipart, each
/// part `Content-Transfer-Encoding: base64`, which Django's `MultiPartParser` decodes): named parts, each with its
/// bytes.
struct MultipartForm: Sendable {
    /// One part.
    struct Part: Sendable {
        /// The form field (`UpdateParameters`, `UpdateFile`).
        var name: String
        /// The file name, for a file part.
        var filename: String?
        /// The part's bytes, as sent.
        var body: Data
        /// The part's `Content-Transfer-Encoding` (`base64`, `binary`), lower case; nil when it names none.
        var transferEncoding: String?

        /// The part's content: `body` decoded when the part was sent base64 (line breaks ignored), else `body`.
        var content: Data {
            guard transferEncoding == "base64" else { return body }
            return Data(base64Encoded: body, options: .ignoreUnknownCharacters) ?? body
        }
    }

    var parts: [Part]

    /// The part named `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// Parses `body` for the boundary in `contentType` (`multipart/form-data; boundary=XYZ`); nil when it is not
    /// a multipart body or is cut short.
    static func parse(_ body: Data, contentType: String) -> MultipartForm? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data",
            let boundaryField = fields.first(where: { $0.lowercased().hasPrefix("boundary=") })
        else { return nil }
        let boundary = boundaryField.dropFirst("boundary=".count).trimmingCharacters(
            in: CharacterSet(charactersIn: "\""))
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        var parts: [Part] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else { return nil }
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { return MultipartForm(parts: parts) }
            guard body[cursor...].starts(with: crlf) else { return nil }
            cursor += crlf.count
            // A part with neither headers nor content: Python's email generator writes an empty form (what
            // libmaas sends for a POST without parameters) as delimiter, blank line, close delimiter.
            for empty in [crlf + delimiter, delimiter] where body[cursor...].starts(with: empty) {
                cursor += empty.count
            }
            if body[cursor...].starts(with: Data("--".utf8)) { return MultipartForm(parts: parts) }
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: cursor..<body.endIndex) else { return nil }
            let headers = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = body.range(of: crlf + delimiter, in: headerEnd.upperBound..<body.endIndex) else {
                return nil
            }
            var name: String?
            var filename: String?
            var transferEncoding: String?
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-transfer-encoding:")
            {
                transferEncoding = line.dropFirst("content-transfer-encoding:".count).trimmingCharacters(
                    in: .whitespaces
                ).lowercased()
            }
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                for attribute in line.split(separator: ";").dropFirst() {
                    let pair = attribute.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    }
                    guard pair.count == 2 else { continue }
                    if pair[0] == "name" { name = pair[1] }
                    if pair[0] == "filename" { filename = pair[1] }
                }
            }
            guard let name else { return nil }
            parts.append(
                Part(
                    name: name, filename: filename, body: Data(body[headerEnd.upperBound..<next.lowerBound]),
                    transferEncoding: transferEncoding))
            cursor = next.upperBound
        }
    }
}

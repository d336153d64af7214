import Foundation

extension RedfishClient {
    /// POSTs a multipart/form-data firmware push to `path` (the UpdateService's `MultipartHttpPushUri`): an
    /// `UpdateParameters` JSON part and an `UpdateFile` part with the image. Returns the BMC's answer (usually 202
    /// and a task monitor in `Location`), without following it. Sent once: after a lost answer, a new task for the
    /// file tells whether the BMC took it (see `postAction`).
    public func pushFirmware(
        _ path: String, parameters: JSONValue, fileName: String, image: Data
    ) async throws(RedfishError) -> RedfishResponse {
        let boundary = "hwa-" + UUID().uuidString
        var body = Data()
        func line(_ text: String) { body.append(Data((text + "\r\n").utf8)) }
        line("--\(boundary)")
        line("Content-Disposition: form-data; name=\"UpdateParameters\"")
        line("Content-Type: application/json")
        line("")
        body.append((try? JSONEncoder().encode(parameters)) ?? Data("{}".utf8))
        line("")
        line("--\(boundary)")
        let safeName = fileName.replacingOccurrences(of: "\"", with: "_")
        line("Content-Disposition: form-data; name=\"UpdateFile\"; filename=\"\(safeName)\"")
        line("Content-Type: application/octet-stream")
        line("")
        body.append(image)
        line("")
        line("--\(boundary)--")
        // After a lost answer, a new task for this file on the TaskService says whether the BMC took the image.
        return try await postAction(
            path, body: nil, raw: RawBody(data: body, contentType: "multipart/form-data; boundary=\(boundary)"),
            check: .update(image: fileName, tasksBefore: await tasks()))
    }

    /// POSTs an action and returns the answer without following a task (`waitForTask` follows it).
    /// Sent once: after a lost answer, the BMC is asked whether it acted (`postAction`).
    public func post(_ path: String, _ body: JSONValue) async throws(RedfishError) -> RedfishResponse {
        try await postAction(path, body: body, check: try await lostAnswerCheck(path, body: body))
    }
}

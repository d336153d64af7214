import APIServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Store
import TestSupport
import Testing
import WorkflowEngine

/// The CLI and the API are two front ends over the same use cases: the same bad input gets the same error from both
/// (the CLI names its option, the API its JSON field; the message after that is the same).
@Suite("CLI and API give the same errors")
struct FrontEndParityTests {
    /// One bad input: the API request, the CLI arguments, and what both must say.
    struct Case {
        var name: String
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var status: HTTPResponse.Status
        var cli: [String]
        var apiPrefix: String
        var cliPrefix: String
        var message: String
    }

    @Test("a table of bad starts, resumes and cancels: same message, 4xx from the API, exit 1 from the CLI")
    func sameErrors() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let database = scratch.appendingPathComponent("store.sqlite").path
        let store = try SQLiteStore(
            path: database, box: try SecretBox.keyFile(scratch.appendingPathComponent("store.key").path))
        let fixture = try await APIFixture.make(nodes: 1, store: store)
        try await fixture.withServer { _, client, _ in
            let started = try await client.call(
                .post, "/api/v1/workflows", token: fixture.operatorToken,
                json: #"{"definition":"intelligent-commissioning","servers":["node-1"],"dry_run":true}"#)
            #expect(started.status == .accepted, "\(started.text)")
            let done = try #require(try started.array().first?["id"] as? String)
            try await eventually("the dry run ends") { try await store.workflow(id: done)?.state == .succeeded }
            let cli = ["--db", database]
            let cases = [
                Case(
                    name: "resume, no such run", method: .post, path: "/api/v1/workflows/ghost/resume", body: "{}",
                    status: .notFound, cli: ["workflow", "resume", "ghost"] + cli, apiPrefix: "", cliPrefix: "",
                    message: "no workflow ghost (`hwautomation workflow list`)"),
                Case(
                    name: "cancel, no such run", method: .post, path: "/api/v1/workflows/ghost/cancel", body: nil,
                    status: .notFound, cli: ["workflow", "cancel", "ghost"] + cli, apiPrefix: "", cliPrefix: "",
                    message: "no workflow ghost (`hwautomation workflow list`)"),
                Case(
                    name: "resume with a type the catalog lacks", method: .post,
                    path: "/api/v1/workflows/\(done)/resume", body: #"{"device_type":"no.such.type"}"#,
                    status: .badRequest, cli: ["workflow", "resume", done, "--device-type", "no.such.type"] + cli,
                    apiPrefix: "`device_type`: ", cliPrefix: "--device-type: ",
                    message: "no device type no.such.type in the catalog"),
                Case(
                    name: "resume a run that succeeded", method: .post, path: "/api/v1/workflows/\(done)/resume",
                    body: "{}", status: .conflict, cli: ["workflow", "resume", done] + cli, apiPrefix: "",
                    cliPrefix: "", message: "workflow \(done) has already succeeded"),
                Case(
                    name: "cancel a run that succeeded", method: .post, path: "/api/v1/workflows/\(done)/cancel",
                    body: nil, status: .conflict, cli: ["workflow", "cancel", done] + cli, apiPrefix: "", cliPrefix: "",
                    message: "workflow \(done) has already succeeded"),
                Case(
                    name: "start an unknown workflow", method: .post, path: "/api/v1/workflows",
                    body: #"{"definition":"nope","servers":["node-1"]}"#, status: .badRequest,
                    cli: ["workflow", "run", "nope", "--server", "node-1"] + cli, apiPrefix: "`definition`: ",
                    cliPrefix: "<definition>: ", message: "no workflow nope; known: "),
                Case(
                    name: "start with a type the catalog lacks", method: .post, path: "/api/v1/workflows",
                    body: #"{"definition":"intelligent-commissioning","servers":["node-1"],"device_type":"x.y"}"#,
                    status: .badRequest,
                    cli: ["workflow", "run", "intelligent-commissioning", "--server", "node-1", "--device-type", "x.y"]
                        + cli, apiPrefix: "`device_type`: ", cliPrefix: "--device-type: ",
                    message: "no device type x.y in the catalog"),
                Case(
                    name: "device-specific provisioning without a type", method: .post, path: "/api/v1/workflows",
                    body: #"{"definition":"device-specific-provisioning","servers":["node-1"]}"#, status: .badRequest,
                    cli: ["workflow", "run", "device-specific-provisioning", "--server", "node-1"] + cli,
                    apiPrefix: "`device_type`: ", cliPrefix: "--device-type: ",
                    message: "required for device-specific-provisioning"),
                Case(
                    name: "an unknown TLS policy", method: .post, path: "/api/v1/workflows",
                    body: #"{"definition":"intelligent-commissioning","servers":["node-1"],"tls":"trust-me"}"#,
                    status: .badRequest,
                    cli: ["workflow", "run", "intelligent-commissioning", "--server", "node-1", "--tls", "trust-me"]
                        + cli, apiPrefix: "`tls`: ", cliPrefix: "--tls: ",
                    message: "must be verify, insecure, pin or ca:FILE"
                ),
            ]
            let runsBefore = try await store.workflows(WorkflowFilter(limit: 100)).count
            for test in cases {
                let answer = try await client.call(
                    test.method, test.path, token: fixture.operatorToken, json: test.body)
                #expect(answer.status == test.status, "\(test.name): \(answer.text)")
                let detail = try answer.problem().detail ?? ""
                #expect(detail.hasPrefix(test.apiPrefix + test.message), "\(test.name): API said \(detail)")
                let ran = try await CLI.run(test.cli)
                #expect(ran.exitCode == 1, "\(test.name): \(ran.stdout)")
                #expect(
                    ran.stderr.contains("error: " + test.cliPrefix + test.message),
                    "\(test.name): CLI said \(ran.stderr)")
            }
            #expect(try await store.workflows(WorkflowFilter(limit: 100)).count == runsBefore, "nothing was started")
        }
    }
}

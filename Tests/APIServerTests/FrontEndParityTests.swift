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

    @Test(
        "a table of bad starts, resumes, cancels, server changes and drift selections: same message, 4xx from the API, exit 1 from the CLI"
    )
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
            var cases = [
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
            // A stored server without a BMC: a start over it is refused by both before any run exists.
            try await store.upsertServer(ServerRecord(id: "nobmc", name: "nobmc"))
            cases.append(
                Case(
                    name: "a start over a server without a BMC address", method: .post, path: "/api/v1/workflows",
                    body: #"{"definition":"intelligent-commissioning","servers":["nobmc"]}"#, status: .badRequest,
                    cli: ["workflow", "run", "intelligent-commissioning", "--server", "nobmc"] + cli,
                    apiPrefix: "`servers`: ", cliPrefix: "--server: ", message: "nobmc has no BMC address"))
            // Servers: the same field rules and credential checks for `servers add` and `POST /servers`.
            try await store.putCredential(
                name: "rack9", user: "admin", secret: "s", kind: "bmc",
                scope: try CredentialScope(parsing: ["10.9.0.0/16"]))
            cases += [
                Case(
                    name: "a server id with a space", method: .post, path: "/api/v1/servers",
                    body: #"{"id":"bad id","bmc":"https://10.9.0.5"}"#, status: .badRequest,
                    cli: ["servers", "add", "bad id", "--bmc", "https://10.9.0.5"] + cli, apiPrefix: "`id`: ",
                    cliPrefix: "<id>: ", message: "must be 1 to 128 letters, digits, `-`, `_` or `.`"),
                Case(
                    name: "a BMC that is not a Redfish URL", method: .post, path: "/api/v1/servers",
                    body: #"{"id":"s1","bmc":"ftp://10.9.0.5"}"#, status: .badRequest,
                    cli: ["servers", "add", "s1", "--bmc", "ftp://10.9.0.5"] + cli, apiPrefix: "`bmc`: ",
                    cliPrefix: "--bmc: ", message: "not a BMC address or Redfish URL"),
                Case(
                    name: "a credential that is not stored", method: .post, path: "/api/v1/servers",
                    body: #"{"id":"s1","bmc":"https://10.9.0.5","credential":"nobody"}"#, status: .badRequest,
                    cli: ["servers", "add", "s1", "--bmc", "https://10.9.0.5", "--credential", "nobody"] + cli,
                    apiPrefix: "`credential`: ", cliPrefix: "--credential: ",
                    message: "no stored credential nobody (`hwautomation credentials set nobody`)"),
                Case(
                    name: "a credential not meant for that BMC", method: .post, path: "/api/v1/servers",
                    body: #"{"id":"s1","bmc":"https://10.3.0.5","credential":"rack9"}"#, status: .badRequest,
                    cli: ["servers", "add", "s1", "--bmc", "https://10.3.0.5", "--credential", "rack9"] + cli,
                    apiPrefix: "`credential`: ", cliPrefix: "--credential: ",
                    message: "credential rack9 is not for 10.3.0.5"),
                Case(
                    name: "removing a server that is not there", method: .delete, path: "/api/v1/servers/ghost",
                    body: nil, status: .notFound, cli: ["servers", "remove", "ghost"] + cli, apiPrefix: "",
                    cliPrefix: "", message: "no server ghost (`hwautomation servers list`)"),
            ]
            // Drift: the same selection rules for `hwautomation drift` and `POST /drift/sweep|remediate`.
            cases += [
                Case(
                    name: "a drift sweep of a type the catalog lacks", method: .post, path: "/api/v1/drift/sweep",
                    body: #"{"device_type":"no.such.type"}"#, status: .badRequest,
                    cli: ["drift", "--device-type", "no.such.type"] + cli, apiPrefix: "`device_type`: ",
                    cliPrefix: "--device-type: ", message: "no device type no.such.type in the catalog"),
                Case(
                    name: "a drift sweep of a server that is not stored", method: .post, path: "/api/v1/drift/sweep",
                    body: #"{"servers":["ghost"]}"#, status: .notFound, cli: ["drift", "--server", "ghost"] + cli,
                    apiPrefix: "", cliPrefix: "", message: "no stored server ghost (`hwautomation servers list`)"),
                Case(
                    name: "a drift sweep with an unknown TLS policy", method: .post, path: "/api/v1/drift/sweep",
                    body: #"{"servers":["node-1"],"tls":"trust-me"}"#, status: .badRequest,
                    cli: ["drift", "sweep", "--server", "node-1", "--tls", "trust-me"] + cli, apiPrefix: "`tls`: ",
                    cliPrefix: "--tls: ", message: "must be verify, insecure, pin or ca:FILE"),
                Case(
                    name: "remediating a server never found drifted", method: .post, path: "/api/v1/drift/remediate",
                    body: #"{"servers":["node-1"]}"#, status: .conflict,
                    cli: ["drift", "remediate", "--server", "node-1"] + cli, apiPrefix: "", cliPrefix: "",
                    message: "none of the 1 selected server(s) drifted at its newest check"),
                Case(
                    name: "a firmware plan under a policy the catalog lacks", method: .get,
                    path: "/api/v1/servers/node-1/firmware/plan?policy=yolo", body: nil, status: .badRequest,
                    cli: ["firmware", "plan", "--server", "node-1", "--policy", "yolo"] + cli, apiPrefix: "`policy`: ",
                    cliPrefix: "--policy: ", message: "no update policy yolo; the catalog has "),
                Case(
                    name: "a firmware plan of a server that is not stored", method: .get,
                    path: "/api/v1/servers/ghost/firmware/plan", body: nil, status: .notFound,
                    cli: ["firmware", "plan", "--server", "ghost"] + cli, apiPrefix: "", cliPrefix: "",
                    message: "no stored server ghost (`hwautomation servers list`)"),
                Case(
                    name: "compliance under a policy the catalog lacks", method: .get,
                    path: "/api/v1/firmware/compliance?policy=yolo", body: nil, status: .badRequest,
                    cli: ["firmware", "compliance", "--policy", "yolo"] + cli, apiPrefix: "`policy`: ",
                    cliPrefix: "--policy: ", message: "no update policy yolo; the catalog has "),
                Case(
                    name: "a rollout whose last wave is not everyone", method: .post, path: "/api/v1/firmware/rollouts",
                    body: #"{"all":true,"waves":"1,50%"}"#, status: .badRequest,
                    cli: ["firmware", "rollout", "--all", "--waves", "1,50%"] + cli, apiPrefix: "`waves`: ",
                    cliPrefix: "--waves: ", message: "the last wave must be 100% (every selected server)"),
                Case(
                    name: "a rollout with a threshold that is no share", method: .post,
                    path: "/api/v1/firmware/rollouts", body: #"{"all":true,"halt_at":"lots"}"#, status: .badRequest,
                    cli: ["firmware", "rollout", "--all", "--halt-at", "lots"] + cli, apiPrefix: "`halt_at`: ",
                    cliPrefix: "--halt-at: ", message: "`lots` is not a share from 0% to 100%"),
                Case(
                    name: "accepting a catalog proposal that does not exist", method: .post,
                    path: "/api/v1/catalog/proposals/ghost/accept", body: #"{"name":"s9.c1.large"}"#,
                    status: .notFound, cli: ["catalog", "proposals", "accept", "ghost", "--name", "s9.c1.large"] + cli,
                    apiPrefix: "", cliPrefix: "", message: "no proposal ghost; the current ones are "),
            ]
            let serversBefore = try await store.servers().count
            let runsBefore = try await store.workflows(WorkflowFilter(limit: 100)).count
            for test in cases {
                let answer = try await client.call(
                    test.method, test.path, token: fixture.admin, json: test.body)
                #expect(answer.status == test.status, "\(test.name): \(answer.text)")
                let detail = try answer.problem().detail
                #expect(detail.hasPrefix(test.apiPrefix + test.message), "\(test.name): API said \(detail)")
                let ran = try await CLI.run(test.cli)
                #expect(ran.exitCode == 1, "\(test.name): \(ran.stdout)")
                #expect(
                    ran.stderr.contains("error: " + test.cliPrefix + test.message),
                    "\(test.name): CLI said \(ran.stderr)")
            }
            #expect(try await store.workflows(WorkflowFilter(limit: 100)).count == runsBefore, "nothing was started")
            #expect(try await store.servers().count == serversBefore, "nothing was stored")
        }
    }
}

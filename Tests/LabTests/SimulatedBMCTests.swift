import Catalog
import Foundation
import Inventory
import Redfish
import Testing

@testable import Lab

/// The simulated BMC's behaviours, driven directly (no sockets) with a manual clock.
@Suite("Simulated BMC")
struct SimulatedBMCTests {
    static let server: ServerModel = {
        let catalog = try! CatalogLoader.load(directory: nil).catalog
        return ServerModel(deviceType: catalog.deviceType(named: "s2.c2.small")!, index: 1)
    }()

    static func basic(_ user: String = "admin", _ password: String = "password") -> [String: String] {
        ["authorization": "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    @Test("BIOS settings stay pending until a reset, then apply; POST takes the configured time")
    func pendingUntilReset() {
        var bmc = SimulatedBMC(server: Self.server)
        let patch = bmc.handle(
            LabRequest(
                method: "PATCH", path: "/redfish/v1/Systems/1/Bios/Settings", headers: Self.basic(),
                body: .object([
                    "Attributes": .object(["Bootmodeselect": .string("UEFI"), "SetupPromptTimeout": .number(3)])
                ])),
            now: 0)
        #expect(patch.status == 200)
        #expect(bmc.attribute("Bootmodeselect") == .string("Legacy"))
        #expect(bmc.pendingAttributes["Bootmodeselect"] == .string("UEFI"))
        let reset = bmc.handle(
            LabRequest(
                method: "POST", path: "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", headers: Self.basic(),
                body: .object(["ResetType": .string("ForceRestart")])), now: 10)
        #expect(reset.status == 204)
        #expect(bmc.counters.resets == 1)
        // During POST the BIOS still runs the old values, and the settings are still pending (#18 item 4).
        #expect(bmc.powerState(at: 11) == "PoweringOn")
        #expect(bmc.attribute("Bootmodeselect") == .string("Legacy"))
        #expect(bmc.pendingAttributes["Bootmodeselect"] == .string("UEFI"))
        #expect(bmc.powerState(at: 10 + bmc.settings.postSeconds) == "On")
        #expect(bmc.attribute("Bootmodeselect") == .string("UEFI"))
        #expect(bmc.attribute("SetupPromptTimeout") == .number(3))
        #expect(bmc.pendingAttributes.isEmpty)
    }

    @Test("a stale If-Match is refused with 412; the current ETag is accepted")
    func etags() {
        var bmc = SimulatedBMC(server: Self.server)
        let get = bmc.handle(
            LabRequest(method: "GET", path: "/redfish/v1/Systems/1/Bios/Settings", headers: Self.basic()), now: 0)
        let etag = try! #require(get.headers["ETag"])
        let body: JSONValue = .object(["Attributes": .object(["QuietBoot": .string("Disabled")])])
        var headers = Self.basic()
        headers["if-match"] = "\"settings-0\""
        let stale = bmc.handle(
            LabRequest(method: "PATCH", path: "/redfish/v1/Systems/1/Bios/Settings", headers: headers, body: body),
            now: 0)
        #expect(stale.status == 412)
        #expect(bmc.counters.preconditionFailures == 1)
        headers["if-match"] = etag
        let fresh = bmc.handle(
            LabRequest(method: "PATCH", path: "/redfish/v1/Systems/1/Bios/Settings", headers: headers, body: body),
            now: 0)
        #expect(fresh.status == 200)
        #expect(fresh.headers["ETag"] != etag)
    }

    @Test("an ETag follows the content: the same for the same document built in another order, new for any change")
    func contentETags() {
        var first: [String: JSONValue] = [:]
        var second: [String: JSONValue] = [:]
        let members: [(String, JSONValue)] = (0..<40).map { ("Member\($0)", .number(Double($0))) }
        for (name, value) in members { first[name] = value }
        for (name, value) in members.reversed() { second[name] = value }
        let document: JSONValue = .object(["Status": .object(["Health": .string("OK")]), "Values": .object(first)])
        let reordered: JSONValue = .object(["Values": .object(second), "Status": .object(["Health": .string("OK")])])
        #expect(SimulatedBMC.etag(of: document) == SimulatedBMC.etag(of: reordered))
        let changes: [JSONValue] = [
            .object(["Status": .object(["Health": .string("Warning")]), "Values": .object(first)]),
            .object([
                "Status": .object(["Health": .string("OK")]),
                "Values": .object(first.merging(["Member0": .number(1)]) { $1 }),
            ]),
            .object(["Status": .object(["Health": .string("OK")]), "Values": .array(members.map(\.1))]),
            .object(["Status": .object(["Health": .string("OK")]), "Values": .object(first), "Extra": .null]),
            .object(["Status": .object(["Healt": .string("hOK")]), "Values": .object(first)]),
        ]
        let tags = Set(changes.map(SimulatedBMC.etag(of:)))
        #expect(tags.count == changes.count && !tags.contains(SimulatedBMC.etag(of: document)))
    }

    @Test("values outside the registry, and read-only attributes, are refused with the reason")
    func registry() {
        var bmc = SimulatedBMC(server: Self.server)
        for (name, value, reason) in [
            ("Bootmodeselect", JSONValue.string("Floppy"), "not one of"), ("TotalMemory", .string("1 TB"), "read-only"),
            ("SetupPromptTimeout", .number(70_000), "above"),
            ("NoSuchThing", .string("x"), "not in the attribute registry"),
        ] {
            let answer = bmc.handle(
                LabRequest(
                    method: "PATCH", path: "/redfish/v1/Systems/1/Bios/Settings", headers: Self.basic(),
                    body: .object(["Attributes": .object([name: value])])), now: 0)
            #expect(answer.status == 400)
            #expect(
                answer.body?["error"]["@Message.ExtendedInfo"].array.first?["Message"].string?.contains(reason) == true)
        }
        #expect(bmc.counters.patches == 0)
    }

    @Test("sessions: a limit, refused like iDRAC when exceeded; a deleted session frees its place")
    func sessions() {
        var settings = SimulatedBMC.Settings()
        settings.sessionLimit = 2
        var bmc = SimulatedBMC(server: Self.server, settings: settings)
        let login = LabRequest(
            method: "POST", path: "/redfish/v1/SessionService/Sessions",
            body: .object(["UserName": .string("admin"), "Password": .string("password")]))
        let first = bmc.handle(login, now: 0)
        #expect(first.status == 201)
        let token = try! #require(first.headers["X-Auth-Token"])
        #expect(
            bmc.handle(
                LabRequest(method: "GET", path: "/redfish/v1/Systems/1", headers: ["x-auth-token": token]), now: 0
            ).status == 200)
        #expect(bmc.handle(login, now: 0).status == 201)
        let third = bmc.handle(login, now: 0)
        #expect(third.status == 400)
        #expect(
            third.body?["error"]["@Message.ExtendedInfo"].array.first?["MessageId"].string?.contains("RAC0218") == true)
        let location = try! #require(first.headers["Location"])
        #expect(
            bmc.handle(LabRequest(method: "DELETE", path: location, headers: ["x-auth-token": token]), now: 0).status
                == 204)
        #expect(bmc.handle(login, now: 0).status == 201)
        #expect(
            bmc.handle(
                LabRequest(method: "GET", path: "/redfish/v1/Systems/1", headers: ["x-auth-token": token]), now: 0
            ).status == 401)
        #expect(bmc.handle(LabRequest(method: "GET", path: "/redfish/v1/Systems/1"), now: 0).status == 401)
        #expect(bmc.handle(LabRequest(method: "GET", path: "/redfish/v1"), now: 0).status == 200)
    }

    @Test("SimpleUpdate: 202 and a task that progresses; BMC firmware applies on completion, BIOS firmware at reset")
    func tasks() {
        var bmc = SimulatedBMC(server: Self.server)
        func update(_ image: String) -> String {
            let answer = bmc.handle(
                LabRequest(
                    method: "POST", path: "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate",
                    headers: Self.basic(),
                    body: .object(["ImageURI": .string("http://repo/\(image)")])), now: 0)
            #expect(answer.status == 202)
            return answer.headers["Location"]!
        }
        let monitor = update("bmc-1.74.06.bin")
        var states: [String] = []
        for _ in 0..<5 {
            let answer = bmc.handle(LabRequest(method: "GET", path: monitor, headers: Self.basic()), now: 0)
            states.append(answer.body?["TaskState"].string ?? "?")
            if answer.status == 200 { break }
        }
        #expect(states == ["Running", "Running", "Completed"])
        let manager = bmc.handle(
            LabRequest(method: "GET", path: "/redfish/v1/Managers/1", headers: Self.basic()), now: 0)
        #expect(manager.body?["FirmwareVersion"].string == "1.74.06")
        #expect(bmc.counters.resets == 0)
        let biosMonitor = update("bios-1.5.bin")
        while bmc.handle(LabRequest(method: "GET", path: biosMonitor, headers: Self.basic()), now: 0).status == 202 {}
        func biosVersion() -> String? {
            bmc.handle(LabRequest(method: "GET", path: "/redfish/v1/Systems/1", headers: Self.basic()), now: 0).body?[
                "BiosVersion"
            ].string
        }
        #expect(biosVersion() == Self.server.biosVersion)
        _ = bmc.handle(
            LabRequest(
                method: "POST", path: "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", headers: Self.basic(),
                body: .object(["ResetType": .string("ForceRestart")])), now: 0)
        // The staged BIOS runs once POST is over.
        _ = bmc.powerState(at: bmc.settings.postSeconds)
        #expect(biosVersion() == "1.5")
    }
}

/// Firmware pushed to `MultipartHttpPushUri`.
@Suite("Simulated BMC multipart push")
struct SimulatedMultipartTests {
    static func form(_ parts: [(name: String, filename: String?, body: String)], boundary: String = "b0undary") -> Data
    {
        var text = ""
        for part in parts {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { text += "; filename=\"\(filename)\"" }
            text += "\r\nContent-Type: application/octet-stream\r\n\r\n\(part.body)\r\n"
        }
        return Data((text + "--\(boundary)--\r\n").utf8)
    }

    func push(_ bmc: inout SimulatedBMC, _ body: Data, type: String = "multipart/form-data; boundary=b0undary")
        -> LabResponse
    {
        bmc.handle(
            LabRequest(
                method: "POST", path: "/redfish/v1/UpdateService/upload",
                headers: SimulatedBMCTests.basic().merging(["content-type": type]) { $1 }, raw: body), now: 0)
    }

    @Test("UpdateParameters + UpdateFile: 202 and a task; the BMC runs the pushed firmware when it completes")
    func push() {
        var bmc = SimulatedBMC(server: SimulatedBMCTests.server)
        let service = bmc.handle(
            LabRequest(method: "GET", path: "/redfish/v1/UpdateService", headers: SimulatedBMCTests.basic()), now: 0)
        #expect(service.body?["MultipartHttpPushUri"].string == "/redfish/v1/UpdateService/upload")
        let answer = push(
            &bmc,
            Self.form([
                ("UpdateParameters", nil, #"{"Targets": [], "@Redfish.OperationApplyTime": "Immediate"}"#),
                ("UpdateFile", "bmc-1.80.02.bin", "\u{7f}ELF firmware bytes"),
            ]))
        #expect(answer.status == 202)
        let monitor = try! #require(answer.headers["Location"])
        while bmc.handle(LabRequest(method: "GET", path: monitor, headers: SimulatedBMCTests.basic()), now: 0).status
            == 202
        {}
        let manager = bmc.handle(
            LabRequest(method: "GET", path: "/redfish/v1/Managers/1", headers: SimulatedBMCTests.basic()), now: 0)
        #expect(manager.body?["FirmwareVersion"].string == "1.80.02")
    }

    @Test("a body that is not multipart, parameters that are not JSON, no file, or a foreign image: 400 saying which")
    func refused() {
        var bmc = SimulatedBMC(server: SimulatedBMCTests.server)
        let notMultipart = push(&bmc, Data("{}".utf8), type: "application/json")
        #expect(notMultipart.status == 400)
        let badJSON = push(
            &bmc, Self.form([("UpdateParameters", nil, "{oops"), ("UpdateFile", "bmc-1.bin", "x")]))
        #expect(
            badJSON.body?["error"]["@Message.ExtendedInfo"].array.first?["Message"].string?.contains("not JSON") == true
        )
        let noFile = push(&bmc, Self.form([("UpdateParameters", nil, "{}")]))
        #expect(noFile.status == 400)
        let foreign = push(&bmc, Self.form([("UpdateFile", "other-vendor.img", "x")]))
        #expect(foreign.status == 400)
        let cut = push(&bmc, Data("--b0undary\r\nContent-Disposition: form-data; name=\"UpdateFile\"".utf8))
        #expect(cut.status == 400)
    }
}

/// AccountService: BMC users set up over Redfish.
@Suite("Simulated BMC accounts")
struct SimulatedAccountTests {
    static let auth = ["authorization": "Basic " + Data("admin:password".utf8).base64EncodedString()]

    @Test("create an account, log in with it, change its password, disable it; passwords never read back")
    func accounts() throws {
        var bmc = SimulatedBMC(server: SimulatedBMCTests.server)
        let created = bmc.handle(
            LabRequest(
                method: "POST", path: "/redfish/v1/AccountService/Accounts", headers: Self.auth,
                body: .object([
                    "UserName": .string("hwa"), "Password": .string("first-pass"), "RoleId": .string("Administrator"),
                ])),
            now: 0)
        #expect(created.status == 201)
        let location = try #require(created.headers["Location"])
        #expect(created.body?["Password"] == .null)
        let login = { (password: String) in
            ["authorization": "Basic " + Data("hwa:\(password)".utf8).base64EncodedString()]
        }
        #expect(
            bmc.handle(LabRequest(method: "GET", path: "/redfish/v1/Systems/1", headers: login("first-pass")), now: 0)
                .status == 200)
        let changed = bmc.handle(
            LabRequest(
                method: "PATCH", path: location, headers: Self.auth, body: .object(["Password": .string("second-pass")])
            ), now: 0)
        #expect(changed.status == 200)
        #expect(
            bmc.handle(LabRequest(method: "GET", path: "/redfish/v1/Systems/1", headers: login("first-pass")), now: 0)
                .status == 401)
        #expect(
            bmc.handle(LabRequest(method: "GET", path: "/redfish/v1/Systems/1", headers: login("second-pass")), now: 0)
                .status == 200)
        let short = bmc.handle(
            LabRequest(
                method: "PATCH", path: location, headers: Self.auth, body: .object(["Password": .string("short")])),
            now: 0)
        #expect(short.status == 400)
        _ = bmc.handle(
            LabRequest(method: "PATCH", path: location, headers: Self.auth, body: .object(["Enabled": .bool(false)])),
            now: 0)
        #expect(
            bmc.handle(LabRequest(method: "GET", path: "/redfish/v1/Systems/1", headers: login("second-pass")), now: 0)
                .status == 401)
        let duplicate = bmc.handle(
            LabRequest(
                method: "POST", path: "/redfish/v1/AccountService/Accounts", headers: Self.auth,
                body: .object(["UserName": .string("hwa"), "Password": .string("another-pass")])), now: 0)
        #expect(duplicate.status == 400)
    }
}

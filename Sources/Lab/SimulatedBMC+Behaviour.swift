import Foundation
import Inventory
import Redfish

extension SimulatedBMC {
    /// Basic or X-Auth-Token; nil when the request may proceed. A session used at `now` is not idle from then
    /// (`Settings.sessionTimeout`).
    /// Then the account's role must allow the request (`forbidden(_:user:)`).
    mutating func authenticate(_ request: LabRequest, now: Double) -> LabResponse? {
        if let token = request.headers["x-auth-token"] {
            guard let session = sessions[token] else {
                return Self.unauthorized("Base.1.8.NoValidSession", "The session is not valid.")
            }
            sessions[token]?.lastUsed = now
            return forbidden(request, user: session.user)
        }
        if let header = request.headers["authorization"], header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let account = accounts.values.first(where: { $0.enabled && "\($0.user):\($0.password)" == decoded })
        {
            return forbidden(request, user: account.user)
        }
        return Self.unauthorized("Base.1.8.AccessDenied", "Authentication is required.")
    }

    /// A 401 with the challenge Redfish requires (`WWW-Authenticate`: Basic, or a session from SessionService).
    static func unauthorized(_ messageID: String, _ message: String) -> LabResponse {
        var response = LabResponse.error(401, messageID, message)
        response.headers["WWW-Authenticate"] = "Basic realm=\"HWAutomation Lab BMC\""
        return response
    }

    /// Creates a session at `now`, when there is a free slot (`Settings.sessionLimit`).
    mutating func login(_ request: LabRequest, now: Double) -> LabResponse {
        guard let body = request.body, let user = body["UserName"].string,
            accounts.values.contains(where: { $0.enabled && $0.user == user && $0.password == body["Password"].string })
        else {
            return Self.unauthorized("Base.1.8.AccessDenied", "Invalid user name or password.")
        }
        guard sessions.count < settings.sessionLimit else {
            // Refused like iDRAC (its registry's RAC0218), whatever the profile: clients must recognise that one.
            return .error(
                400, "IDRAC.2.8.RAC0218", "The maximum number of user sessions is reached (\(settings.sessionLimit)).")
        }
        // Session v1.5.0's `Context`: a client-supplied string kept with the session and shown when it is read.
        let context = body["Context"]
        guard context == .null || context.string != nil else {
            return .error(
                400, "Base.1.8.PropertyValueTypeError", "The value for the property Context must be a string.")
        }
        let id = String(nextID)
        nextID += 1
        let token = "lab-\(server.serial)-\(id)-\(UUID().uuidString.prefix(8))"
        sessions[token] = (id, now, user, context.string)
        counters.sessionsCreated += 1
        let location = "\(Self.root)/SessionService/Sessions/\(id)"
        return LabResponse(
            status: 201, headers: ["X-Auth-Token": token, "Location": location],
            body: .object(["@odata.id": .string(location), "Id": .string(id), "UserName": .string(user)]))
    }

    /// A session of `SessionService/Sessions`, read back (its token is never shown).
    func session(_ id: String) -> LabResponse {
        guard let session = sessions.values.first(where: { $0.id == id }) else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No session \(id).")
        }
        var body: [String: JSONValue] = [
            "@odata.id": .string("\(Self.root)/SessionService/Sessions/\(id)"), "Id": .string(id),
            "Name": .string("User Session"), "UserName": .string(session.user),
        ]
        if let context = session.context { body["Context"] = .string(context) }
        return ok(.object(body))
    }

    mutating func logout(_ id: String) -> LabResponse {
        guard let token = sessions.first(where: { $0.value.id == id })?.key else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No session \(id).")
        }
        sessions[token] = nil
        counters.sessionsDeleted += 1
        return LabResponse(status: 204)
    }

    /// Validates against the registry and stores the values as pending until the next reset.
    mutating func patchBIOS(_ request: LabRequest) -> LabResponse {
        if profile == .supermicro && !settings.supermicroLicensed {
            return .error(
                400, "SMC.1.0.OemLicenseNotPassed",
                "BIOS configuration over Redfish requires the SFT-DCMS-SINGLE (out-of-band) licence on this BMC.")
        }
        if let match = request.headers["if-match"], match != settingsETag, match != "W/" + settingsETag, match != "*" {
            counters.preconditionFailures += 1
            return .error(412, "Base.1.8.PreconditionFailed", "The ETag \(match) does not match the resource.")
        }
        guard let values = request.body?["Attributes"].object, !values.isEmpty else {
            return .error(400, "Base.1.8.PropertyMissing", "The request body needs an Attributes object.")
        }
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let attribute = attributes[name] else {
                return .error(400, "Base.1.8.PropertyUnknown", "The property \(name) is not in the attribute registry.")
            }
            if let problem = attribute.problem(with: value) {
                return .error(400, "Base.1.8.PropertyValueNotInList", problem)
            }
        }
        let after = Dictionary(attributes.map { ($0.key, $0.value.value) }) { first, _ in first }
            .merging(pending) { $1 }.merging(values) { $1 }
        if let problem = labBIOS.dependencyProblem(writing: values, after: after) {
            return .error(400, "Base.1.8.PropertyNotWritable", problem)
        }
        if !pending.isEmpty || power == .poweringOn { counters.overlappingChanges += 1 }
        if isRedundantBIOSPatch(values) { counters.redundantPatches += 1 }
        pending.merge(values) { $1 }
        settingsVersion += 1
        counters.patches += 1
        var headers = ["ETag": settingsETag]
        var status = 200
        if profile == .dell {
            dellBusyPending = settings.dellBusyAfterChange
            // iDRAC answers a settings PATCH with 202 and the configuration job that applies it at the reset.
            let id = "JID_\(String(format: "%012d", 100_000_000 + jobs.count + 1))"
            jobs.append((id, "Scheduled"))
            headers["Location"] = "\(Self.root)/Managers/1/Jobs/\(id)"
            status = 202
        }
        // iLO says so in its own registry; Base 1.8 has ResetRequired (the reset's target and type as arguments).
        let reset = "\(Self.root)/Systems/1/Actions/ComputerSystem.Reset"
        var message: [String: JSONValue] = [
            "MessageId": .string(profile == .hpe ? "iLO.2.14.SystemResetRequired" : "Base.1.8.ResetRequired"),
            "Message": .string("Changes take effect at the next system reset."),
        ]
        if profile != .hpe { message["MessageArgs"] = .array([.string(reset), .string("ForceRestart")]) }
        return LabResponse(
            status: status, headers: headers,
            body: .object(["@Message.ExtendedInfo": .array([.object(message)])]))
    }

    /// Power transitions: a restart (or On from Off) goes through POST, and applies pending BIOS settings and
    /// staged BIOS firmware.
    mutating func reset(_ request: LabRequest, now: Double) -> LabResponse {
        if profile == .dell {
            if request.headers["if-match"] != nil {
                return .error(412, "Base.1.8.PreconditionFailed", "If-Match is not supported on actions.")
            }
            if dellBusyPending {
                dellBusyPending = false
                return .error(
                    503, "IDRAC.2.8.SYS518", "iDRAC is busy applying a configuration job; retry the operation.")
            }
        }
        let type = request.body?["ResetType"].string ?? "ForceRestart"
        if isRedundantReset(type) { counters.redundantResets += 1 }
        switch type {
        case "ForceOff", "GracefulShutdown":
            power = .off
        case "On", "ForceOn":
            guard power == .off else { return LabResponse(status: 204) }
            boot(now)
        case "ForceRestart", "GracefulRestart", "PowerCycle":
            boot(now)
        default:
            // Base 1.8 has no ActionParameterValueNotInList (added later); its nearest is this.
            return .error(400, "Base.1.8.ActionParameterValueFormatError", "ResetType \(type) is not supported.")
        }
        return LabResponse(status: 204)
    }

    /// A (re)start: POST begins; what is pending now is applied when it ends (`endPOST`), as a real BIOS takes its
    /// pending settings during POST and the BMC shows them only after: a read of the Bios resource during POST sees
    /// the old values.
    private mutating func boot(_ now: Double) {
        counters.resets += 1
        boots += 1
        power = .poweringOn
        poweredOnAt = now
        for index in jobs.indices where jobs[index].state == "Scheduled" { jobs[index].state = "Running" }
        applyingAtPOSTEnd = (pending, pendingBIOSFirmware)
        secureBootAtPOSTEnd = secureBoot.requested
        writeLog(severity: "OK", message: "System restart initiated by a Redfish ComputerSystem.Reset.", at: now)
    }

    /// POST is over: the settings and firmware the reset took are in force (settings PATCHed during POST stay
    /// pending for the next reset), configuration jobs are complete, the host is On.
    mutating func endPOST() {
        power = .on
        for index in jobs.indices where jobs[index].state == "Running" { jobs[index].state = "Completed" }
        let (taken, firmware) = applyingAtPOSTEnd
        for (name, value) in taken {
            attributes[name]?.value = value
            if pending[name] == value { pending[name] = nil }
        }
        if !taken.isEmpty { settingsVersion += 1 }
        if let firmware {
            biosVersion = firmware
            if pendingBIOSFirmware == firmware { pendingBIOSFirmware = nil }
        }
        applyingAtPOSTEnd = ([:], nil)
        if let secure = secureBootAtPOSTEnd {
            secureBoot.current = secure
            if profile == .hpe { attributes["SecureBootStatus"]?.value = .string(secure ? "Enabled" : "Disabled") }
        }
        secureBootAtPOSTEnd = nil
    }

    /// Changes an account's password, name, role or enabled flag; passwords must be 8 to 20 characters.
    mutating func patchAccount(_ id: String, _ request: LabRequest) -> LabResponse {
        guard let slot = Int(id), var changed = accounts[slot] else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No account \(id).")
        }
        guard let body = request.body?.object, !body.isEmpty else {
            return .error(400, "Base.1.8.PropertyMissing", "Nothing to change.")
        }
        // Properties the account does not take are named, not ignored: all of them refused is a 400, some a 200
        // whose body lists them (DSP0266, "PATCH (update)").
        let refused = body.keys.filter { !Self.writableAccountProperties.contains($0) }.sorted()
        let messages: [JSONValue] = refused.map { name in
            let known = ["Id", "Name", "AccountTypes", "@odata.id", "@odata.type", "Description"].contains(name)
            return .object([
                "MessageId": .string(known ? "Base.1.8.PropertyNotWritable" : "Base.1.8.PropertyUnknown"),
                "Message": .string(
                    known ? "The property \(name) is read-only." : "The property \(name) is not in this resource."),
                "MessageArgs": .array([.string(name)]), "Severity": .string("Warning"),
                "RelatedProperties": .array([.string("#/\(name)")]),
            ])
        }
        if body.keys.allSatisfy({ $0.hasPrefix("@") }) {
            return .error(400, "Base.1.8.NoOperation", "The request holds only annotations; nothing was changed.")
        }
        guard refused.count < body.count else {
            return LabResponse(
                status: 400,
                body: .object([
                    "error": .object([
                        "code": .string("Base.1.8.GeneralError"),
                        "message": .string(
                            "No property of the request can be updated: \(refused.joined(separator: ", "))."),
                        "@Message.ExtendedInfo": .array(messages),
                    ])
                ]))
        }
        if let role = body["RoleId"]?.string, !Self.roles.contains(where: { $0.id == role }) {
            return .error(
                400, "Base.1.8.PropertyValueNotInList",
                "RoleId \(role) is not a role of this service: \(Self.roles.map(\.id).joined(separator: ", ")).")
        }
        if let password = body["Password"]?.string {
            guard (8...20).contains(password.count) else {
                return .error(400, "Base.1.8.PropertyValueFormatError", "The password must be 8 to 20 characters.")
            }
            changed.password = password
        }
        if let user = body["UserName"]?.string { changed.user = user }
        if let role = body["RoleId"]?.string { changed.role = role }
        if let enabled = body["Enabled"]?.bool { changed.enabled = enabled }
        if let before = accounts[slot], before.user == changed.user, before.password == changed.password,
            before.role == changed.role, before.enabled == changed.enabled
        {
            counters.redundantPatches += 1
        }
        accounts[slot] = changed
        counters.patches += 1
        var answer = account(id)
        if !messages.isEmpty, case .object(var representation)? = answer.body {
            representation["@Message.ExtendedInfo"] = .array(messages)
            answer.body = .object(representation)
        }
        return answer
    }

    /// What a PATCH of an account may change.
    static let writableAccountProperties: Set<String> = ["UserName", "Password", "RoleId", "Enabled"]

    /// Creates an account in the first free slot (2…16).
    mutating func createAccount(_ request: LabRequest) -> LabResponse {
        guard let user = request.body?["UserName"].string, let password = request.body?["Password"].string else {
            return .error(400, "Base.1.8.PropertyMissing", "UserName and Password are required.")
        }
        guard (8...20).contains(password.count) else {
            return .error(400, "Base.1.8.PropertyValueFormatError", "The password must be 8 to 20 characters.")
        }
        guard !accounts.values.contains(where: { $0.user == user }) else {
            return .error(400, "Base.1.8.ResourceAlreadyExists", "An account named \(user) exists.")
        }
        guard let slot = (2...16).first(where: { accounts[$0] == nil }) else {
            return .error(400, "Base.1.8.CreateLimitReachedForResource", "No free account slot.")
        }
        let role = request.body?["RoleId"].string ?? "Operator"
        guard Self.roles.contains(where: { $0.id == role }) else {
            return .error(
                400, "Base.1.8.PropertyValueNotInList",
                "RoleId \(role) is not a role of this service: \(Self.roles.map(\.id).joined(separator: ", ")).")
        }
        accounts[slot] = (user, password, role, true)
        var response = account(String(slot))
        response.status = 201
        response.headers["Location"] = "\(Self.root)/AccountService/Accounts/\(slot)"
        return response
    }

    mutating func patchManagerInterface(_ request: LabRequest) -> LabResponse {
        guard
            let address = request.body?["IPv4StaticAddresses"].array.first
                ?? request.body?["IPv4Addresses"].array.first,
            let ip = address["Address"].string
        else {
            return .error(400, "Base.1.8.PropertyMissing", "IPv4StaticAddresses[0].Address is required.")
        }
        let before = managerAddress
        managerAddress = (
            ip, address["SubnetMask"].string ?? managerAddress.mask,
            address["Gateway"].string ?? managerAddress.gateway, "Static"
        )
        if before == managerAddress { counters.redundantPatches += 1 }
        counters.patches += 1
        return LabResponse(status: 200, body: managerInterface)
    }

    /// `SimpleUpdate`: the lab server has downloaded `ImageURI` into the request's raw body (header
    /// `x-lab-image-fetch` says how that went); a lab image's header names what it flashes, else the file name does
    /// (`bmc-<version>`, `bios-<version>`). 202 and a task; BMC firmware runs when the task completes (no host
    /// reset), BIOS firmware at the next reset.
    mutating func simpleUpdate(_ request: LabRequest, now: Double) -> LabResponse {
        guard let image = request.body?["ImageURI"].string else {
            return .error(400, "Base.1.8.ActionParameterMissing", "ImageURI is required.")
        }
        if let fetch = request.headers["x-lab-image-fetch"], fetch != "ok" {
            return startUpdate(
                .nothing, failure: "The image could not be downloaded: \(fetch)", target: "SimpleUpdate", image: image,
                now: now)
        }
        let name = image.split(separator: "/").last.map(String.init) ?? image
        guard let update = Self.updateEffect(name, image: request.raw) else {
            return .error(
                400, "Update.1.0.VerificationFailed",
                "The image \(name) is not firmware for this server (a lab image, or bmc-<version> / bios-<version>).")
        }
        return startUpdate(update.0, failure: update.1, target: "SimpleUpdate", image: image, now: now)
    }

    /// A firmware push (`MultipartHttpPushUri`): `UpdateParameters` (JSON) and `UpdateFile` parts.
    mutating func multipartUpdate(_ request: LabRequest, now: Double) -> LabResponse {
        guard let form = MultipartForm.parse(request.raw, contentType: request.headers["content-type"] ?? "") else {
            return .error(
                400, "Base.1.8.UnrecognizedRequestBody", "The body must be multipart/form-data with a boundary.")
        }
        if let parameters = form.part("UpdateParameters"), (try? JSONValue.parse(parameters.body)) == nil {
            return .error(400, "Base.1.8.MalformedJSON", "The UpdateParameters part is not JSON.")
        }
        guard let file = form.part("UpdateFile"), let filename = file.filename, !file.body.isEmpty else {
            return .error(400, "Base.1.8.ActionParameterMissing", "An UpdateFile part with a file is required.")
        }
        guard let update = Self.updateEffect(filename, image: file.body) else {
            return .error(
                400, "Update.1.0.VerificationFailed", "The image \(filename) is not firmware for this server.")
        }
        return startUpdate(update.0, failure: update.1, target: "upload", image: filename, now: now)
    }

    /// What an image does: from a lab image's header, else from its name (`bmc-1.80.bin` → BMC firmware 1.80,
    /// `bios-3.1.bin` → BIOS firmware 3.1); nil for anything else. The second value is the failure the flash
    /// will end in, if the image carries a fault.
    static func updateEffect(_ name: String, image: Data = Data()) -> (TaskEffect, String?)? {
        if let header = LabFirmwareImage.parse(image) {
            let failure = header.fault.map { _ in "Image verification failed at 87%: the component is in recovery." }
            switch header.component {
            case "bmc": return (.bmcFirmware(header.version), failure)
            case "bios": return (.biosFirmware(header.version), failure)
            default: return nil
            }
        }
        if name.hasPrefix("bmc-") {
            return (.bmcFirmware(String(name.dropFirst(4)).replacingOccurrences(of: ".bin", with: "")), nil)
        }
        if name.hasPrefix("bios-") {
            return (.biosFirmware(String(name.dropFirst(5)).replacingOccurrences(of: ".bin", with: "")), nil)
        }
        return nil
    }

    private mutating func startUpdate(
        _ effect: TaskEffect, failure: String?, target: String, image: String, now: Double
    ) -> LabResponse {
        if case .biosFirmware = effect, profile == .supermicro, !settings.supermicroLicensed {
            return .error(
                400, "SMC.1.0.OemLicenseNotPassed",
                "BIOS firmware updates over Redfish require the SFT-DCMS-SINGLE (out-of-band) licence on this BMC.")
        }
        counters.firmwareUpdates += 1
        if isRedundantFlash(effect) { counters.redundantFlashes += 1 }
        return startTask(effect, failure: failure, target: target, image: image, now: now)
    }

    /// One FirmwareInventory member: `BMC`, `BIOS`, or `BIOS-Staged` (the image waiting for the next reset).
    func firmwareItem(_ id: String) -> LabResponse {
        let r = Self.root
        let (name, version, state, health, related): (String, String?, String, String, String)
        switch id {
        case "BMC":
            (name, version, state, health, related) = ("BMC Firmware", bmcFirmware, "Enabled", bmcHealth, "/Managers/1")
        case "BIOS":
            (name, version, state, health, related) = ("System BIOS", biosVersion, "Enabled", "OK", "/Systems/1")
        case "BIOS-Staged":
            (name, version, state, health, related) = (
                "System BIOS (staged)", pendingBIOSFirmware, "StandbyOffline", "OK", "/Systems/1"
            )
        default: return .error(404, "Base.1.8.ResourceMissingAtURI", "No firmware \(id).")
        }
        guard let version else { return .error(404, "Base.1.8.ResourceMissingAtURI", "No firmware \(id).") }
        return ok(
            .object([
                "@odata.id": .string("\(r)/UpdateService/FirmwareInventory/\(id)"), "Id": .string(id),
                "Name": .string(name), "Version": .string(version), "Updateable": .bool(true),
                "Status": .object(["State": .string(state), "Health": .string(health)]),
                "RelatedItem": .array([.object(["@odata.id": .string(r + related)])]),
            ]))
    }
}

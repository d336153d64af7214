import Foundation
import Redfish

/// What boarding validation reads about a server's health, and the hooks a test uses to break it behind every tool's
/// back: the chassis' sensors (a `Sensors` collection on every profile but iLO 5, which serves only the older
/// `Thermal` and `Power` resources; iDRAC serves both), the host ports' links, the drives' health, and the system's
/// `SecureBoot` resource (on iLO written there and applied when the next POST ends; elsewhere it shows the BIOS's
/// Secure Boot attribute and refuses a PATCH).
extension SimulatedBMC {
    /// Whether the chassis links a `Sensors` collection.
    var servesSensors: Bool { profile != .hpe }
    /// Whether the chassis links the older `Thermal` and `Power` resources.
    var servesThermal: Bool { profile == .hpe || profile == .dell }

    /// The sensors' ids, in the order the `Sensors` collection lists them (`CPU1Temp` first).
    public var sensorIDs: [String] { sensors.map(\.id) }

    /// Sets a sensor's reading (a CPU running hot, a fan failing); false when there is no such sensor.
    public mutating func setSensorReading(_ id: String, to reading: Double) -> Bool {
        guard let index = sensors.firstIndex(where: { $0.id == id }) else { return false }
        sensors[index].reading = reading
        return true
    }

    /// Takes a host port's link down or brings it up (a cable pulled, a switch port shut); false when the server has
    /// no port of that name.
    public mutating func setLink(_ port: String, up: Bool) -> Bool {
        guard let index = server.ports.firstIndex(where: { $0.name == port }) else { return false }
        if up { linksDown.remove(index) } else { linksDown.insert(index) }
        return true
    }

    /// Sets a drive's `Status.Health` (`OK`, `Warning`, `Critical`); false when there is no drive of that name.
    public mutating func setDriveHealth(_ drive: String, to health: String) -> Bool {
        guard server.drives.contains(where: { $0.name == drive }) else { return false }
        driveHealth[drive] = health == "OK" ? nil : health
        return true
    }

    /// A drive's `Status` as the BMC reports it.
    func driveStatus(_ name: String) -> JSONValue {
        .object(["State": .string("Enabled"), "Health": .string(driveHealth[name] ?? "OK")])
    }

    /// Whether port `index`'s link is up.
    func linkUp(_ index: Int) -> Bool { !linksDown.contains(index) }

    // MARK: Resources

    /// Answers the chassis' sensor resources and the system's SecureBoot; nil for any other route.
    mutating func healthRoute(_ route: Route, _ request: LabRequest) -> LabResponse? {
        let r = Self.root
        if servesSensors, route.is("GET", "Chassis", "1", "Sensors") {
            return ok(collection("Sensors", sensors.map { "\(r)/Chassis/1/Sensors/\($0.id)" }))
        }
        if servesSensors, let id = route.id("GET", "Chassis", "1", "Sensors") {
            guard let sensor = sensors.first(where: { $0.id == id }) else {
                return .error(404, "Base.1.8.ResourceMissingAtURI", "No sensor \(id).")
            }
            return ok(sensor.resource(path: "\(r)/Chassis/1/Sensors/\(id)"))
        }
        if servesThermal, route.is("GET", "Chassis", "1", "Thermal") { return ok(thermal) }
        if servesThermal, route.is("GET", "Chassis", "1", "Power") { return ok(powerResource) }
        if route.is("GET", "Systems", "1", "SecureBoot") { return ok(secureBootResource) }
        if route.is("PATCH", "Systems", "1", "SecureBoot") { return patchSecureBoot(request) }
        return nil
    }

    /// The older Thermal resource: temperatures and fans.
    var thermal: JSONValue {
        let path = "\(Self.root)/Chassis/1/Thermal"
        func entries(_ kind: LabSensor.Kind, _ array: String) -> JSONValue {
            .array(
                sensors.filter { $0.kind == kind }.enumerated().map { index, sensor in
                    sensor.legacyEntry(path: "\(path)#/\(array)/\(index)", memberID: "\(index)")
                })
        }
        return .object([
            "@odata.id": .string(path), "Id": .string("Thermal"), "Name": .string("Thermal"),
            "Temperatures": entries(.temperature, "Temperatures"), "Fans": entries(.rotational, "Fans"),
        ])
    }

    /// The older Power resource: voltages.
    var powerResource: JSONValue {
        let path = "\(Self.root)/Chassis/1/Power"
        return .object([
            "@odata.id": .string(path), "Id": .string("Power"), "Name": .string("Power"),
            "Voltages": .array(
                sensors.filter { $0.kind == .voltage }.enumerated().map { index, sensor in
                    sensor.legacyEntry(path: "\(path)#/Voltages/\(index)", memberID: "\(index)")
                }),
        ])
    }

    /// The BIOS attribute holding Secure Boot (`SecureBoot`, or Supermicro's by its display name); nil on iLO, whose
    /// BIOS only reports it.
    var secureBootAttribute: String? {
        guard profile != .hpe else { return nil }
        if attributes["SecureBoot"] != nil { return "SecureBoot" }
        return attributes.values.first { $0.displayName == "Secure Boot" }?.name
    }

    /// The system's SecureBoot resource.
    var secureBootResource: JSONValue {
        var enabled = secureBoot.requested
        var current = secureBoot.current
        if let name = secureBootAttribute {
            enabled = attributes[name]?.value.string == "Enabled"
            current = enabled
        }
        return .object([
            "@odata.id": .string("\(Self.root)/Systems/1/SecureBoot"), "Id": .string("SecureBoot"),
            "Name": .string("UEFI Secure Boot"), "SecureBootEnable": .bool(enabled),
            "SecureBootCurrentBoot": .string(current ? "Enabled" : "Disabled"), "SecureBootMode": .string("UserMode"),
        ])
    }

    /// iLO takes `SecureBootEnable` and applies it when the next POST ends; the others keep Secure Boot in the BIOS
    /// settings and refuse the property.
    mutating func patchSecureBoot(_ request: LabRequest) -> LabResponse {
        guard let body = request.body?.object, let enable = body["SecureBootEnable"]?.bool, body.count == 1 else {
            return .error(
                400, "Base.1.8.PropertyValueTypeError", "The request must set SecureBootEnable (true or false) only.")
        }
        guard profile == .hpe else {
            return .error(
                400, "Base.1.8.PropertyNotWritable",
                "SecureBootEnable is read-only here: change the BIOS attribute \(secureBootAttribute ?? "SecureBoot").")
        }
        counters.patches += 1
        if enable == secureBoot.requested { counters.redundantPatches += 1 }
        secureBoot.requested = enable
        return LabResponse(
            status: 200,
            body: .object([
                "@Message.ExtendedInfo": .array([
                    .object([
                        "MessageId": .string("iLO.2.14.SystemResetRequired"),
                        "Message": .string("Changes take effect at the next system reset."),
                    ])
                ])
            ]))
    }
}

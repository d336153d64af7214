import Foundation
import Redfish

/// One sensor a lab BMC reports: its reading and its thresholds, shown as a Redfish `Sensor` (`Chassis/1/Sensors`)
/// and, on the profiles whose BMCs still serve them, in the older `Thermal` and `Power` resources.
public struct LabSensor: Sendable, Hashable {
    /// What a sensor measures, as Redfish's `ReadingType` names it.
    public enum Kind: String, Sendable {
        case temperature = "Temperature"
        case rotational = "Rotational"
        case voltage = "Voltage"

        /// `ReadingUnits` (UCUM).
        var units: String {
            switch self {
            case .temperature: "Cel"
            case .rotational: "RPM"
            case .voltage: "V"
            }
        }
    }

    /// Id (the last segment of its URI): `CPU1Temp`, `InletTemp`, `Fan1`, `PSU1Voltage`.
    public var id: String
    /// Display name.
    public var name: String
    /// What it measures.
    public var kind: Kind
    /// The current reading.
    public var reading: Double
    /// Below this the reading is critical.
    public var lowerCritical: Double?
    /// Below this the reading needs care.
    public var lowerCaution: Double?
    /// Above this the reading needs care.
    public var upperCaution: Double?
    /// Above this the reading is critical.
    public var upperCritical: Double?

    /// `Critical` past a critical threshold, `Warning` past a caution threshold, else `OK`.
    public var health: String {
        if let upperCritical, reading >= upperCritical { return "Critical" }
        if let lowerCritical, reading <= lowerCritical { return "Critical" }
        if let upperCaution, reading >= upperCaution { return "Warning" }
        if let lowerCaution, reading <= lowerCaution { return "Warning" }
        return "OK"
    }

    /// The sensors of `server`: a temperature per CPU socket, the inlet, two fans, the PSU's 12 V rail; readings
    /// of a healthy server at rest, thresholds as BMCs commonly set them.
    static func standard(sockets: Int) -> [LabSensor] {
        let cpus = (1...max(1, sockets)).map { socket in
            LabSensor(
                id: "CPU\(socket)Temp", name: "CPU\(socket) Temp", kind: .temperature, reading: 45,
                upperCaution: 90, upperCritical: 100)
        }
        return cpus + [
            LabSensor(
                id: "InletTemp", name: "Inlet Temp", kind: .temperature, reading: 22, upperCaution: 42,
                upperCritical: 47),
            LabSensor(
                id: "Fan1", name: "Fan 1", kind: .rotational, reading: 6200, lowerCritical: 600, lowerCaution: 1000),
            LabSensor(
                id: "Fan2", name: "Fan 2", kind: .rotational, reading: 6100, lowerCritical: 600, lowerCaution: 1000),
            LabSensor(
                id: "PSU1Voltage", name: "PSU1 12V", kind: .voltage, reading: 12.1, lowerCritical: 10.8,
                lowerCaution: 11.4, upperCaution: 12.6, upperCritical: 13.2),
        ]
    }

    /// The `Sensor` resource at `path`.
    func resource(path: String) -> JSONValue {
        var thresholds: [String: JSONValue] = [:]
        let limits: [(String, Double?)] = [
            ("LowerCritical", lowerCritical), ("LowerCaution", lowerCaution), ("UpperCaution", upperCaution),
            ("UpperCritical", upperCritical),
        ]
        for (name, value) in limits {
            if let value { thresholds[name] = .object(["Reading": .number(value)]) }
        }
        return .object([
            "@odata.id": .string(path), "Id": .string(id), "Name": .string(name), "ReadingType": .string(kind.rawValue),
            "Reading": .number(reading), "ReadingUnits": .string(kind.units), "Thresholds": .object(thresholds),
            "Status": .object(["State": .string("Enabled"), "Health": .string(health)]),
        ])
    }

    /// The entry for the older `Thermal` (`Temperatures[]`, `Fans[]`) or `Power` (`Voltages[]`) arrays.
    func legacyEntry(path: String, memberID: String) -> JSONValue {
        var entry: [String: JSONValue] = [
            "@odata.id": .string(path), "MemberId": .string(memberID), "Name": .string(name),
            "Status": .object(["State": .string("Enabled"), "Health": .string(health)]),
        ]
        switch kind {
        case .temperature: entry["ReadingCelsius"] = .number(reading)
        case .rotational:
            entry["Reading"] = .number(reading)
            entry["ReadingUnits"] = .string("RPM")
        case .voltage: entry["ReadingVolts"] = .number(reading)
        }
        let limits: [(String, Double?)] = [
            ("LowerThresholdCritical", lowerCritical), ("LowerThresholdNonCritical", lowerCaution),
            ("UpperThresholdNonCritical", upperCaution), ("UpperThresholdCritical", upperCritical),
        ]
        for (name, value) in limits {
            if let value { entry[name] = .number(value) }
        }
        return .object(entry)
    }
}

import Foundation
import Redfish

/// Sensors: each of the system's chassis (`Links.Chassis`, else every member of the Chassis collection) — its
/// `Sensors` collection (Sensor: `Reading`, `ReadingUnits`, `ReadingType`, `Thresholds.{LowerCritical, UpperCritical,
/// LowerCaution, UpperCaution}.Reading`, `Status`), else the older `Thermal` (`Temperatures[]`, `Fans[]`) and `Power`
/// (`Voltages[]`) resources, which report the same sensors on the BMCs that serve both (iDRAC 9, iLO 5).
extension BoardingReader {
    func readSensors(root: JSONValue, system: JSONValue?, _ facts: inout BoardingFacts) async {
        var chassis: [JSONValue] = []
        let linked = system?["Links"]["Chassis"].array.compactMap { $0["@odata.id"].string } ?? []
        if !linked.isEmpty {
            for path in linked {
                if let document = await fetch(path, &facts) { chassis.append(document) }
            }
        } else if let path = root["Chassis"]["@odata.id"].string {
            chassis = await members(of: path, &facts)
        }
        for document in chassis {
            if let path = document["Sensors"]["@odata.id"].string {
                facts.sensorsOffered = true
                for sensor in await members(of: path, &facts) {
                    facts.sensors.append(Self.sensor(sensor, path: sensor["@odata.id"].string ?? path))
                }
                continue
            }
            if let path = document["Thermal"]["@odata.id"].string {
                facts.sensorsOffered = true
                if let thermal = await fetch(path, &facts) { facts.sensors += Self.thermalSensors(thermal, path: path) }
            }
            if let path = document["Power"]["@odata.id"].string {
                facts.sensorsOffered = true
                if let power = await fetch(path, &facts) { facts.sensors += Self.voltageSensors(power, path: path) }
            }
        }
    }

    /// A Sensor resource.
    static func sensor(_ sensor: JSONValue, path: String) -> BoardingFacts.Sensor {
        let thresholds = sensor["Thresholds"]
        let units = sensor["ReadingUnits"].string
        return BoardingFacts.Sensor(
            name: sensor["Name"].string ?? sensor["Id"].string ?? lastSegment(path),
            kind: sensor["ReadingType"].string ?? kind(units: units), reading: sensor["Reading"].double,
            units: units, lowerCritical: thresholds["LowerCritical"]["Reading"].double,
            upperCritical: thresholds["UpperCritical"]["Reading"].double,
            lowerCaution: thresholds["LowerCaution"]["Reading"].double,
            upperCaution: thresholds["UpperCaution"]["Reading"].double, health: sensor["Status"]["Health"].string,
            state: sensor["Status"]["State"].string, path: path)
    }

    /// What a sensor measures, from its units when it does not say (`Cel` → `Temperature`).
    static func kind(units: String?) -> String? {
        switch units {
        case "Cel": "Temperature"
        case "RPM": "Rotational"
        case "V": "Voltage"
        case "W": "Power"
        case "A": "Current"
        case "%": "Percent"
        case "Hz": "Frequency"
        case "J": "EnergyJoules"
        case "kW.h": "EnergykWh"
        default: nil
        }
    }

    /// The older Thermal resource's `Temperatures[]` and `Fans[]` (Thermal v1.x: `ReadingCelsius`; a fan's
    /// `Reading` in `ReadingUnits`, `RPM` by default; v1.0's `ReadingRPM` and `FanName`).
    static func thermalSensors(_ thermal: JSONValue, path: String) -> [BoardingFacts.Sensor] {
        let temperatures = thermal["Temperatures"].array.enumerated().map { index, item in
            legacy(
                item, path: item["@odata.id"].string ?? "\(path)#/Temperatures/\(index)", kind: "Temperature",
                reading: item["ReadingCelsius"].double, units: "Cel")
        }
        let fans = thermal["Fans"].array.enumerated().map { index, item in
            let units = item["ReadingUnits"].string ?? "RPM"
            return legacy(
                item, path: item["@odata.id"].string ?? "\(path)#/Fans/\(index)",
                kind: units == "Percent" ? "Percent" : "Rotational",
                reading: item["Reading"].double ?? item["ReadingRPM"].double, units: units == "Percent" ? "%" : units)
        }
        return temperatures + fans
    }

    /// The older Power resource's `Voltages[]`.
    static func voltageSensors(_ power: JSONValue, path: String) -> [BoardingFacts.Sensor] {
        power["Voltages"].array.enumerated().map { index, item in
            legacy(
                item, path: item["@odata.id"].string ?? "\(path)#/Voltages/\(index)", kind: "Voltage",
                reading: item["ReadingVolts"].double, units: "V")
        }
    }

    /// An entry of Thermal's or Power's arrays, with its `*Threshold*` properties.
    private static func legacy(
        _ item: JSONValue, path: String, kind: String, reading: Double?, units: String
    ) -> BoardingFacts.Sensor {
        BoardingFacts.Sensor(
            name: item["Name"].string ?? item["FanName"].string ?? item["MemberId"].string ?? lastSegment(path),
            kind: kind, reading: reading, units: units, lowerCritical: item["LowerThresholdCritical"].double,
            upperCritical: item["UpperThresholdCritical"].double,
            lowerCaution: item["LowerThresholdNonCritical"].double,
            upperCaution: item["UpperThresholdNonCritical"].double, health: item["Status"]["Health"].string,
            state: item["Status"]["State"].string, path: path)
    }
}

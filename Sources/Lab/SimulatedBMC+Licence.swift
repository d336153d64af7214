import Foundation
import Redfish

/// Supermicro's licence manager (`Managers/1/LicenseManager`, OEM): `QueryLicense` lists the installed licences as
/// JSON strings (`{"ProductKey":{"Node":{"LicenseName":"SFT-OOB-LIC",…}}}`), the shape stmcginnis/gofish
/// `oem/smc/licensemanager_test.go` records from an X12 BMC. With `Settings.supermicroLicensed` the lab lists
/// SFT-OOB-LIC and SFT-DCMS-SINGLE, without it none.
extension SimulatedBMC {
    /// The licence manager's routes on the Supermicro profile; nil for any other route.
    func licenceRoute(_ route: Route) -> LabResponse? {
        guard profile == .supermicro, route.method == "GET" else { return nil }
        if route.is("GET", "Managers", "1", "LicenseManager") { return ok(licenceManager) }
        if route.is("GET", "Managers", "1", "LicenseManager", "QueryLicense") { return ok(queryLicence) }
        return nil
    }

    var licenceManager: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/Managers/1/LicenseManager"),
            "@odata.type": .string("#LicenseManager.v1_0_0.LicenseManager"), "Id": .string("LicenseManager"),
            "Name": .string("License Manager"), "QueryLicense": Self.link("/Managers/1/LicenseManager/QueryLicense"),
        ])
    }

    var queryLicence: JSONValue {
        let names = settings.supermicroLicensed ? ["SFT-OOB-LIC", "SFT-DCMS-SINGLE"] : []
        let licences = names.enumerated().map { index, name -> JSONValue in
            let node: JSONValue = .object([
                "ProductKey": .object([
                    "Node": .object([
                        "LicenseID": .string("\(index + 1)"), "LicenseName": .string(name),
                        "CreateDate": .string("20240918"),
                    ])
                ])
            ])
            let text = (try? JSONEncoder().encode(node)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return .string(text)
        }
        return .object([
            "@odata.id": .string(Self.root + "/Managers/1/LicenseManager/QueryLicense"),
            "@odata.type": .string("#QueryLicense.v1_0_0.QueryLicense"), "Id": .string("QueryLicense"),
            "Name": .string("Query License"), "Licenses": .array(licences),
        ])
    }
}

import Logging
import Redfish

/// Whether a Supermicro BMC may change BIOS settings out of band.
///
/// Supermicro sells out-of-band BIOS management as a per-node licence: `SFT-OOB-LIC` ("per node license for OOB BIOS
/// management", ii/iikeyboard wiki `supermicro`) or `SFT-DCMS-SINGLE`; without one, Redfish BIOS changes and BIOS
/// firmware updates are refused (fwupd `docs/supermicro-license.md`: "you will need either the SFT-OOB-LIC or the
/// SFT-DCMS-Single license"; the refusal's id is `OemLicenseNotPassed`), and out-of-band SUM's BIOS commands need the
/// same key (SUM's `CheckOOBSupport` reports it; a public provisioning script gates `ChangeBiosCfg` on it). The BMC
/// lists its licences at `Managers/1/LicenseManager/QueryLicense`: `Licenses` is a list of JSON strings whose
/// `ProductKey.Node.LicenseName` names each (stmcginnis/gofish `oem/smc/licensemanager_test.go`, from an X12 BMC).
/// In band (SUM on the host itself) is SUM's other channel (Supermicro's SUM overview: "the in-band channel, i.e.,
/// communication through the local system interfaces"); that the in-band BIOS commands need no key is what the
/// licence's own name says (out-of-band), not something found stated for every board: if in-band SUM refuses, the run
/// fails with SUM's message.
public enum OutOfBandLicence: Sendable, Hashable {
    /// Not a Supermicro BMC: nothing to check.
    case notNeeded
    /// A Supermicro BMC whose licences have not been read (`RedfishBIOS.checkLicence()` reads them). An apply whose
    /// changes all go over Redfish does not ask first: such a BMC refuses the PATCH (`OemLicenseNotPassed`) and
    /// changes nothing, and the apply then fails naming the licence, at the cost of the request the question was.
    case unchecked
    /// The licence that allows it (`SFT-OOB-LIC`, `SFT-DCMS-SINGLE`).
    case present(String)
    /// The BMC lists its licences and neither is among them (or refuses the query for want of one).
    case absent
    /// The BMC does not say (no licence manager); why.
    case unknown(String)

    /// The licences that allow out-of-band BIOS changes.
    public static let names = ["SFT-OOB-LIC", "SFT-DCMS-SINGLE"]
}

extension RedfishBIOS {
    /// This BMC's out-of-band licence (`licence`), read from it the first time it is `unchecked`: the manager that
    /// manages the system (its `Links.ManagedBy`; else the first of the Managers collection), then that manager's
    /// `QueryLicense`: one GET, two without the link. A licence the BMC does not tell is logged once, naming why.
    public func checkLicence() async -> OutOfBandLicence {
        guard licence == .unchecked else { return licence }
        let read = await Self.readLicence(client: client, manager: managerPath)
        if case .unknown(let why) = read {
            logger.warning("\(client.endpoint.host): cannot tell whether the out-of-band licence is there: \(why)")
        }
        licence = read
        return read
    }

    /// What `checkLicence` asks: `manager`'s (or the first manager's) `QueryLicense`.
    static func readLicence(client: RedfishClient, manager: String?) async -> OutOfBandLicence {
        do {
            var manager = manager
            if manager == nil { manager = try await client.members(of: "Managers").first }
            guard let manager else {
                return .unknown("the BMC lists no manager")
            }
            let answer = try await client.get(manager + "/LicenseManager/QueryLicense")
            let text = String(describing: answer["Licenses"])
            return OutOfBandLicence.names.first { text.contains($0) }.map { .present($0) } ?? .absent
        } catch let error as RedfishError where isLicenceRefusal(error) {
            return .absent
        } catch {
            return .unknown("the licence manager cannot be read: \(error)")
        }
    }

    /// Whether `error` is a Supermicro BMC refusing for want of its out-of-band licence (`OemLicenseNotPassed`).
    static func isLicenceRefusal(_ error: RedfishError) -> Bool {
        error.extendedInfo.contains { $0.contains("OemLicenseNotPassed") }
    }

    /// The error for a change this BMC's licence does not allow: what, which licence, and the ways out.
    static func licenceError(bmc: String, needs: [String]) -> BIOSError {
        BIOSError(
            message:
                "\(bmc): this Supermicro BMC has no out-of-band licence (\(OutOfBandLicence.names.joined(separator: " or "))), "
                + "which BIOS changes over Redfish and out-of-band SUM need; nothing was changed. Not applied: "
                + needs.joined(separator: ", ")
                + ". Install the licence, or give the run host access (SSH) so SUM applies them in band.")
    }
}

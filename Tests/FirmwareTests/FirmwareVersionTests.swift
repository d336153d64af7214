import Catalog
import Foundation
import TestSupport
import Testing

@testable import Firmware

@Suite("Vendor-aware firmware versions")
struct FirmwareVersionTests {
    @Test(
        "newer as each vendor writes it",
        arguments: [
            ("3.5", "3.7"), ("1.73.14", "1.74.06"), ("01.73.14", "1.74"), ("U30 v2.50", "U30 v2.54 (01/2025)"),
            ("U30_v2.50", "U30_v2.54"), ("P40 2.78", "P40 2.84"), ("U34 2.65", "U34 2.71"), ("2.75", "2.78"),
            ("iLO 5 2.82", "iLO 5 2.85"), ("iLO 5 2.82", "2.85"), ("2.10.2", "2.12.0"), ("4.40.40.00", "4.42.00.00"),
            ("2.8.1", "2.9.3"), ("1.0.0", "1.1.0"), ("3.5", "3.10"),
        ])
    func newer(older: String, newer: String) {
        #expect(FirmwareVersion(newer).isNewer(than: FirmwareVersion(older)))
        #expect(!FirmwareVersion(older).isNewer(than: FirmwareVersion(newer)))
        #expect(FirmwareVersion(older).compare(to: FirmwareVersion(newer)) == .orderedAscending)
    }

    @Test("equal: leading zeros, trailing zero parts, the date in brackets")
    func equal() {
        #expect(FirmwareVersion("1.74.06").isSame(as: FirmwareVersion("1.74.6")))
        #expect(FirmwareVersion("2.12").isSame(as: FirmwareVersion("2.12.0")))
        #expect(FirmwareVersion("U30 v2.54 (01/2025)").isSame(as: FirmwareVersion("U30_v2.54")))
        #expect(FirmwareVersion("U30v2.60").isSame(as: FirmwareVersion("U30 v2.60")))
        #expect(FirmwareVersion("U30v2.60").compare(to: FirmwareVersion("U34 v2.60")) == nil)
    }

    @Test(
        "unparseable or of another family is unknown, never newer",
        arguments: [
            ("1.45.455b66-rev4", "1.30.367a12-rev1"), ("1.45.455b66-rev4", "1.74.06"), ("", "1.0"), ("unknown", "3.5"),
            ("U30 v2.54", "U34 2.65"),
            ("3.5a", "3.4"), ("N/A", "N/A"),
        ])
    func unknown(left: String, right: String) {
        #expect(FirmwareVersion(left).compare(to: FirmwareVersion(right)) == nil)
        #expect(!FirmwareVersion(left).isNewer(than: FirmwareVersion(right)))
        #expect(!FirmwareVersion(right).isNewer(than: FirmwareVersion(left)))
    }

    @Test("every current → latest pair in the legacy firmware_repository.yaml compares the right way")
    func legacyExamples() throws {
        let legacy = Peer.shared.appendingPathComponent("reference/hwautomation-configs")
        let catalog = try CatalogLoader.load(directory: legacy.path).catalog
        let examples = catalog.firmware.versionExamples
        #expect(examples.count >= 9)
        for example in examples {
            #expect(
                FirmwareVersion(example.latest).isNewer(than: FirmwareVersion(example.current)),
                "\(example.vendor) \(example.component): \(example.latest) should be newer than \(example.current)")
        }
        // The example image versions of one vendor and component are ordered too (U30_v2.50 < U30_v2.54).
        let hpeBIOS = catalog.firmware.exampleFiles.filter { $0.vendor == "hpe" && $0.component == "bios" }
        #expect(hpeBIOS.count == 2)
        #expect(FirmwareVersion(hpeBIOS[1].version).isNewer(than: FirmwareVersion(hpeBIOS[0].version)))
    }
}

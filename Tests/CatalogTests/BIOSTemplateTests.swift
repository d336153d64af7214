import Foundation
import Testing

@testable import Catalog

@Suite("BIOS template XML")
struct BIOSTemplateTests {
    private func parse(_ xml: String) -> Result<BIOSTemplate, CatalogDiagnostic> {
        BIOSTemplateXML.parse(Data(xml.utf8), name: "t.xml", displayPath: "t.xml")
    }

    @Test("SUM BiosCfg: nested settings carry their menu path")
    func sum() throws {
        let template = try parse(
            """
            <?xml version="1.0"?>
            <BiosCfg>
              <Menu name="Advanced">
                <Setting name="Intel Hyper-Threading Technology" selectedOption="Enabled"/>
                <Setting name="Memory RAS Configuration">
                  <Setting name="Memory Correctable Error" selectedOption="Enabled"/>
                </Setting>
                <Menu name="CPU Configuration"><Setting name="Core Count" numericValue="8"/></Menu>
              </Menu>
            </BiosCfg>
            """
        ).get()
        #expect(template.format == .sumBiosCfg)
        #expect(
            template.settings == [
                .init(path: ["Advanced"], name: "Intel Hyper-Threading Technology", value: "Enabled"),
                .init(
                    path: ["Advanced", "Memory RAS Configuration"], name: "Memory Correctable Error", value: "Enabled"),
                .init(path: ["Advanced", "CPU Configuration"], name: "Core Count", value: "8"),
            ])
    }

    @Test("BiosConfig: groups and the declared type and board")
    func biosConfig() throws {
        let template = try parse(
            """
            <BiosConfig deviceType="s2_c2_large" motherboard="X12DPT-B">
              <CPU><Setting name="hyperthreading" value="enabled"/></CPU>
              <Boot><Setting name="boot_timeout" value="3"/></Boot>
            </BiosConfig>
            """
        ).get()
        #expect(template.format == .biosConfig)
        #expect(template.declaredDeviceType == "s2_c2_large")
        #expect(template.motherboard == "X12DPT-B")
        #expect(template.settings.map(\.path) == [["CPU"], ["Boot"]])
        #expect(template.settings.last?.value == "3")
    }

    @Test("malformed XML is an error with a line, never a success")
    func malformed() {
        let cases = [
            "<BiosCfg><Menu name=\"A\">\n<Setting name=\"x\" selectedOption=\"y\">\n</BiosCfg>",
            "<BiosCfg>\n<Menu name=\"A\">",
            "<BiosCfg><Menu name=\"A\" </Menu></BiosCfg>",
            "<Other/>",
            "   ",
        ]
        for xml in cases {
            guard case .failure(let error) = parse(xml) else {
                Issue.record("parsed malformed XML: \(xml)")
                continue
            }
            #expect(error.severity == .error)
            #expect(error.location.file == "t.xml")
            #expect(error.location.line != nil || error.code == "empty-file", "\(error)")
        }
    }
}

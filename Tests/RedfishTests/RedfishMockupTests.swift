import Foundation
import Testing

@testable import Redfish

@Suite("Redfish documents")
struct RedfishMockupTests {
    static let mockup = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "shared/redfish-mockups/public-rackmount1")

    @Test("the DMTF mockup is read by path in the mockup layout")
    func mockupSource() async throws {
        let source = RedfishMockupSource(root: Self.mockup)
        let root = try await source.get("/redfish/v1")
        #expect(root["RedfishVersion"].string == "1.15.0")
        let systems = try await source.get(try #require(root["Systems"]["@odata.id"].string))
        #expect(systems["Members"].array.count >= 1)
        await #expect(throws: RedfishError.self) { try await source.get("/redfish/v1/NoSuchThing") }
    }

    @Test("the mockup's manager links its host interface, which reads as an enabled network host interface")
    func hostInterface() async throws {
        let source = RedfishMockupSource(root: Self.mockup)
        let manager = try await source.get("/redfish/v1/Managers/BMC")
        let collection = try await source.get(try #require(manager["HostInterfaces"]["@odata.id"].string))
        let path = try #require(collection["Members"].array.first?["@odata.id"].string)
        let interface = try #require(RedfishClient.HostInterface(path: path, document: try await source.get(path)))
        #expect(interface.enabled && interface.type == "NetworkHostInterface")
        #expect(RedfishClient.HostInterface(path: path, document: manager) == nil)
    }

    @Test("JSON values: tolerant accessors, and garbage is a parse error with a reason")
    func json() throws {
        let value = try JSONValue.parse(#"{"a": "12", "b": 3, "c": [1, 2], "d": null, "e": "true"}"#)
        #expect(value["a"].int == 12)
        #expect(value["b"].string == "3")
        #expect(value["c"].array.count == 2)
        #expect(value["d"].isNull && value["missing"].isNull)
        #expect(value["e"].bool == true)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("{not json") }
    }

    @Test("error bodies: ExtendedInfo messages are kept")
    func extendedInfo() {
        let body =
            #"{"error": {"code": "Base.1.8.GeneralError", "message": "A general error has occurred.", "@Message.ExtendedInfo": [{"MessageId": "Base.1.8.PropertyValueNotInList", "Message": "The value Foo for BootMode is not in the list of acceptable values."}]}}"#
        let info = RedfishClient.extendedInfo(Data(body.utf8))
        #expect(info.summary == "A general error has occurred.")
        #expect(
            info.messages == [
                "Base.1.8.PropertyValueNotInList: The value Foo for BootMode is not in the list of acceptable values."
            ])
    }
}

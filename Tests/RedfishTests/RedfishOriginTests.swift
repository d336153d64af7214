import Foundation
import Logging
import Testing

@testable import Redfish

/// The origin rule (credentials stay with the BMC's scheme, host and port) and BMC URLs without credentials in them.
@Suite("Redfish origins and BMC URLs")
struct RedfishOriginTests {
    static func origin(_ text: String) -> RedfishOrigin { RedfishOrigin(URL(string: text)!)! }

    @Test("same scheme, host and port is the same origin; default ports and case do not matter")
    func sameOrigin() {
        let bmc = Self.origin("https://10.0.0.5")
        #expect(bmc.description == "https://10.0.0.5:443")
        #expect(bmc.decide(Self.origin("https://10.0.0.5:443/redfish/v1/Systems/1")) == .sameOrigin)
        #expect(Self.origin("https://BMC.Example").decide(Self.origin("https://bmc.example/x")) == .sameOrigin)
        #expect(Self.origin("http://127.0.0.1:8600").decide(Self.origin("http://127.0.0.1:8600/bmc/0")) == .sameOrigin)
    }

    @Test("https to http is a downgrade, even on the same host and port")
    func downgrade() {
        let bmc = Self.origin("https://10.0.0.5")
        #expect(bmc.decide(Self.origin("http://10.0.0.5")) == .downgrade)
        #expect(bmc.decide(Self.origin("http://10.0.0.5:443")) == .downgrade)
        #expect(bmc.decide(Self.origin("http://203.0.113.9")) == .downgrade)
    }

    @Test("another host, port or scheme is another origin")
    func otherOrigin() {
        let bmc = Self.origin("https://10.0.0.5")
        #expect(bmc.decide(Self.origin("https://10.0.0.6")) == .otherOrigin)
        #expect(bmc.decide(Self.origin("https://10.0.0.5:8443")) == .otherOrigin)
        #expect(Self.origin("http://10.0.0.5").decide(Self.origin("https://10.0.0.5")) == .otherOrigin)
        #expect(Self.origin("https://[fe80::1]:443").description == "https://[fe80::1]:443")
        #expect(RedfishOrigin(URL(string: "ftp://10.0.0.5")!) == nil)
    }

    @Test("a BMC URL with a user or password is refused without repeating the password")
    func credentialsInURL() throws {
        for text in [
            "https://admin:Sup3rSecret@10.0.0.5", "admin:Sup3rSecret@10.0.0.5", "http://root:Sup3rSecret@bmc:8443/x",
        ] {
            #expect {
                _ = try RedfishEndpoint.parseBaseURL(text)
            } throws: { error in
                guard let error = error as? RedfishError else { return false }
                return error.kind == .refused && error.description.contains("user or password")
                    && !error.description.contains("Sup3rSecret") && !error.description.contains("admin")
                    && !error.description.contains("root")
            }
        }
        #expect(throws: RedfishError.self) { _ = try RedfishEndpoint.parseBaseURL("https://admin@10.0.0.5") }
        #expect(try RedfishEndpoint.parseBaseURL("10.0.0.5").absoluteString == "https://10.0.0.5")
        #expect(try RedfishEndpoint.parseBaseURL("http://127.0.0.1:8600/bmc/3").port == 8600)
        #expect(throws: RedfishError.self) { _ = try RedfishEndpoint.parseBaseURL("ftp://10.0.0.5") }
    }

    @Test("a client is never created for a base URL with credentials in it")
    func clientRefusesCredentialsInURL() {
        #expect {
            _ = try RedfishClient(
                endpoint: RedfishEndpoint(baseURL: URL(string: "https://admin:Sup3rSecret@10.0.0.5")!),
                logger: Logger(label: "origin-test"))
        } throws: { error in
            guard let error = error as? RedfishError else { return false }
            return error.kind == .refused && !error.description.contains("Sup3rSecret")
        }
    }
}

import Catalog
import Foundation
import Inventory
import Redfish
import Testing

@testable import Lab

/// A lab BMC configured with redirects answers them with 307 and the configured Location.
@Suite("Simulated BMC redirects")
struct SimulatedBMCRedirectTests {
    @Test("a redirected path answers 307 with its Location, for any method; other paths are served as usual")
    func redirects() {
        var settings = SimulatedBMC.Settings()
        settings.redirects = [
            "/redfish/v1/Systems/self": "/redfish/v1/Systems/1",
            "/redfish/v1/Managers/1": "https://203.0.113.7/redfish/v1/Managers/1",
        ]
        var bmc = SimulatedBMC(server: SimulatedBMCTests.server, settings: settings)
        let moved = bmc.handle(LabRequest(method: "GET", path: "/redfish/v1/Systems/self", headers: [:]), now: 0)
        #expect(moved.status == 307)
        #expect(moved.headers["Location"] == "/redfish/v1/Systems/1")
        let away = bmc.handle(
            LabRequest(method: "PATCH", path: "/redfish/v1/Managers/1/", headers: SimulatedBMCTests.basic()), now: 0)
        #expect(away.status == 307)
        #expect(away.headers["Location"] == "https://203.0.113.7/redfish/v1/Managers/1")
        let served = bmc.handle(
            LabRequest(method: "GET", path: "/redfish/v1/Systems/1", headers: SimulatedBMCTests.basic()), now: 0)
        #expect(served.status == 200)
    }
}

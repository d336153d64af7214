import AsyncHTTPClient
import Catalog
import Foundation
import Inventory
import NIOCore
import NIOHTTP1
import Redfish
import Testing

@testable import Lab

/// `GET /lab/counters`: every BMC's counters and its requests by method, for a client in another process.
@Suite("Lab counters endpoint")
struct LabCountersEndpointTests {
    static let servers: [ServerModel] = {
        let catalog = try! CatalogLoader.load(directory: nil).catalog
        let type = catalog.deviceType(named: "s2.c2.small")!
        return [ServerModel(deviceType: type, index: 1), ServerModel(deviceType: type, index: 2)]
    }()

    /// `method` to the counters of the lab on `port`, with `login` as Basic auth when given.
    static func counters(
        _ method: HTTPMethod, port: Int, login: String? = "admin:password", query: String = ""
    ) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: Lab.countersURL(port: port).absoluteString + query)
        request.method = method
        if let login {
            request.headers.add(name: "Authorization", value: "Basic " + Data(login.utf8).base64EncodedString())
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 8 * 1024 * 1024)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }

    @Test("requests are counted per BMC by method; the endpoint wants the lab's login and only answers GET")
    func countsByMethod() async throws {
        let lab = Lab(servers: Self.servers)
        try await lab.withServer { port in
            let first = LabHTTP(port: port, index: 0)
            let second = LabHTTP(port: port, index: 1)
            #expect(await first.send("GET", "/redfish/v1/Systems/1").status == 200)
            #expect(await first.send("GET", "/redfish/v1/Systems/1/Bios").status == 200)
            #expect(await first.patchBIOS(["BootMode": .string("Uefi")]).status != nil)
            #expect(await first.reset().status != nil)
            #expect(await second.send("DELETE", "/redfish/v1/SessionService/Sessions/none").status != nil)

            #expect(try await Self.counters(.GET, port: port, login: nil).status == 401)
            #expect(try await Self.counters(.GET, port: port, login: "admin:wrong").status == 401)
            #expect(try await Self.counters(.POST, port: port).status == 405)
            let answer = try await Self.counters(.GET, port: port)
            #expect(answer.status == 200)
            let report = try JSONDecoder().decode(LabCountersReport.self, from: answer.body)
            #expect(report.nodes.map(\.index) == [0, 1])
            #expect(report.nodes[0].requestsByMethod == ["GET": 2, "PATCH": 1, "POST": 1])
            #expect(report.nodes[1].requestsByMethod == ["DELETE": 1])
            // The BMC's own counters travel with them: the ones the lab holds in memory.
            #expect(report == lab.countersReport())
            #expect(report.nodes[0].counters.requests == 4 && report.nodes[0].counters.resets == 1)
            #expect(report.nodes[1].requestsByPath == ["DELETE /redfish/v1/SessionService/Sessions/none": 1])

            // ?paths=N: one BMC's requests by path, every BMC's by method.
            let one = try await Self.counters(.GET, port: port, query: "?paths=1")
            #expect(one.status == 200)
            let narrowed = try JSONDecoder().decode(LabCountersReport.self, from: one.body)
            #expect(narrowed.nodes[0].requestsByPath.isEmpty && narrowed.nodes[0].requestsByMethod.count == 3)
            #expect(narrowed.nodes[1].requestsByPath == report.nodes[1].requestsByPath)
            #expect(narrowed == lab.countersReport(pathsOf: 1))
            for bad in ["?paths=2", "?paths=-1", "?paths=first"] {
                let refused = try await Self.counters(.GET, port: port, query: bad)
                #expect(refused.status == 400, "\(bad)")
                #expect(String(decoding: refused.body, as: UTF8.self).contains("index of one of the lab's 2 BMCs"))
            }
        }
    }
}

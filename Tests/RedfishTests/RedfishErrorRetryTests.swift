import Foundation
import Redfish
import Testing

/// The one set of rules for "is trying again worth it", as every caller (client, steps, firmware) reads them.
@Suite("Redfish errors: when trying again helps")
struct RedfishErrorRetryTests {
    static func error(
        _ kind: RedfishError.Kind, status: Int? = nil, info: [String] = []
    ) -> RedfishError {
        RedfishError(
            kind: kind, bmc: "10.0.0.5", method: "GET", path: "/redfish/v1", status: status, message: "m",
            extendedInfo: info)
    }

    @Test("no answer, a 5xx and a busy BMC are transient; 4xx, 501, refused and unauthorized are not")
    func transient() {
        let cases: [(RedfishError, transient: Bool, later: Bool, busy: Bool)] = [
            (Self.error(.transport), true, true, false),
            (Self.error(.timeout), true, true, false),
            (Self.error(.http, status: 500), true, true, false),
            (Self.error(.http, status: 503), true, true, false),
            (
                Self.error(.http, status: 400, info: ["IDRAC.2.8.SYS518: job operation already running"]), true, true,
                true
            ),
            (
                Self.error(.http, status: 409, info: ["iLO.2.14.InvalidOperationForSystemState: in POST"]), true, true,
                true
            ),
            (Self.error(.http, status: 400), false, false, false),
            (Self.error(.http, status: 404), false, false, false),
            // Not Implemented: the service does not do it (an unsupported query); asking again does not help.
            (Self.error(.http, status: 501), false, false, false),
            (Self.error(.unauthorized, status: 401), false, false, false),
            (Self.error(.refused), false, false, false),
            (Self.error(.invalidResponse, status: 200), false, true, false),
        ]
        for (error, transient, later, busy) in cases {
            #expect(error.isTransient == transient, "\(error.kind) \(error.status ?? 0)")
            #expect(error.isWorthRetryingLater == later, "\(error.kind) \(error.status ?? 0)")
            #expect(error.saysBusy == busy, "\(error.kind) \(error.status ?? 0)")
            #expect(error.isUnanswered == [.transport, .timeout].contains(error.kind))
        }
    }
}

/// The one parser of a person's TLS setting for a BMC.
@Suite("TLS choice")
struct TLSChoiceTests {
    @Test("verify, insecure, pin and ca:FILE parse and print back; anything else (ca: without a file too) is refused")
    func parse() async throws {
        for text in ["verify", "insecure", "pin", "ca:/etc/hwa/lab-ca.pem"] {
            #expect(TLSChoice(text)?.description == text)
        }
        for text in ["", "ca:", "trust-me", "VERIFY", "pinned"] { #expect(TLSChoice(text) == nil, "\(text)") }
        let pins = CertificatePins(directory: URL(fileURLWithPath: "/nonexistent"))
        #expect(try await TLSChoice.verify.policy(host: "h", port: 443, pins: pins) == .verify)
        #expect(try await TLSChoice.insecure.policy(host: "h", port: 443, pins: pins) == .insecure)
        #expect(
            try await TLSChoice.caFile("/ca.pem").policy(host: "h", port: 443, pins: pins)
                == .trustRoots(pemFile: "/ca.pem"))
    }
}

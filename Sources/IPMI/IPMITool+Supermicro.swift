import Foundation

extension IPMITool {
    /// Which port a Supermicro BMC answers on: Supermicro's OEM "LAN interface" setting (X9 and later boards), the
    /// same choice as the BIOS's "IPMI LAN Selection".
    public enum SupermicroLANPort: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
        /// The dedicated management port only.
        case dedicated = 0
        /// Shared with the first host NIC (NC-SI).
        case shared = 1
        /// Dedicated when it has a link, else shared.
        case failover = 2

        /// The lowercase name (`dedicated`, `shared`, `failover`).
        public var description: String {
            switch self {
            case .dedicated: "dedicated"
            case .shared: "shared"
            case .failover: "failover"
            }
        }

        /// Parses a name as the CLI and the catalog write it (case-insensitive).
        public init?(name: String) {
            guard let port = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
            self = port
        }
    }

    /// The OEM request (net function 0x30, command 0x70) and sub-function 0x0c that reads (`0`) or writes (`1 mode`)
    /// the LAN interface on Supermicro BMCs.
    static let supermicroLANInterface = ["raw", "0x30", "0x70", "0x0c"]

    /// Reads the Supermicro LAN interface setting. Sent only after `mc info` shows Supermicro's manufacturer ID
    /// (10876): an OEM byte string means something else, or something dangerous, on another maker's BMC.
    public func supermicroLANPort() async throws(IPMIError) -> SupermicroLANPort {
        try Self.requireSupermicro(try await mcInfo(), bmc: bmc)
        let output = try await runSupermicro(Self.supermicroLANInterface + ["0x00"])
        return try Self.parseLANPort(output, bmc: bmc)
    }

    /// Sets the Supermicro LAN interface and reads it back. Changing the port can cut the BMC off the network it is
    /// reached on; in band (through the host) is the safe way to move it.
    public func setSupermicroLANPort(_ port: SupermicroLANPort) async throws(IPMIError) {
        try Self.requireSupermicro(try await mcInfo(), bmc: bmc)
        _ = try await runSupermicro(Self.supermicroLANInterface + ["0x01", String(format: "0x%02x", port.rawValue)])
        let now = try Self.parseLANPort(try await runSupermicro(Self.supermicroLANInterface + ["0x00"]), bmc: bmc)
        guard now == port else {
            throw IPMIError(
                kind: .failed, bmc: bmc, message: "the LAN interface still reads \(now) after setting it to \(port)")
        }
    }

    private func runSupermicro(_ arguments: [String]) async throws(IPMIError) -> String {
        do {
            return try await run(arguments)
        } catch let error where error.kind == .unsupported {
            throw IPMIError(
                kind: .unsupported, bmc: bmc,
                message:
                    "the BMC reports Supermicro but rejected the OEM LAN interface command (boards before X9 do not "
                    + "have it): \(error.message)")
        }
    }

    /// Refuses unless `info` names Supermicro.
    static func requireSupermicro(_ info: MCInfo, bmc: String) throws(IPMIError) {
        guard info.vendor != "supermicro" else { return }
        let maker =
            [info.manufacturerName, info.manufacturerID.map { "manufacturer ID \($0)" }].compactMap { $0 }
            .joined(separator: ", ")
        throw IPMIError(
            kind: .unsupported, bmc: bmc,
            message:
                "Supermicro OEM commands are only sent to Supermicro BMCs (manufacturer ID 10876); this one is "
                + (maker.isEmpty ? "unidentified" : maker))
    }

    /// Reads the one data byte of the answer (`ipmitool raw` prints it as hex, e.g. ` 01`).
    public static func parseLANPort(_ output: String, bmc: String) throws(IPMIError) -> SupermicroLANPort {
        let bytes = IPMIText.rawBytes(output)
        guard let bytes, let first = bytes.first, let port = SupermicroLANPort(rawValue: first) else {
            let shown = output.trimmingCharacters(in: .whitespacesAndNewlines)
            throw IPMIError(
                kind: .invalidOutput, bmc: bmc,
                message: "the LAN interface answer \"\(shown)\" is not 00 (dedicated), 01 (shared) or 02 (failover)")
        }
        return port
    }
}

/// What ipmitool prints, read.
enum IPMIText {
    /// The bytes `ipmitool raw` printed (hex pairs separated by spaces and line breaks); nil when anything else is in
    /// the text.
    static func rawBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            guard token.count <= 2, let byte = UInt8(token, radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

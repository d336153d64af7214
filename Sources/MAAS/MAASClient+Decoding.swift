import Foundation

extension MAASClient {
    /// Decodes a MAAS API body (`[MAASMachine]` from `machines/`, `MAASMachine`, ...); anything else than the JSON
    /// the API describes is an `.invalidResponse` error naming `method` and `path`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, method: String, path: String)
        throws(MAASError) -> T
    {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw MAASError(
                kind: .invalidResponse, method: method, path: path, status: 200,
                message: "not the JSON the API describes: \(error)")
        }
    }

    /// Decodes `op=power_parameters`: each parameter as text (numbers and booleans written out; others left out).
    public static func decodePowerParameters(_ data: Data, method: String, path: String) throws(MAASError)
        -> [String: String]
    {
        try decode([String: PowerParameter].self, from: data, method: method, path: path).compactMapValues(\.text)
    }

    /// A power parameter: MAAS keeps strings, numbers and booleans.
    struct PowerParameter: Decodable {
        var text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let number = try? container.decode(Double.self) {
                text = Self.text(of: number)
            } else if let flag = try? container.decode(Bool.self) {
                text = String(flag)
            } else {
                text = nil
            }
        }

        /// `623` for whole numbers that fit an Int, else Swift's spelling (`1e+300`); never traps.
        static func text(of number: Double) -> String {
            Int(exactly: number).map(String.init) ?? String(number)
        }
    }
}

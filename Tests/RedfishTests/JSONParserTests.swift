import Foundation
import Testing

@testable import Redfish

/// Our JSON reader against Foundation's decoder (the outside judge) on every JSON file of `../shared`, and on the
/// edge cases of RFC 8259.
@Suite("JSON reader")
struct JSONParserTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")

    /// Foundation's reading of `data` as a `JSONValue` (through `Codable`).
    static func foundation(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    @Test("every JSON file under ../shared (DMTF's mockup, the legacy configs) reads as Foundation reads it")
    func sameAsFoundation() throws {
        let files =
            FileManager.default.enumerator(at: Self.shared, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        #expect(files.count > 100, "the shared folder's JSON files: \(files.count)")
        var compared = 0
        for file in files {
            let data = try Data(contentsOf: file)
            guard let expected = try? Self.foundation(data) else { continue }
            #expect(try JSONValue.parse(data) == expected, "\(file.path)")
            compared += 1
        }
        #expect(compared > 100)
    }

    @Test("escapes, surrogate pairs, numbers, nesting and whitespace as RFC 8259 has them")
    func grammar() throws {
        let text =
            #" { "a" : [1, -0.5, 2e3, 1E-2, 0, true, false, null], "s": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "": {} } "#
        let value = try JSONValue.parse(text)
        #expect(value == (try Self.foundation(Data(text.utf8))))
        #expect(value["s"].string == "q\"\\/\u{8}\u{c}\n\r\té😀")
        #expect(value["a"].array.compactMap(\.double) == [1, -0.5, 2000, 0.01, 0])
        #expect(try JSONValue.parse("\"ünïcödé\"") == .string("ünïcödé"))
        #expect(try JSONValue.parse("  42 ") == .number(42))
    }

    @Test(
        "malformed text is a parse error with a reason, never a crash",
        arguments: [
            "", " ", "{", "[", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "01", "1.", "-", "1e", ".5", "+1", "tru",
            "nul",
            "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\ud800\\u0041\"", "[1] 2", "\"tab\there\"", "{\"a\":1,}", "NaN",
        ])
    func malformed(text: String) {
        do {
            _ = try JSONValue.parse(text)
            Issue.record("accepted: \(text.debugDescription)")
        } catch {
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("bytes that are not UTF-8 inside a string are refused")
    func notUTF8() {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data([0x22, 0xFF, 0xFE, 0x22])) }
    }

    @Test("the writer's text reads back as the same value, by our reader and by Foundation's; sorted keys are stable")
    func writerRoundTrip() throws {
        let files =
            FileManager.default.enumerator(at: Self.shared, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        var checked = 0
        for file in files {
            guard let value = try? JSONValue.parse(try Data(contentsOf: file)) else { continue }
            let text = value.encoded()
            #expect(try JSONValue.parse(text) == value, "\(file.path)")
            #expect(try Self.foundation(text) == value, "\(file.path)")
            #expect(value.encoded(sortedKeys: true) == (try JSONValue.parse(text)).encoded(sortedKeys: true))
            checked += 1
        }
        #expect(checked > 100)
        let tricky: JSONValue = .object([
            "q": .string("a\"b\\c/d\n\r\t\u{1}\u{1f}é😀"),
            "n": .array([.number(1), .number(-0.5), .number(1e20), .null]),
            "b": .bool(false),
        ])
        #expect(try JSONValue.parse(tricky.encoded()) == tricky)
        #expect(
            String(decoding: tricky.encoded(sortedKeys: true), as: UTF8.self).hasPrefix(#"{"b":false,"n":[1,-0.5,"#))
    }
}

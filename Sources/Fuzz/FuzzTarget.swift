import Foundation

/// One parser or decoder of outside input, with the inputs mutations start from.
struct FuzzTarget: Sendable {
    /// The kind of text, which picks the dictionary and the nesting mutations.
    enum Format: String, Sendable {
        /// Line-oriented tool output (`Key: Value`, `a | b | c`).
        case text
        /// JSON.
        case json
        /// YAML.
        case yaml
        /// XML.
        case xml
    }

    /// The name used with `--target` and in the report (`dmidecode`, `redfish-inventory`).
    let name: String
    /// What the target feeds and to which parser.
    let summary: String
    /// The input's format.
    let format: FuzzTarget.Format
    /// Real-looking inputs; never empty.
    let seeds: [[UInt8]]
    /// Extra tokens for this parser (field names, separators); the format's and the common ones are added.
    let tokens: [String]
    /// Runs the parser (and what consumes its result) on one input. A trap here kills the process: that is a crash.
    let run: @Sendable ([UInt8]) async -> Void
    /// Removes what the target set up (temporary folders).
    let cleanup: @Sendable () -> Void

    init(
        name: String, summary: String, format: FuzzTarget.Format, seeds: [[UInt8]], tokens: [String] = [],
        cleanup: @escaping @Sendable () -> Void = {}, run: @escaping @Sendable ([UInt8]) async -> Void
    ) {
        self.cleanup = cleanup
        self.name = name
        self.summary = summary
        self.format = format
        self.seeds = seeds.isEmpty ? [[]] : seeds
        self.tokens = tokens
        self.run = run
    }

    /// A target over text input (the bytes decoded as UTF-8, invalid sequences replaced, as the tools' output is).
    static func text(
        _ name: String, _ summary: String, format: FuzzTarget.Format = .text, seeds: [String], tokens: [String] = [],
        _ body: @escaping @Sendable (String) -> Void
    ) -> FuzzTarget {
        FuzzTarget(
            name: name, summary: summary, format: format, seeds: seeds.map { Array($0.utf8) }, tokens: tokens
        ) { bytes in
            body(String(decoding: bytes, as: UTF8.self))
        }
    }
}

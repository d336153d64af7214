/// One problem found while loading or validating a catalog, with where it is and what to do.
public struct CatalogDiagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// How bad a problem is: errors stop a catalog from loading, warnings do not.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The catalog cannot be used until this is fixed.
        case error
        /// The catalog loads; the operator should look.
        case warning
    }

    /// Error or warning.
    public var severity: Severity
    /// A stable, machine-readable name of the kind of problem (for example `identical-specs`).
    public var code: String
    /// Where the problem is.
    public var location: SourceLocation
    /// One sentence a person can act on.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ code: String, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
    }

    /// `file:line:column: severity: message [code]`.
    public var description: String {
        "\(location): \(severity.rawValue): \(message) [\(code)]"
    }

    enum CodingKeys: String, CodingKey {
        case severity, code, file, line, column, message
    }

    /// Decodes the flat JSON form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        severity = try container.decode(Severity.self, forKey: .severity)
        code = try container.decode(String.self, forKey: .code)
        message = try container.decode(String.self, forKey: .message)
        location = SourceLocation(
            file: try container.decode(String.self, forKey: .file),
            line: try container.decodeIfPresent(Int.self, forKey: .line),
            column: try container.decodeIfPresent(Int.self, forKey: .column)
        )
    }

    /// Encodes as one flat object: severity, code, file, line, column, message.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(severity, forKey: .severity)
        try container.encode(code, forKey: .code)
        try container.encode(location.file, forKey: .file)
        try container.encodeIfPresent(location.line, forKey: .line)
        try container.encodeIfPresent(location.column, forKey: .column)
        try container.encode(message, forKey: .message)
    }
}

/// The diagnostics gathered while loading one catalog.
public struct CatalogDiagnostics: Sendable, Hashable {
    /// Every diagnostic, in the order found.
    public private(set) var all: [CatalogDiagnostic] = []

    /// Creates an empty list.
    public init() {}

    /// The diagnostics that stop a catalog from loading.
    public var errors: [CatalogDiagnostic] { all.filter { $0.severity == .error } }
    /// The diagnostics that do not.
    public var warnings: [CatalogDiagnostic] { all.filter { $0.severity == .warning } }
    /// True when there is at least one error.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Records an error.
    public mutating func error(_ code: String, at location: SourceLocation, _ message: String) {
        all.append(CatalogDiagnostic(.error, code, at: location, message))
    }

    /// Records a warning.
    public mutating func warning(_ code: String, at location: SourceLocation, _ message: String) {
        all.append(CatalogDiagnostic(.warning, code, at: location, message))
    }

    /// Appends diagnostics found elsewhere.
    public mutating func append(contentsOf other: [CatalogDiagnostic]) {
        all.append(contentsOf: other)
    }
}

/// A catalog could not be loaded; `diagnostics` says every reason, each with a file and line.
public struct CatalogLoadError: Error, Sendable, CustomStringConvertible {
    /// Everything found, errors and warnings.
    public var diagnostics: [CatalogDiagnostic]

    /// Creates the error.
    public init(diagnostics: [CatalogDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// The errors, one a line.
    public var description: String {
        diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
    }
}

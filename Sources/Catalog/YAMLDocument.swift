import Foundation
import Yams

/// One YAML file read for the catalog: its text, its node tree (with line and column marks), and the
/// means to turn decoding problems into diagnostics that point at the offending line.
struct YAMLDocument {
    /// The path as it will be shown to a person.
    let path: String
    /// The composed document.
    let root: Node

    /// Reads and parses `url`; a missing, unreadable, empty or malformed file is one error diagnostic.
    static func load(_ url: URL, displayPath: String) -> Result<YAMLDocument, CatalogDiagnostic> {
        let location = SourceLocation(file: displayPath)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .failure(
                CatalogDiagnostic(
                    .error, "unreadable-file", at: location, "cannot read the file: \(reason(of: error)).")
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(CatalogDiagnostic(.error, "not-utf8", at: location, "the file is not UTF-8 text."))
        }
        return parse(text, displayPath: displayPath)
    }

    /// Parses YAML text; an empty document or a syntax error is one error diagnostic.
    static func parse(_ text: String, displayPath: String) -> Result<YAMLDocument, CatalogDiagnostic> {
        let location = SourceLocation(file: displayPath)
        do {
            guard let node = try Yams.compose(yaml: text), !node.isNull else {
                return .failure(
                    CatalogDiagnostic(.error, "empty-file", at: location, "the file is empty; expected a YAML mapping.")
                )
            }
            return .success(YAMLDocument(path: displayPath, root: node))
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: displayPath))
        } catch {
            return .failure(CatalogDiagnostic(.error, "yaml-syntax", at: location, "\(error)"))
        }
    }

    /// Decodes `T` from the node at `path` (mapping keys), pointing decoding errors at their line.
    func decode<T: Decodable>(_ type: T.Type, at path: [String] = []) -> Result<T, CatalogDiagnostic> {
        guard let node = node(at: path) else {
            let where_ = path.isEmpty ? "the document" : "`\(path.joined(separator: "."))`"
            return .failure(
                CatalogDiagnostic(.error, "missing-key", at: location(of: root), "\(where_) is missing.")
            )
        }
        do {
            return .success(try YAMLDecoder().decode(T.self, from: node))
        } catch let error as DecodingError {
            return .failure(diagnostic(for: error, under: node, prefix: path))
        } catch {
            return .failure(CatalogDiagnostic(.error, "invalid-value", at: location(of: node), "\(error)"))
        }
    }

    /// The node reached by following mapping keys from the root.
    func node(at path: [String]) -> Node? {
        var current = root
        for key in path {
            guard let next = current.mapping?[key] else { return nil }
            current = next
        }
        return current
    }

    /// The location of `node` in this file.
    func location(of node: Node?) -> SourceLocation {
        SourceLocation(file: path, line: node?.mark?.line, column: node?.mark?.column)
    }

    /// The location of the key `key` (compared after trimming) in the mapping at `path`.
    func locationOfKey(_ key: String, in path: [String]) -> SourceLocation {
        guard let mapping = node(at: path)?.mapping else { return location(of: node(at: path)) }
        for (candidate, _) in mapping where candidate.string == key {
            return location(of: candidate)
        }
        return location(of: node(at: path))
    }

    /// The raw keys of the mapping at `path`, in file order, with their locations.
    func keys(at path: [String]) -> [(key: String, location: SourceLocation)] {
        guard let mapping = node(at: path)?.mapping else { return [] }
        return mapping.compactMap { key, _ in key.string.map { ($0, location(of: key)) } }
    }

    private func diagnostic(for error: DecodingError, under node: Node, prefix: [String]) -> CatalogDiagnostic {
        let (context, problem): (DecodingError.Context, String)
        switch error {
        case .typeMismatch(let type, let ctx):
            (context, problem) = (ctx, "expected \(Self.describe(type))")
        case .valueNotFound(let type, let ctx):
            (context, problem) = (ctx, "expected \(Self.describe(type)) but the value is empty")
        case .keyNotFound(let key, let ctx):
            (context, problem) = (ctx, "the required key `\(key.stringValue)` is missing")
        case .dataCorrupted(let ctx):
            (context, problem) = (ctx, ctx.debugDescription)
        @unknown default:
            return CatalogDiagnostic(.error, "invalid-value", at: location(of: node), "\(error)")
        }
        let (target, found) = Self.follow(context.codingPath, from: node)
        let keyPath = (prefix + context.codingPath.map(\.stringValue)).joined(separator: ".")
        var message = "`\(keyPath)`: \(problem)"
        if case .typeMismatch = error, let found, let scalar = found.scalar {
            message += ", found '\(scalar.string)'"
        }
        return CatalogDiagnostic(.error, "invalid-value", at: location(of: target), message + ".")
    }

    /// Follows a coding path as far as it goes; returns the deepest node reached and the exact node if reached.
    private static func follow(_ codingPath: [any CodingKey], from start: Node) -> (deepest: Node, exact: Node?) {
        var current = start
        for key in codingPath {
            let next: Node?
            if let index = key.intValue, let sequence = current.sequence, index < sequence.count {
                next = sequence[index]
            } else {
                next = current.mapping?[key.stringValue]
            }
            guard let next else { return (current, nil) }
            current = next
        }
        return (current, current)
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "text"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a mapping (\(name))"
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> CatalogDiagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return CatalogDiagnostic(
                .error, "yaml-syntax", at: at(mark), message + "; check the indentation and quoting.")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return CatalogDiagnostic(
                .error, "duplicate-key", at: at(context.mark),
                "the key(s) \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) appear more than once in one mapping."
            )
        case .reader(let problem, let offset, _, _):
            let suffix = offset.map { " at byte \($0)" } ?? ""
            return CatalogDiagnostic(
                .error, "yaml-syntax", at: SourceLocation(file: file), "unreadable YAML\(suffix): \(problem).")
        default:
            return CatalogDiagnostic(.error, "yaml-syntax", at: SourceLocation(file: file), "\(error)")
        }
    }

    private static func reason(of error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file"
        }
        return nsError.localizedDescription
    }
}

extension Node {
    /// True for a document that holds only `~`, `null` or nothing.
    var isNull: Bool {
        if case .scalar(let scalar) = self {
            return scalar.tag.rawValue == Tag.Name.null.rawValue || scalar.string.isEmpty && scalar.style == .plain
        }
        return false
    }
}

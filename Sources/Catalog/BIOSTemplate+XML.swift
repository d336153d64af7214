import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads BIOS template XML (SUM `BiosCfg` and `BiosConfig`) with FoundationXML's `XMLParser`.
public enum BIOSTemplateXML {
    /// Parses the file at `path`; `name` is the template's name (its file name).
    public static func parse(fileAt path: String, name: String) -> Result<BIOSTemplate, CatalogDiagnostic> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(
                CatalogDiagnostic(
                    .error, "unreadable-file", at: SourceLocation(file: path), "cannot read the template.")
            )
        }
        return parse(data, name: name, displayPath: path)
    }

    /// Parses XML `data`; errors point at `displayPath` and the line the parser stopped on.
    public static func parse(_ data: Data, name: String, displayPath: String) -> Result<BIOSTemplate, CatalogDiagnostic>
    {
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            return .failure(
                CatalogDiagnostic(.error, "empty-file", at: SourceLocation(file: displayPath), "the template is empty.")
            )
        }
        // FoundationXML traps on text that is not UTF-8 (in a comment, for one): such a file is refused first.
        guard String(validating: data, as: UTF8.self) != nil else {
            return .failure(
                CatalogDiagnostic(
                    .error, "not-utf8", at: SourceLocation(file: displayPath),
                    "the template is not UTF-8 text (SUM and the catalog write UTF-8); re-save it as UTF-8.")
            )
        }
        let parser = XMLParser(data: data)
        let reader = TemplateReader(name: name)
        parser.delegate = reader
        let finished = parser.parse()
        // On Linux parse() can report success on malformed XML, so parserError is checked as well.
        if !finished || parser.parserError != nil || reader.problem != nil || !reader.closedRoot {
            let line = reader.problem?.line ?? parser.lineNumber
            let column = reader.problem == nil ? parser.columnNumber : nil
            let reason =
                reader.problem?.message
                ?? (parser.parserError.map { "malformed XML: \(describe($0))" }
                    ?? "malformed XML: the document ends before its root element is closed")
            return .failure(
                CatalogDiagnostic(
                    .error, "template-xml", at: SourceLocation(file: displayPath, line: line, column: column),
                    reason + "."
                )
            )
        }
        guard let format = reader.format else {
            return .failure(
                CatalogDiagnostic(
                    .error, "template-xml", at: SourceLocation(file: displayPath), "the template has no root element.")
            )
        }
        return .success(
            BIOSTemplate(
                source: name, format: format, declaredDeviceType: reader.declaredDeviceType,
                motherboard: reader.motherboard, settings: reader.settings
            )
        )
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let code = XMLParser.ErrorCode(rawValue: nsError.code) {
            switch code {
            case .tagNameMismatchError: return "a closing tag does not match its opening tag"
            case .prematureDocumentEndError: return "the document ends before every element is closed"
            case .unfinishedTagError: return "an element's tag is not finished"
            case .attributeNotFinishedError, .attributeNotStartedError: return "an attribute is not properly quoted"
            case .emptyDocumentError: return "the document is empty"
            default: break
            }
        }
        return "XML parser error \(nsError.code)"
    }
}

/// The `XMLParser` delegate: a small state machine over elements.
private final class TemplateReader: NSObject, XMLParserDelegate {
    let name: String
    var format: BIOSTemplate.Format?
    var declaredDeviceType: String?
    var motherboard: String?
    var settings: [BIOSTemplate.Setting] = []
    var problem: (line: Int, message: String)?
    var closedRoot = false
    /// The deepest nesting read (SUM files nest menus a handful deep); deeper input is refused, not walked.
    static let maximumDepth = 256
    /// Element names open now, with whether each is a path segment (menu, group or setting group).
    private var stack: [(element: String, segment: String?)] = []

    init(name: String) {
        self.name = name
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard problem == nil else { return }
        if stack.isEmpty {
            switch element {
            case "BiosCfg": format = .sumBiosCfg
            case "BiosConfig":
                format = .biosConfig
                declaredDeviceType = attributes["deviceType"]
                motherboard = attributes["motherboard"]
            default:
                fail(parser, "the root element is <\(element)>; a BIOS template starts with <BiosCfg> or <BiosConfig>")
            }
            stack.append((element, nil))
            return
        }
        guard stack.count < Self.maximumDepth else {
            return fail(
                parser, "the elements nest deeper than \(Self.maximumDepth) levels; a BIOS template needs a few")
        }
        let path = stack.compactMap(\.segment)
        switch (format, element) {
        case (.sumBiosCfg, "Menu"):
            guard let menu = attributes["name"] else { return fail(parser, "a <Menu> has no name attribute") }
            stack.append((element, menu))
        case (.sumBiosCfg, "Setting"):
            guard let setting = attributes["name"] else { return fail(parser, "a <Setting> has no name attribute") }
            if let value = attributes["selectedOption"] ?? attributes["numericValue"] ?? attributes["value"] {
                settings.append(BIOSTemplate.Setting(path: path, name: setting, value: value))
            }
            stack.append((element, setting))
        case (.biosConfig, "Setting"):
            guard let setting = attributes["name"], let value = attributes["value"] else {
                return fail(parser, "a <Setting> needs both name and value attributes")
            }
            settings.append(BIOSTemplate.Setting(path: path, name: setting, value: value))
            stack.append((element, nil))
        case (.biosConfig, _):
            stack.append((element, element))
        default:
            // Other SUM elements (Information, Help, ...) carry no settings.
            stack.append((element, nil))
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        guard problem == nil, !stack.isEmpty else { return }
        stack.removeLast()
        if stack.isEmpty { closedRoot = true }
    }

    private func fail(_ parser: XMLParser, _ message: String) {
        problem = (parser.lineNumber, message)
        parser.abortParsing()
    }
}

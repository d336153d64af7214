import Foundation
import Testing

@testable import APIServer

/// The document is written in YAML and served as JSON: what a broken edit of it says, and what a good one serves.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("YAML that does not parse is named with its line and column; a scalar is not a document")
    func brokenDocuments() throws {
        guard case .failure(let broken) = OpenAPIDocument.json(fromYAML: "openapi: 3.1.0\npaths: [unclosed\n") else {
            Issue.record("an unclosed flow sequence loaded")
            return
        }
        #expect(broken.message.hasPrefix("openapi.yaml does not load: "), "\(broken.message)")
        #expect(broken.message.contains("line 2, column 8"), "\(broken.message)")
        guard case .failure(let scalar) = OpenAPIDocument.json(fromYAML: "just a string\n") else {
            Issue.record("a scalar loaded as a document")
            return
        }
        #expect(scalar.message == "openapi.yaml is not a YAML mapping")
    }

    @Test("a mapping is served as JSON with sorted keys (a quoted status code stays a string key)")
    func servedAsJSON() throws {
        let yaml =
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: OK\nopenapi: 3.1.0\n"
        let data = try OpenAPIDocument.json(fromYAML: yaml).get()
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"openapi":"3.1.0","paths":{"/a":{"get":{"responses":{"200":{"description":"OK"}}}}}}"#)
    }

    @Test("the shipped document loads")
    func shippedDocument() throws {
        #expect(OpenAPIDocument.problem == nil)
        let data = try #require(OpenAPIDocument.data)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
    }
}

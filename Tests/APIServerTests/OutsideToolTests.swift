import Foundation
import TestSupport
import Testing

/// The API through tools from outside: a real browser and schemathesis. One at a time (both are heavy, and the
/// machine is shared with the real peers' tests); their outputs are kept in test-artefacts/ (gitignored).
@Suite("API with outside tools", .serialized)
struct OutsideToolTests {
    /// Where screenshots, DOM dumps and reports are kept.
    static let artefacts = Peer.repositoryRoot.appendingPathComponent("test-artefacts")
}

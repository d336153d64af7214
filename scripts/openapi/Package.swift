// swift-tools-version:6.0
// Builds swift-openapi-generator (Apple's, from the package mirror) for scripts/generate-api.sh; not part of the
// product. Its one target exists because a package needs one.
import PackageDescription

let package = Package(
    name: "openapi-generator-tool",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3")],
    targets: [.target(name: "OpenAPIGeneratorTool", path: "Tool")]
)

/// Nothing: scripts/openapi builds the generator's executable, and SwiftPM wants a target.
enum OpenAPIGeneratorTool {}

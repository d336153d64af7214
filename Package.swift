// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "HWAutomation",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hwautomation", targets: ["hwautomation"]),
        .library(name: "Catalog", targets: ["Catalog"]),
        .library(name: "Remote", targets: ["Remote"]),
        .library(name: "Redfish", targets: ["Redfish"]),
        .library(name: "Inventory", targets: ["Inventory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // Device catalog: vendors, boards, device types, BIOS rules and templates, firmware policy.
        .target(
            name: "Catalog",
            dependencies: [.product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/configs")],
            swiftSettings: swiftSettings
        ),
        // The one place that starts processes (and, later, SSH sessions).
        .target(
            name: "Remote",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Structured concurrency: child tasks that give their async frames back when they end (a long wait keeps
        // only small frames), and service scopes (background work, such as a connection pool, as services).
        .target(
            name: "ChildTasks",
            dependencies: [
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Redfish client: service-root navigation, auth, TLS policy, errors with the BMC's ExtendedInfo.
        .target(
            name: "Redfish",
            dependencies: [
                "ChildTasks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hardware inventory: the model, tool-output parsers, discovery over SSH/Redfish, the classifier.
        .target(
            name: "Inventory",
            dependencies: [
                "Catalog", "Remote", "Redfish", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The store: servers, encrypted credentials, BMC address pools, BIOS backups, audit; SQLite (GRDB) and
        // in-memory backends behind one protocol.
        .target(
            name: "Store",
            dependencies: [
                "ChildTasks", "Remote", "WorkflowEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // IPMI: ipmitool out of band (password in the environment) or in band; typed results.
        .target(
            name: "IPMI",
            dependencies: ["Inventory", "Remote", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Vendor tools (SUM, iLOrest, racadm) driven as processes for BIOS settings and firmware: password on
        // stdin, typed errors, the tool and its path from the catalog.
        .target(
            name: "VendorTools",
            dependencies: [
                "Catalog", "Redfish", "Remote",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // BIOS: desired state from the catalog, plan against a BMC, apply with one reset, verify, restore.
        .target(
            name: "BIOS",
            dependencies: [
                "Catalog", "ChildTasks", "Redfish", "Remote", "VendorTools",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // MAAS API 2.0 client: OAuth1 PLAINTEXT, machines, commissioning with waits, tags.
        .target(
            name: "MAAS",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Firmware: the local repository (manifest, checksums), vendor-aware versions, policies and plans, the
        // Redfish updater (multipart push or SimpleUpdate from our file server) with verify and rollback.
        .target(
            name: "Firmware",
            dependencies: [
                "Catalog", "Redfish", "Remote", "VendorTools",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP serving both the lab and the firmware file server use: listeners that run for as long as a body
        // does, and a server of verified files.
        .target(
            name: "HTTPSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The durable workflow engine: steps stored before and after they run, resume, retries, timeouts, limits.
        .target(
            name: "WorkflowEngine",
            dependencies: ["ChildTasks", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Orchestration: the commissioning steps (discover, classify, BIOS plan/apply/verify) and batches of them.
        .target(
            name: "Orchestration",
            dependencies: [
                "BIOS", "VendorTools", "Catalog", "ChildTasks", "Firmware", "HTTPSupport", "IPMI", "Inventory", "MAAS",
                "Redfish",
                "Remote", "Store", "WorkflowEngine", .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The lab: simulated Redfish BMCs (one HTTP listener, routed by path prefix) for demo, benchmarks and tests.
        .target(
            name: "Lab",
            dependencies: [
                "Catalog", "HTTPSupport", "Inventory", "Redfish", "Remote",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP server: REST API (OpenAPI, tokens, problem+json), live events (SSE), metrics, the dashboard.
        .target(
            name: "APIServer",
            dependencies: [
                "Catalog", "Firmware", "Inventory", "Orchestration", "Redfish", "Store", "WorkflowEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources/dashboard"), .copy("Resources/openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        // Commands of the `hwautomation` tool; thin layer over the libraries.
        .target(
            name: "HWAutomationCLI",
            dependencies: [
                "APIServer", "BIOS", "VendorTools", "Catalog", "ChildTasks", "Firmware", "IPMI", "Inventory", "Lab",
                "MAAS", "Orchestration",
                "Redfish", "Remote", "Store", "WorkflowEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "hwautomation",
            dependencies: [
                "HWAutomationCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Seeded, dictionary-driven mutation fuzzer over every parser of outside input (`scripts/fuzz.sh`).
        .executableTarget(
            name: "hwa-fuzz",
            dependencies: [
                "BIOS", "VendorTools", "Catalog", "IPMI", "Inventory", "Lab", "MAAS", "Redfish",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Fuzz",
            swiftSettings: swiftSettings
        ),
        // Helpers shared by test targets (finding the real peers); not part of the product.
        .target(
            name: "TestSupport",
            dependencies: ["ChildTasks", "Remote", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RemoteTests", dependencies: ["Remote", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "RedfishTests",
            dependencies: [
                "Redfish", "Inventory", "Lab", "Catalog", "HTTPSupport", "TestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "ChildTasks", "Store", "TestSupport", "WorkflowEngine",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkflowEngineTests",
            dependencies: [
                "ChildTasks", "WorkflowEngine", "Store", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestrationTests",
            dependencies: [
                "Orchestration", "WorkflowEngine", "Store", "BIOS", "VendorTools", "Catalog", "Firmware", "IPMI", "Lab",
                "Inventory",
                "MAAS",
                "Redfish", "Remote",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MAASTests",
            dependencies: ["MAAS", "Lab", "Catalog", "Inventory", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IPMITests",
            dependencies: [
                "IPMI", "Inventory", "Remote", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BIOSTests",
            dependencies: [
                "BIOS", "VendorTools", "Catalog", "Lab", "Redfish", "Inventory", "Remote", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LabTests",
            dependencies: [
                "Lab", "BIOS", "Redfish", "Remote", "Catalog", "Inventory", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "InventoryTests",
            dependencies: [
                "Inventory", "Catalog", "Lab", "Redfish", "Remote", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HWAutomationCLITests",
            dependencies: [
                "HWAutomationCLI", "BIOS", "VendorTools", "Catalog", "Inventory", "Lab", "Orchestration", "Redfish",
                "Remote", "Store",
                "TestSupport", "WorkflowEngine", "hwautomation", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FirmwareTests",
            dependencies: [
                "Firmware", "BIOS", "VendorTools", "Catalog", "Lab", "Orchestration", "Redfish", "Inventory", "Remote",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "APIServer", "Catalog", "Firmware", "Inventory", "Lab", "Orchestration", "Redfish", "Remote", "Store",
                "WorkflowEngine",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FuzzTests",
            dependencies: ["hwa-fuzz", "BIOS", "Catalog", "Inventory", "Lab", "MAAS", "Redfish"],
            swiftSettings: swiftSettings
        ),
        // The module graph held to the code (docs/architecture.md): imports point down; the manifest matches them.
        .testTarget(
            name: "ArchitectureTests",
            dependencies: ["Remote", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Smoke tests proving that scripts/test-peers.sh started every real peer.
        .testTarget(
            name: "HarnessTests",
            dependencies: ["Remote", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
    ]
)

// swift-tools-version: 6.1
import PackageDescription

/// Tollgate: metering and budgets for LLM streaming through API relays.
///
/// The target graph is the architecture: `TollgateCore` is pure domain logic and imports nothing of
/// ours; storage, transports and the CLI sit on top of it and dependencies only point inward.
let package = Package(
    name: "Tollgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tollgate", targets: ["tollgate"]),
        .library(name: "TollgateCore", targets: ["TollgateCore"]),
        .library(name: "TollgateStorage", targets: ["TollgateStorage"]),
        .library(name: "TollgateLedger", targets: ["TollgateLedger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Pure domain: money, currencies, FX, models, price books, budgets, periods, reservations.
        .target(name: "TollgateCore"),

        // The shipped pricing table and SQL migrations, embedded at build time so a copied binary works.
        .target(name: "TollgateDefaults", dependencies: ["TollgateCore"], plugins: ["EmbedDataPlugin"]),
        .executableTarget(name: "tollgate-embed", dependencies: ["TollgateVocabularyTables"]),
        .plugin(name: "EmbedDataPlugin", capability: .buildTool(), dependencies: ["tollgate-embed"]),

        // The flat tables tokenizers count with, and their image: built by tollgate-embed at build time, read at startup.
        .target(name: "TollgateVocabularyTables"),

        // The vocabularies of tokenizers/ and their precomputed tables, embedded at build time (string literals)
        // so a copied binary counts exactly.
        .target(name: "TollgateVocabularies", plugins: ["EmbedVocabulariesPlugin"]),
        .plugin(name: "EmbedVocabulariesPlugin", capability: .buildTool(), dependencies: ["tollgate-embed"]),

        // Exact, incremental token counting: o200k_base, cl100k_base (tiktoken files), DeepSeek-V3 (HF).
        .target(
            name: "TollgateTokenizers",
            dependencies: ["TollgateVocabularies", "TollgateVocabularyTables", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // Relay clients: one event model over the relay WebSocket and OpenAI-compatible SSE.
        .target(
            name: "TollgateStreaming",
            dependencies: [
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // A local relay speaking both protocols: the upstream of tests, benchmarks and a first run.
        .target(
            name: "TollgateRelaySim",
            dependencies: [
                "TollgateStreaming",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Switches SQLite to multi-thread mode (a variadic C call Swift can't make).
        .target(name: "CSQLiteThreading", linkerSettings: [.linkedLibrary("sqlite3")]),

        // Storage, engine-neutral: the `LedgerStore`, `ReportStore` and `AlertOutbox` protocols (composed as
        // `LedgerDatabase`) and the records they speak in. Everything above the ledger builds against this.
        .target(name: "TollgateStorage", dependencies: ["TollgateCore"]),

        // The ledger on SQLite (GRDB): the embedded default.
        .target(
            name: "TollgateLedger",
            dependencies: [
                "TollgateCore", "TollgateStorage", "TollgateDefaults", "CSQLiteThreading",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),

        // The same ledger on PostgreSQL (PostgresNIO's pooled client), for many gateway replicas on one database.
        .target(
            name: "TollgateLedgerPostgres",
            dependencies: [
                "TollgateCore", "TollgateStorage", "TollgateDefaults",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test scaffolding: a throwaway PostgreSQL cluster for the tests and `tollgate-bench`; `tollgate` never links it.
        .target(name: "TollgateLocalPostgres"),

        // Team quota administration: the one implementation behind the CLI and the admin API.
        .target(
            name: "TollgateAdmin",
            dependencies: [
                "TollgateCore", "TollgateStorage",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Metered, budget-enforced streaming: admission, group-committed progress, settlement, reclaim.
        // Emits swift-metrics only: the backend (Prometheus in the gateway) is the application's choice.
        .target(
            name: "TollgateMetering",
            dependencies: [
                "TollgateCore", "TollgateStorage", "TollgateStreaming", "TollgateTokenizers",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The HTTP gateway: OpenAI-compatible SSE, the relay WebSocket protocol, the admin API and
        // dashboard, budget alert webhooks; every request budget-enforced and metered through `MeteredClient`.
        .target(
            name: "TollgateGateway",
            dependencies: [
                "TollgateCore", "TollgateStorage", "TollgateAdmin", "TollgateMetering", "TollgateStreaming", "TollgateTokenizers", "TollgateReports",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // Reports for finance: savings, usage, budgets, reconciliation; pure aggregation and rendering.
        .target(name: "TollgateReports", dependencies: ["TollgateCore", "TollgateStorage"]),

        // Command-line interface as a library, so tests parse and run the real commands.
        .target(
            name: "TollgateCLI",
            dependencies: [
                "TollgateCore", "TollgateStorage", "TollgateLedger", "TollgateLedgerPostgres", "TollgateAdmin", "TollgateDefaults",
                "TollgateTokenizers",
                "TollgateReports", "TollgateStreaming", "TollgateRelaySim", "TollgateMetering", "TollgateGateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "tollgate", dependencies: ["TollgateCLI"]),

        // Rerunnable benchmarks (`swift run -c release tollgate-bench ...`).
        .target(
            name: "TollgateBench",
            dependencies: [
                "TollgateCore", "TollgateStorage", "TollgateLedger", "TollgateLedgerPostgres", "TollgateLocalPostgres", "TollgateDefaults",
                "TollgateAdmin", "TollgateReports",
                "TollgateTokenizers", "TollgateVocabularies", "TollgateStreaming", "TollgateRelaySim", "TollgateMetering", "TollgateGateway",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "tollgate-bench",
            dependencies: ["TollgateBench", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .testTarget(name: "TollgateCoreTests", dependencies: ["TollgateCore", "TollgateTestSupport"]),
        // What the test targets share: the test data's location, the seeded generator of property and fuzz tests.
        .target(
            name: "TollgateTestSupport",
            dependencies: ["TollgateTokenizers", "TollgateRelaySim", "TollgateMetering", "TollgateStorage", "TollgateLedger", "TollgateDefaults"],
            path: "Tests/TollgateTestSupport"
        ),
        .testTarget(
            name: "TollgateTokenizersTests",
            dependencies: ["TollgateTokenizers", "TollgateVocabularies", "TollgateVocabularyTables", "TollgateTestSupport"]
        ),
        .testTarget(
            name: "TollgateStreamingTests",
            dependencies: [
                "TollgateStreaming", "TollgateRelaySim", "TollgateTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "TollgateRelaySimTests",
            dependencies: [
                "TollgateRelaySim", "TollgateStreaming", "TollgateTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "TollgateLedgerTests",
            dependencies: [
                "TollgateStorage", "TollgateLedger", "TollgateLedgerPostgres", "TollgateLocalPostgres", "TollgateDefaults", "TollgateTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "TollgateAdminTests", dependencies: ["TollgateAdmin", "TollgateStorage", "TollgateLedger", "TollgateDefaults"]),
        .testTarget(
            name: "TollgateMeteringTests",
            dependencies: [
                "TollgateMetering", "TollgateStorage", "TollgateLedger", "TollgateDefaults", "TollgateRelaySim", "TollgateStreaming",
                "TollgateTokenizers",
                "TollgateTestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "TollgateGatewayTests",
            dependencies: [
                "TollgateGateway", "TollgateMetering", "TollgateAdmin", "TollgateStorage", "TollgateLedger", "TollgateDefaults", "TollgateRelaySim",
                "TollgateStreaming", "TollgateTokenizers", "TollgateCore", "TollgateTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(name: "TollgateReportsTests", dependencies: ["TollgateReports", "TollgateStorage", "TollgateLedger", "TollgateCore"]),
        .testTarget(
            name: "TollgateCLITests",
            dependencies: [
                "TollgateCLI", "tollgate", "TollgateRelaySim", "TollgateStorage", "TollgateLedger", "TollgateLedgerPostgres", "TollgateLocalPostgres",
                "TollgateCore", "TollgateTestSupport",
                "TollgateTokenizers", "TollgateDefaults",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

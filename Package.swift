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
        .library(name: "TollgateLedger", targets: ["TollgateLedger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Pure domain: money, currencies, FX, models, price books, budgets, periods, reservations.
        .target(name: "TollgateCore"),

        // The shipped pricing table and SQL migrations, embedded at build time so a copied binary works.
        .target(name: "TollgateDefaults", plugins: ["EmbedDataPlugin"]),
        .executableTarget(name: "tollgate-embed"),
        .plugin(name: "EmbedDataPlugin", capability: .buildTool(), dependencies: ["tollgate-embed"]),

        // Switches SQLite to multi-thread mode (a variadic C call Swift can't make).
        .target(name: "CSQLiteThreading", linkerSettings: [.linkedLibrary("sqlite3")]),

        // Storage: the ledger behind the `LedgerStore` protocol, SQLite (GRDB) implementation.
        .target(
            name: "TollgateLedger",
            dependencies: [
                "TollgateCore", "TollgateDefaults", "CSQLiteThreading",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),

        // Team quota administration: the one implementation behind the CLI and the admin API.
        .target(
            name: "TollgateAdmin",
            dependencies: [
                "TollgateCore", "TollgateLedger",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Reports for finance: savings, usage, budgets, reconciliation; pure aggregation and rendering.
        .target(name: "TollgateReports", dependencies: ["TollgateCore", "TollgateLedger"]),

        // Command-line interface as a library, so tests parse and run the real commands.
        .target(
            name: "TollgateCLI",
            dependencies: [
                "TollgateCore", "TollgateLedger", "TollgateAdmin", "TollgateDefaults", "TollgateReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "tollgate", dependencies: ["TollgateCLI"]),

        // Rerunnable benchmarks (`swift run -c release tollgate-bench ...`).
        .target(
            name: "TollgateBench",
            dependencies: ["TollgateCore", "TollgateLedger", "TollgateDefaults", "TollgateAdmin", "TollgateReports"]
        ),
        .executableTarget(
            name: "tollgate-bench",
            dependencies: ["TollgateBench", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .testTarget(name: "TollgateCoreTests", dependencies: ["TollgateCore"]),
        .testTarget(
            name: "TollgateLedgerTests",
            dependencies: ["TollgateLedger", "TollgateDefaults", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "TollgateAdminTests", dependencies: ["TollgateAdmin", "TollgateLedger", "TollgateDefaults"]),
        .testTarget(name: "TollgateReportsTests", dependencies: ["TollgateReports", "TollgateLedger", "TollgateCore"]),
        .testTarget(name: "TollgateCLITests", dependencies: ["TollgateCLI", "tollgate", "TollgateLedger", "TollgateCore"]),
    ],
    swiftLanguageModes: [.v6]
)

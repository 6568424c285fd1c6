import ArgumentParser
import Foundation
import TollgateLedger

/// `--db PATH`: where the ledger lives (then `TOLLGATE_DB`, then `./.tollgate/ledger.sqlite`).
public struct LedgerOptions: ParsableArguments {
    /// Explicit ledger path.
    @Option(name: .long, help: "Ledger file (default: $TOLLGATE_DB or ./.tollgate/ledger.sqlite).")
    public var db: String?

    /// Creates options (used by argument parsing).
    public init() {}

    /// The path the ledger is opened at, after flag, environment and default.
    public var resolvedPath: String {
        db ?? ProcessInfo.processInfo.environment["TOLLGATE_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? ".tollgate/ledger.sqlite"
    }

    /// Opens the SQLite ledger, creating and migrating it on first use.
    public func open() throws -> SQLiteLedger {
        try SQLiteLedger(path: resolvedPath)
    }
}

import ArgumentParser

/// `tollgate ledger ...`: credits, corrections and imports.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Record credits and corrections, import usage, list entries, reclaim holds, generate test ledgers.",
        subcommands: [
            LedgerAdjust.self, LedgerImport.self, LedgerEntries.self, LedgerReclaim.self, LedgerGenerate.self, LedgerMigrateToPostgres.self,
        ]
    )
}

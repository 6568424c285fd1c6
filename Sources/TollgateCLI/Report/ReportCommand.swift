import ArgumentParser

/// `tollgate report ...`: finance reports read straight from the ledger file, no server needed.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Savings, usage, budget and reconciliation reports from the ledger.",
        subcommands: [ReportSavings.self, ReportUsage.self, ReportBudgets.self, ReportReconcile.self, ReportVerify.self]
    )
}

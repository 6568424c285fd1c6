import ArgumentParser

/// `tollgate key list [--team NAME]`: prefixes only, never keys.
struct KeyList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List key prefixes (keys themselves are never stored).")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: FormatOptions
    @Option(help: "Only this team's keys.") var team: String?

    func run() async throws {
        let keys = try await CommandContext(ledger, pricing).admin.listKeys(team: team)
        let listing = Listing(
            columns: ["prefix", "team", "label", "status", "budget", "limits", "created_at", "revoked_at"],
            rows: keys.map { key, team in
                [
                    .text(key.prefix), .text(team), key.label.map { .text($0) } ?? .empty,
                    .text(key.isActive ? "active" : "revoked"),
                    key.budget.map { .text("\($0.limit) \($0.period.rawValue)") } ?? .empty,
                    key.limits.isEmpty ? .empty : .text(RateLimitOptions.describe(key.limits)), .text(Show.instant(key.createdAt)),
                    key.revokedAt.map { .text(Show.instant($0)) } ?? .empty,
                ]
            }
        )
        print(listing.render(output.format), terminator: "")
    }
}

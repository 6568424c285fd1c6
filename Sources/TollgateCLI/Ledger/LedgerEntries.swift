import ArgumentParser
import Foundation

/// `tollgate ledger entries [--team NAME] [--from DATE] [--to DATE] [--limit N]`. Its JSON is what
/// `ledger import` reads back (every usage field, the request id that keeps a re-import from billing twice).
struct LedgerEntries: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "entries", abstract: "List ledger entries, oldest first.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: FormatOptions
    @Option(help: "Only this team's entries.") var team: String?
    @Option(help: "From this date or instant (inclusive).") var from: String?
    @Option(help: "Up to this date or instant (exclusive).") var to: String?
    @Option(help: "At most this many entries.") var limit: Int = 1000

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let teams = Dictionary(uniqueKeysWithValues: try await context.ledger.teams().map { ($0.id, $0.name) })
        var teamID: Int64?
        if let team { teamID = try await context.ledger.team(named: team).id }
        let entries = try await context.ledger.entries(
            teamID: teamID,
            from: try from.map { try InstantArgument.parse($0, flag: "--from") },
            to: try to.map { try InstantArgument.parse($0, flag: "--to") },
            limit: limit
        )
        let listing = Listing(
            columns: [
                "id", "occurred_at", "team", "kind", "model", "input_tokens", "cached_input_tokens", "cache_write_5m_tokens",
                "cache_write_1h_tokens", "output_tokens", "reasoning_tokens",
                "token_source", "charge_usd", "charge_cny", "price_version", "fx_version", "reason", "request_id",
            ],
            rows: entries.map { entry in
                [
                    .number(Int(entry.id ?? 0)), .text(Show.instant(entry.occurredAt)), .text(teams[entry.teamID] ?? "?"),
                    .text(entry.kind.rawValue), entry.model.map { .text($0.rawValue) } ?? .empty,
                    .number(entry.usage.inputTokens), .number(entry.usage.cachedInputTokens), .number(entry.usage.cacheWrite5mTokens),
                    .number(entry.usage.cacheWrite1hTokens), .number(entry.usage.outputTokens), .number(entry.usage.reasoningTokens),
                    entry.tokenSource.map { .text($0.rawValue) } ?? .empty, Show.amount(entry.chargeUSD), Show.amount(entry.chargeCNY),
                    entry.priceVersion.map { .text($0) } ?? .empty, entry.fxVersion.map { .text($0) } ?? .empty,
                    entry.reason.map { .text($0) } ?? .empty, entry.requestID.map { .text($0) } ?? .empty,
                ]
            }
        )
        print(listing.render(output.format), terminator: "")
    }
}

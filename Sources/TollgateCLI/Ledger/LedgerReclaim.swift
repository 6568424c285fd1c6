import ArgumentParser
import TollgateMetering

/// `tollgate ledger reclaim`: settle the holds of processes that died, from their last progress.
struct LedgerReclaim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim",
        abstract: "Settle holds whose lease lapsed (a crashed gateway or chat) from their last durable progress."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let entries = try await LeaseReclaimer(store: context.ledger, pricing: context.pricing).reclaim()
        print("Reclaimed \(entries.count) expired hold(s).")
        for entry in entries {
            print(
                "  \(entry.requestID ?? "?"): \(entry.usage.inputTokens) input + \(entry.usage.outputTokens) output tokens, \(entry.chargeCNY) / \(entry.chargeUSD)"
            )
        }
    }
}

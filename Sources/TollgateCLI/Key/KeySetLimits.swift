import ArgumentParser
import TollgateCore

/// `tollgate key set-limits PREFIX [--rpm N] [--tpm N] [--max-streams N]`.
struct KeySetLimits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-limits",
        abstract: "Set a key's own requests/tokens per minute and concurrent streams, under its team's (0 removes a limit)."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "The key's prefix ('tollgate key list' shows it).") var prefix: String
    @OptionGroup var limits: RateLimitOptions

    func run() async throws {
        let key = try await CommandContext(ledger, pricing).admin.setRateLimits(keyPrefix: prefix, limits.change)
        print("Key \(key.prefix): \(RateLimitOptions.describe(key.limits)).")
    }
}

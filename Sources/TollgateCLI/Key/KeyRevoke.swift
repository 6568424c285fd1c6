import ArgumentParser

/// `tollgate key revoke PREFIX`: the key is refused from now on.
struct KeyRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a key by its prefix.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "The key's prefix, as 'tollgate key list' shows it.") var prefix: String

    func run() async throws {
        let record = try await CommandContext(ledger, pricing).admin.revokeKey(prefix: prefix)
        print("Revoked key \(record.prefix).")
    }
}

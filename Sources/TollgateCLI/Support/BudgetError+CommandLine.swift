import TollgateCore

extension BudgetError {
    /// The message the CLI shows: the library's facts, with the remedy as the command and flags to
    /// type. Errors without a `problem` read the same everywhere, so they keep their description.
    var commandLineMessage: String {
        guard let problem else { return description }
        return switch problem {
        case .unknownTeam(let name): "no team named '\(name)': 'tollgate team list' shows the teams"
        case .duplicateTeam(let name):
            "a team named '\(name)' already exists: pick another name, or change it with 'tollgate team set-budget \(name) ...'"
        case .importedTeamMissing(let name): "no team named '\(name)': create it first with 'tollgate team create'"
        case .unknownKeyPrefix(let prefix): "no key with prefix '\(prefix)': 'tollgate key list' shows the prefixes"
        case .invalidKey: "invalid API key: check the key, or create one with 'tollgate key create --team NAME'"
        case .revokedKey: "this API key was revoked: ask your admin for a new one ('tollgate key create')"
        case .teamDisabled(let name): "team '\(name)' is disabled: an admin can re-enable it with 'tollgate team enable \(name)'"
        case .nothingToChange: "nothing to change: pass --budget, --currency, --period, --soft-limit, --on-exhausted, --tz or --hold"
        case .currencyChangeWithoutAmount: "changing the currency needs a new --budget amount in that currency"
        case .keyPeriodWithoutBudget(let currency): "a key's budget period needs a budget amount: add --budget AMOUNT (in \(currency.rawValue))"
        case .keyPeriodWithoutAmount: "a key's budget period needs a budget amount: give AMOUNT, or 'none' to remove the key's budget"
        case .reasonRequired: "a reason is required: say why, e.g. --reason \"refund for outage 2026-11-03\""
        case .negativeRateLimit(let field, let value): "\(Self.flag(field)) must be 0 (no limit) or more, got \(value)"
        case .rateLimitBelowOne(let field, let value):
            "\(Self.flag(field)) must be at least 1, got \(value): give a positive limit, or 0 to remove it"
        case .keyBudgetCurrencyMismatch(let prefix, let key, let team):
            "key '\(prefix)' has a budget in \(key.rawValue) but its team now budgets in \(team.rawValue): an admin must set the key's budget again "
                + "('tollgate key set-budget \(prefix) AMOUNT')"
        case .ledgerOverflow(let team, let currency, let netNanos):
            Self.ledgerOverflowMessage(
                team: team,
                currency: currency,
                netNanos: netNanos,
                correctingWith: "with 'tollgate ledger adjust --team \(team) --currency \(currency.rawValue) --amount … --reason …'"
            )
        case .generatorCounts: "--entries, --teams (up to 999) and --months (up to 1200) must be positive whole numbers"
        }
    }

    /// The `set-limits` option that sets a rate limit.
    static func flag(_ field: RateLimitField) -> String {
        switch field {
        case .requestsPerMinute: "--rpm"
        case .tokensPerMinute: "--tpm"
        case .concurrentStreams: "--max-streams"
        }
    }
}

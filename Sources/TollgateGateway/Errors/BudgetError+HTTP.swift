import TollgateCore

extension BudgetError {
    /// The message an HTTP client gets: the library's facts, with the remedy as the admin route and
    /// JSON fields to send (never a command-line flag). A gateway client meets only the key and
    /// team refusals, whose remedy is an admin's; errors without a `problem` keep their description.
    var httpMessage: String {
        guard let problem else { return description }
        return switch problem {
        case .unknownTeam(let name): "no team named '\(name)': GET /admin/teams lists the teams"
        case .duplicateTeam(let name):
            "a team named '\(name)' already exists: pick another name, or change its budget with PATCH /admin/teams/\(name)/budget"
        case .importedTeamMissing(let name): "no team named '\(name)': create it first with POST /admin/teams"
        case .unknownKeyPrefix(let prefix): "no key with prefix '\(prefix)': GET /admin/keys lists the prefixes"
        case .invalidKey: "invalid API key: check the key, or ask an admin to create one for your team (POST /admin/teams/{team}/keys)"
        case .revokedKey: "this API key was revoked: ask your admin for a new one"
        // The admin may use either tool: both are named, the CLI's as the gateway has always said it.
        case .teamDisabled(let name):
            "team '\(name)' is disabled: an admin can re-enable it with 'tollgate team enable \(name)' or POST /admin/teams/\(name)/enable"
        case .nothingToChange:
            "nothing to change: send at least one of \"budget\", \"currency\", \"period\", \"soft_limit_percent\", \"on_exhausted\", \"time_zone\" or \"hold\""
        case .currencyChangeWithoutAmount: "changing the currency needs a new budget amount in that currency: send \"budget\" with \"currency\""
        case .keyPeriodWithoutBudget(let currency):
            "a key's budget period needs a budget amount: send \"budget\" (a decimal string in \(currency.rawValue)) with \"period\""
        case .keyPeriodWithoutAmount:
            "a key's budget period needs a budget amount: send \"budget\" (a decimal string), or \"budget\": null without \"period\" to remove the key's budget"
        case .reasonRequired: "a reason is required: say why in \"reason\", e.g. \"refund for outage 2026-11-03\""
        case .negativeRateLimit(let field, let value): "\(Self.jsonField(field)) must be 0 (no limit) or more, got \(value)"
        case .rateLimitBelowOne(let field, let value):
            "\(Self.jsonField(field)) must be at least 1, got \(value): give a positive limit, or 0 to remove it"
        case .keyBudgetCurrencyMismatch(let prefix, let key, let team):
            "key '\(prefix)' has a budget in \(key.rawValue) but its team now budgets in \(team.rawValue): an admin must set the key's budget again "
                + "(PUT /admin/keys/\(prefix)/budget)"
        case .ledgerOverflow(let team, let currency, let netNanos):
            Self.ledgerOverflowMessage(
                team: team,
                currency: currency,
                netNanos: netNanos,
                correctingWith: "with POST /admin/teams/\(team)/adjustments ({\"amount\", \"currency\": \"\(currency.rawValue)\", \"reason\"})"
            )
        case .generatorCounts: description
        }
    }

    /// The field of `PUT /admin/…/limits` that sets a rate limit.
    static func jsonField(_ field: RateLimitField) -> String {
        switch field {
        case .requestsPerMinute: "rpm"
        case .tokensPerMinute: "tpm"
        case .concurrentStreams: "max_streams"
        }
    }
}

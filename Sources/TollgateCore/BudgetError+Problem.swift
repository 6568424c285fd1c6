extension BudgetError {
    /// The facts of a budget or team problem whose remedy is an admin operation. A library throws
    /// these; each edge maps them to its own hint (the CLI to a command and its flags, the admin
    /// API to a route and its JSON fields), so no library message names either.
    public enum Problem: Sendable, Hashable {
        /// No team has this name.
        case unknownTeam(String)
        /// A team with this name exists already.
        case duplicateTeam(String)
        /// An import names a team that doesn't exist; teams are never created by an import.
        case importedTeamMissing(String)
        /// No key has this prefix.
        case unknownKeyPrefix(String)
        /// A presented key matches no key.
        case invalidKey
        /// A presented key was revoked.
        case revokedKey
        /// The team is disabled.
        case teamDisabled(String)
        /// A budget change that changes none of the settings.
        case nothingToChange
        /// A budget change to another currency without an amount in it.
        case currencyChangeWithoutAmount
        /// A new key given a budget period but no budget amount (in the team's `currency`).
        case keyPeriodWithoutBudget(currency: Currency)
        /// A key budget change giving a period but neither an amount nor the removal of the budget.
        case keyPeriodWithoutAmount
        /// A ledger adjustment without a reason.
        case reasonRequired
        /// A rate-limit change below 0 (0 removes a limit).
        case negativeRateLimit(RateLimitField, Int)
        /// A stored rate limit below 1.
        case rateLimitBelowOne(RateLimitField, Int)
        /// A key budget stored in another currency than its team now budgets in.
        case keyBudgetCurrencyMismatch(prefix: String, key: Currency, team: Currency)
        /// A team's ledger entries add up beyond what Tollgate can sum; `netNanos` is the exact
        /// sum when the store computed it.
        case ledgerOverflow(team: String, currency: Currency, netNanos: Int128?)
        /// Sample-ledger counts out of range.
        case generatorCounts
    }

    /// One of the three rate limits, named by each edge in its own syntax.
    public enum RateLimitField: String, Sendable, Hashable, CaseIterable {
        /// Requests per minute.
        case requestsPerMinute = "requests per minute"
        /// Tokens per minute.
        case tokensPerMinute = "tokens per minute"
        /// Concurrent streams.
        case concurrentStreams = "concurrent streams"
    }

    /// No team has this name.
    public static func unknownTeam(_ name: String) -> BudgetError {
        BudgetError(.unknownTeam, "no team named '\(name)': list the teams to see their names", problem: .unknownTeam(name))
    }

    /// A team with this name exists already.
    public static func duplicateTeam(_ name: String) -> BudgetError {
        BudgetError(.duplicateTeam, "a team named '\(name)' already exists: pick another name, or change its budget", problem: .duplicateTeam(name))
    }

    /// No key has this prefix.
    public static func unknownKey(prefix: String) -> BudgetError {
        BudgetError(.invalidKey, "no key with prefix '\(prefix)': list the keys to see their prefixes", problem: .unknownKeyPrefix(prefix))
    }

    /// A rate limit below 0 in a change (`0` removes the limit).
    public static func negativeRateLimit(_ field: RateLimitField, _ value: Int) -> BudgetError {
        BudgetError(.invalidInput, "\(field.rawValue) must be 0 (no limit) or more, got \(value)", problem: .negativeRateLimit(field, value))
    }

    /// The overflow message with the way out; `tool` names how the edge appends an entry
    /// (`with 'tollgate ledger adjust …'`), `nil` for the domain's words alone.
    public static func ledgerOverflowMessage(team: String, currency: Currency, netNanos: Int128?, correctingWith tool: String?) -> String {
        var facts = "team '\(team)': its ledger entries add up beyond what Tollgate can sum (±9223372036 \(currency.rawValue))"
        var fix = "append correcting entries of at most 1000000000 each" + (tool.map { " " + $0 } ?? "")
        if let netNanos {
            facts += ": the net charge is \(NanoDecimal.formatWide(netNanos)) \(currency.rawValue)"
            // A negative net (credits) is corrected by charges (negative amounts), and the reverse.
            fix += netNanos < 0 ? " and negative amounts (charges)" : " and positive amounts (credits)"
        }
        return facts + ". Until then its requests are refused; other teams are unaffected. To fix it, " + fix + "."
    }
}

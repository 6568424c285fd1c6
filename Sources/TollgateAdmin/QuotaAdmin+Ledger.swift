import Foundation
import TollgateCore
import TollgateStorage

extension QuotaAdmin {
    /// Records a credit (positive `amount`) or a charge (negative) with a required reason, converted
    /// to the other currency at the relay FX rate in force now.
    public func adjust(team name: String, amount: Money, reason: String) async throws -> LedgerEntry {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw BudgetError(.invalidInput, "a reason is required: say why the team is credited or charged", problem: .reasonRequired)
        }
        guard amount.nanos != 0 else {
            throw BudgetError(.invalidInput, "the amount must not be zero: positive credits the team, negative charges it")
        }
        guard amount.isWithinBounds else {
            throw BudgetError(.invalidInput, "the amount \(amount) is too large: one adjustment is at most 1000000000 either way")
        }
        let team = try await store.team(named: name)
        let now = clock()
        let rate = try pricing.fxVersion(at: now)
        let charge = -amount
        let chargeUSD: Money
        let chargeCNY: Money
        do throws(MoneyError) {
            chargeUSD = try rate.rate(.relay).convert(charge, to: .usd)
            chargeCNY = try rate.rate(.relay).convert(charge, to: .cny)
        } catch {
            throw BudgetError(.invalidInput, "the amount \(amount) converts beyond the bound on one amount: \(error.description)")
        }
        try await checkBalance(of: team, after: chargeUSD, chargeCNY)
        let entry = LedgerEntry.adjustment(
            kind: amount.isPositive ? .credit : .correction,
            teamID: team.id,
            chargeUSD: chargeUSD,
            chargeCNY: chargeCNY,
            fxVersion: rate.id,
            reason: reason,
            at: now
        )
        try await store.append([entry])
        return entry
    }

    /// Imports usage events, each priced at the version in force at its `occurred_at`: JSON lines,
    /// or one JSON array of event objects (what a JSON listing of entries is, so a ledger's export
    /// imports as it was written).
    ///
    /// Every event is checked before anything is written; one bad event means nothing from the file
    /// is applied, and the error lists each bad one by line (or, in an array, by position).
    public func importUsage(_ data: Data) async throws -> ImportSummary {
        let teams = Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.name, $0) })
        let now = clock()
        var entries: [LedgerEntry] = []
        var problems: [ImportProblem] = []
        for event in try ImportEvent.events(in: data) {
            do {
                entries.append(try usageEntry(from: event.json, teams: teams, recordedAt: now))
            } catch {
                problems.append(ImportProblem(line: event.position, message: "\(error)", unit: event.unit))
            }
        }
        guard problems.isEmpty else { throw ImportError(problems: problems) }
        guard !entries.isEmpty else { throw ImportError(problems: [ImportProblem(line: 0, message: "the file holds no usage events")]) }
        for currency in [Currency.usd, .cny] {
            // Each line is bounded; their total must be too, or the summary (and the team's sums) could overflow.
            let total = entries.reduce(Int128(0)) { $0 + Int128($1.charge(in: currency).nanos) }
            guard total.magnitude <= UInt128(Money.maximumNanos) else {
                throw ImportError(problems: [
                    ImportProblem(
                        line: 0,
                        message:
                            "the file's usage costs \(NanoDecimal.formatWide(total)) \(currency.rawValue) in total, beyond the bound of 1000000000 per import: check the token counts, or split the file"
                    )
                ])
            }
        }
        try await store.append(entries)
        return ImportSummary(entries: entries)
    }

    /// No relay usage predates this; an earlier instant is a typo (a year 0026, a Unix epoch of 0).
    static let earliestImport = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01T00:00:00Z
    /// How far past the importer's clock an `occurred_at` may lie (another machine's clock, a time zone slip).
    static let importClockSlack: TimeInterval = 86_400

    private func usageEntry(from line: Data, teams: [String: Team], recordedAt: Date) throws -> LedgerEntry {
        let event: UsageEvent
        do {
            // An exported credit or correction has no model: say what it is rather than that a field is missing.
            if let kind = try? JSONDecoder().decode(EventKind.self, from: line).kind, kind != LedgerEntry.Kind.usage.rawValue {
                throw BudgetError(
                    .invalidInput,
                    "kind '\(kind)' is not usage: an import takes usage events only; record credits and corrections as adjustments, one by one with a reason"
                )
            }
            event = try JSONDecoder().decode(UsageEvent.self, from: line)
        } catch let error as BudgetError {
            throw error
        } catch let DecodingError.keyNotFound(key, _) {
            throw BudgetError(.invalidInput, "missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw BudgetError(.invalidInput, "field '\(field)' has the wrong type: token counts are whole numbers, other fields strings")
        } catch {
            throw BudgetError(.invalidInput, "not a JSON object: each line must be one {\"team\":…,\"model\":…,…} event")
        }
        guard let team = teams[event.team] else {
            throw BudgetError(
                .unknownTeam,
                "no team named '\(event.team)': create it first (an import never creates teams)",
                problem: .importedTeamMissing(event.team)
            )
        }
        guard let occurredAt = try? Date(event.occurred_at, strategy: .iso8601) else {
            throw BudgetError(.invalidInput, "occurred_at '\(event.occurred_at)' is not RFC 3339: write it like 2026-11-03T14:05:00Z")
        }
        guard occurredAt >= Self.earliestImport, occurredAt <= recordedAt.addingTimeInterval(Self.importClockSlack) else {
            throw BudgetError(
                .invalidInput,
                "occurred_at '\(event.occurred_at)' is outside 2000-01-01 … now (plus a day of clock slack): usage is imported after it happened; check the year"
            )
        }
        let reasoning = event.reasoning_tokens ?? 0
        guard reasoning >= 0, reasoning <= max(event.output_tokens, 0) else {
            throw BudgetError(
                .invalidInput,
                "reasoning_tokens (\(reasoning)) must be between 0 and output_tokens (\(event.output_tokens)): reasoning is the part of the output spent thinking, so write that part, or leave the field out for 0"
            )
        }
        let parts = [
            ("cached_input_tokens", event.cached_input_tokens ?? 0), ("cache_write_5m_tokens", event.cache_write_5m_tokens ?? 0),
            ("cache_write_1h_tokens", event.cache_write_1h_tokens ?? 0),
        ]
        if let (field, count) = parts.first(where: { $0.1 < 0 }) {
            throw BudgetError(.invalidInput, "\(field) is \(count): token counts are 0 or more (leave the field out for 0)")
        }
        let usage = try TokenUsage(
            inputTokens: event.input_tokens,
            cachedInputTokens: parts[0].1,
            cacheWrite5mTokens: parts[1].1,
            cacheWrite1hTokens: parts[2].1,
            outputTokens: event.output_tokens,
            reasoningTokens: reasoning
        )
        // An alias (a dated snapshot) is recorded as its canonical model, as the gateway records it.
        let model = try pricing.catalog.model(ModelID(rawValue: event.model)).id
        let valuation = try pricing.valuation(of: usage, model: model, at: occurredAt)
        return .usage(
            teamID: team.id,
            requestID: event.request_id,
            model: model,
            usage: usage,
            valuation: valuation,
            tokenSource: .imported,
            outcome: "imported",
            occurredAt: occurredAt,
            recordedAt: recordedAt
        )
    }
}

/// One usage event line of `tollgate ledger import`.
struct UsageEvent: Decodable {
    let team: String
    let model: String
    let input_tokens: Int
    let output_tokens: Int
    let cached_input_tokens: Int?
    /// The parts of `input_tokens` written to a 5-minute / 1-hour prompt cache, as `ledger entries`
    /// writes them; 0 when absent (files written before the cache-write columns).
    let cache_write_5m_tokens: Int?
    let cache_write_1h_tokens: Int?
    /// The reasoning part of `output_tokens`, as `ledger entries` writes it; 0 when absent.
    let reasoning_tokens: Int?
    let occurred_at: String
    let request_id: String?
}

/// The `kind` an exported entry carries (absent in hand-written usage lines).
struct EventKind: Decodable {
    let kind: String?
}

extension QuotaAdmin {
    /// Refuses an adjustment that would take the team's net charge (all entries, either currency)
    /// beyond ±`Money.maximumNanos`, unless it moves the net toward zero: a ledger that already
    /// overflows must accept the corrections that repair it.
    func checkBalance(of team: Team, after chargeUSD: Money, _ chargeCNY: Money) async throws {
        let allTime = PeriodWindow(start: .distantPast, end: nil)
        for charge in [chargeUSD, chargeCNY] {
            let current: Int128
            do {
                current = Int128(try await store.spend(teamID: team.id, currency: charge.currency, in: allTime).nanos)
            } catch let overflow as LedgerSumOverflow where overflow.currency == charge.currency && overflow.exactNanos != nil {
                current = overflow.exactNanos!
            }
            let after = current + Int128(charge.nanos)
            let bound = UInt128(Money.maximumNanos)
            guard after.magnitude <= bound || after.magnitude < current.magnitude else {
                throw BudgetError(
                    .invalidInput,
                    "team '\(team.name)' would have a net charge of \(NanoDecimal.formatWide(after)) \(charge.currency.rawValue), beyond ±1000000000: Tollgate keeps every team's sum exact within that bound. Nothing was recorded; check the amount"
                )
            }
        }
    }
}

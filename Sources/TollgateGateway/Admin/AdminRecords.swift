import Foundation
import TollgateAdmin
import TollgateCore
import TollgateStorage

/// JSON shapes of the admin API. Amounts are exact decimal strings in the named currency; the team
/// fields and names match `tollgate team list --format json`.
enum AdminRecords {
    struct TeamRecord: Encodable {
        let team: String
        let currency: String
        let budget: String
        let period: String
        let on_exhausted: String
        let hold: String
        let soft_limit_percent: Int?
        let time_zone: String
        let disabled: Bool
        let spent: String
        let reserved: String
        let remaining: String
        let available: String
        let percent_used: String
        let period_start: String?
        let resets_at: String?

        init(_ status: TeamStatus) {
            team = status.team.name
            currency = status.team.budget.limit.currency.rawValue
            budget = status.team.budget.limit.decimalString
            period = status.team.budget.period.rawValue
            on_exhausted = status.team.budget.onExhausted.rawValue
            hold = status.team.budget.hold.rawValue
            soft_limit_percent = status.team.budget.softLimitPercent
            time_zone = status.team.budget.timeZone.identifier
            disabled = status.team.disabled
            spent = status.budget.spent.decimalString
            reserved = status.budget.reserved.decimalString
            remaining = status.budget.remaining.decimalString
            available = status.budget.available.decimalString
            percent_used = NanoDecimal.format(status.budget.percentUsedNanos)
            period_start = status.team.budget.period == .total ? nil : AdminRecords.instant(status.budget.window.start)
            resets_at = status.budget.resetsAt.map(AdminRecords.instant)
        }
    }

    /// A team's or key's rate limits; an absent field is no limit.
    struct LimitsRecord: Encodable {
        let team: String?
        let prefix: String?
        let rpm: Int?
        let tpm: Int?
        let max_streams: Int?

        init(_ limits: RateLimits, team: String? = nil, prefix: String? = nil) {
            self.team = team
            self.prefix = prefix
            rpm = limits.requestsPerMinute
            tpm = limits.tokensPerMinute
            max_streams = limits.concurrentStreams
        }
    }

    struct KeyRecord: Encodable {
        let prefix: String
        let team: String
        let label: String?
        let created_at: String
        let revoked_at: String?
        /// The key's own budget (decimal string), its currency and period; absent without one.
        let budget: String?
        let budget_currency: String?
        let budget_period: String?
        /// The full key: only in the answer to its creation.
        var key: String?

        init(_ record: APIKeyRecord, team: String, secret: String? = nil) {
            prefix = record.prefix
            self.team = team
            label = record.label
            created_at = AdminRecords.instant(record.createdAt)
            revoked_at = record.revokedAt.map(AdminRecords.instant)
            budget = record.budget?.limit.decimalString
            budget_currency = record.budget?.limit.currency.rawValue
            budget_period = record.budget?.period.rawValue
            key = secret
        }
    }

    struct AdjustmentRecord: Encodable {
        let team: String
        let kind: String
        let charge_cny: String
        let charge_usd: String
        let fx_version: String?
        let reason: String?
        let occurred_at: String

        init(_ entry: LedgerEntry, team: String) {
            self.team = team
            kind = entry.kind.rawValue
            charge_cny = entry.chargeCNY.decimalString
            charge_usd = entry.chargeUSD.decimalString
            fx_version = entry.fxVersion
            reason = entry.reason
            occurred_at = AdminRecords.instant(entry.occurredAt)
        }
    }

    struct SpendRecord: Encodable {
        let team: String
        let currency: String
        let from: String
        let to: String?
        let spent: String

        init(team: Team, window: PeriodWindow, spent: Money) {
            self.team = team.name
            currency = spent.currency.rawValue
            from = AdminRecords.instant(window.start)
            to = window.end.map(AdminRecords.instant)
            self.spent = spent.decimalString
        }
    }

    struct AlertSettingsRecord: Encodable {
        let team: String
        let thresholds: [String]
        let `default`: Bool

        init(_ alerts: TeamAlerts) {
            team = alerts.team.name
            thresholds = alerts.thresholds.map(\.name)
            self.default = alerts.isDefault
        }
    }

    struct List<Item: Encodable>: Encodable {
        let data: [Item]
    }

    /// `GET /admin/teams`: the teams, and apart from them each team whose ledger can't be summed.
    struct TeamList: Encodable {
        let data: [TeamRecord]
        let unreadable: [Problem]
    }

    /// A team that couldn't be read, with the stable code and what to do.
    struct Problem: Encodable {
        let code: String
        let message: String
    }

    static func instant(_ date: Date) -> String { date.formatted(.iso8601) }
}

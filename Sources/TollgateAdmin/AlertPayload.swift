import Crypto
import Foundation
import TollgateCore
import TollgateStorage

/// The webhook body of a budget alert and its signature.
///
/// The body is built from the stored alert only, so every attempt (and every restart) sends the
/// same bytes with the same `alert_id`: receivers de-duplicate on it. Amounts are exact decimal
/// strings; instants are RFC 3339 UTC.
public enum AlertPayload {
    /// The signature header: `sha256=<hex HMAC-SHA256 of the body under TOLLGATE_ALERT_SECRET>`.
    public static let signatureHeader = "X-Tollgate-Signature"
    /// The idempotency header, equal to the body's `alert_id`.
    public static let alertIDHeader = "X-Tollgate-Alert-Id"

    /// The JSON body: keys sorted, so the bytes depend on the alert alone.
    public static func body(_ alert: BudgetAlert) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and optionals into a fresh encoder cannot fail.
        return (try? encoder.encode(Fields(alert))) ?? Data()
    }

    /// `sha256=<lowercase hex HMAC-SHA256 of body keyed by secret>`.
    public static func signature(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` is the body's signature under `secret`, compared in constant time — what a
    /// receiver does (and the tests).
    public static func verify(_ body: Data, header: String, secret: String) -> Bool {
        KeyCodec.constantTimeEqual(Data(header.utf8), Data(signature(body, secret: secret).utf8))
    }

    static func instant(_ date: Date) -> String { date.formatted(.iso8601) }

    /// The body's fields; `period_start` and `period_end` are `null` for a budget that never resets.
    public struct Fields: Codable, Hashable, Sendable {
        /// Idempotency key: the same for every attempt and restart.
        public let alert_id: String
        /// Always `budget.threshold_reached`.
        public let event: String
        /// The team's name.
        public let team: String
        /// `50`, `80`, `100` or `exhausted`.
        public let threshold: String
        /// The budget period's first instant.
        public let period_start: String?
        /// The first instant after the period.
        public let period_end: String?
        /// The period's limit, exact decimal.
        public let limit: String
        /// Spent when the threshold was reached, exact decimal.
        public let spent: String
        /// Limit − spent, exact decimal (negative after a soft overrun).
        public let remaining: String
        /// `CNY` or `USD`.
        public let currency: String
        /// When the threshold was found reached.
        public let occurred_at: String

        /// The fields of `alert`.
        public init(_ alert: BudgetAlert) {
            alert_id = alert.id
            event = "budget.threshold_reached"
            team = alert.teamName
            threshold = alert.threshold.name
            period_start = alert.window.start == .distantPast ? nil : AlertPayload.instant(alert.window.start)
            period_end = alert.window.end.map(AlertPayload.instant)
            limit = alert.limit.decimalString
            spent = alert.spent.decimalString
            remaining = alert.remaining.decimalString
            currency = alert.limit.currency.rawValue
            occurred_at = AlertPayload.instant(alert.occurredAt)
        }

        /// Writes `null` for a missing period bound instead of leaving the key out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(alert_id, forKey: .alert_id)
            try container.encode(event, forKey: .event)
            try container.encode(team, forKey: .team)
            try container.encode(threshold, forKey: .threshold)
            try container.encode(period_start, forKey: .period_start)
            try container.encode(period_end, forKey: .period_end)
            try container.encode(limit, forKey: .limit)
            try container.encode(spent, forKey: .spent)
            try container.encode(remaining, forKey: .remaining)
            try container.encode(currency, forKey: .currency)
            try container.encode(occurred_at, forKey: .occurred_at)
        }
    }
}

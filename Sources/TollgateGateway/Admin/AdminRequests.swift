import Foundation
import TollgateAdmin
import TollgateCore

/// Request bodies of the admin API; amounts are decimal strings, never JSON numbers (exactness).
enum AdminRequests {
    struct CreateTeam: Decodable {
        let name: String
        let budget: String
        let currency: String
        let period: String
        let soft_limit_percent: Int?
        let on_exhausted: String?
        let time_zone: String?
        let hold: String?

        func makeBudget() throws -> Budget {
            try Budget(
                limit: try Money(parsing: budget, try Currency(code: currency)),
                period: try BudgetPeriod(name: period),
                softLimitPercent: soft_limit_percent,
                onExhausted: try ExhaustionPolicy(name: on_exhausted ?? "reject"),
                timeZone: try AdminRequests.timeZone(time_zone ?? "UTC"),
                hold: try HoldPolicy(name: hold ?? HoldPolicy.worstCase.rawValue)
            )
        }
    }

    struct SetBudget: Decodable {
        let budget: String?
        let currency: String?
        let period: String?
        let soft_limit_percent: Int?
        let on_exhausted: String?
        let time_zone: String?
        let hold: String?

        func change() throws -> BudgetChange {
            BudgetChange(
                amount: budget,
                currency: try currency.map { try Currency(code: $0) },
                period: try period.map { try BudgetPeriod(name: $0) },
                softLimitPercent: soft_limit_percent.map { .some($0) },
                onExhausted: try on_exhausted.map { try ExhaustionPolicy(name: $0) },
                timeZone: try time_zone.map(AdminRequests.timeZone),
                hold: try hold.map { try HoldPolicy(name: $0) }
            )
        }
    }

    /// `PUT /admin/teams/{team}/name`: `{"name": "platform"}`.
    struct RenameTeam: Decodable {
        let name: String
    }

    struct CreateKey: Decodable {
        let label: String?
        /// The key's own budget (decimal string, in the team's currency).
        let budget: String?
        let period: String?
    }

    /// `PUT /admin/teams/{team}/limits` and `/admin/keys/{prefix}/limits`: `{"rpm": 60, "tpm": 100000,
    /// "max_streams": 4}`; an absent field keeps its limit, 0 removes it.
    struct SetLimits: Decodable {
        let rpm: Int?
        let tpm: Int?
        let max_streams: Int?

        var change: RateLimitChange { RateLimitChange(requestsPerMinute: rpm, tokensPerMinute: tpm, concurrentStreams: max_streams) }
    }

    /// `PUT /admin/keys/{prefix}/budget`: `{"budget": "50", "period": "monthly"}`, or
    /// `{"budget": null}` to remove the key's own budget.
    struct SetKeyBudget: Decodable {
        let budget: String?
        let period: String?
    }

    /// `PUT /admin/teams/{team}/alerts`: `{"thresholds": ["50","80","100","exhausted"]}` (`[]` turns
    /// alerts off) or `{"use_defaults": true}`.
    struct SetAlerts: Decodable {
        let thresholds: [String]?
        let use_defaults: Bool?

        func parsed() throws -> [AlertThreshold]? {
            if use_defaults == true { return nil }
            guard let thresholds else {
                throw GatewayRefusal.invalidRequest(
                    "send {\"thresholds\": [\"50\",\"80\",\"100\",\"exhausted\"]} ([] turns alerts off) or {\"use_defaults\": true}"
                )
            }
            return try AlertThreshold.list(parsing: thresholds.joined(separator: ","))
        }
    }

    struct Adjust: Decodable {
        let amount: String
        let currency: String?
        let reason: String
    }

    static func decode<Body: Decodable>(_ type: Body.Type, _ data: Data) throws -> Body {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw GatewayRefusal.invalidRequest("missing field '\(key.stringValue)' (see README, Gateway, admin API, for each route's body)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw GatewayRefusal.invalidRequest(
                "field '\(field)' has the wrong type: amounts are decimal strings such as \"500.00\", percents whole numbers"
            )
        } catch {
            throw GatewayRefusal.invalidRequest("the body is not a JSON object")
        }
    }

    /// An RFC 3339 query parameter, or `nil` when absent.
    static func instant(_ text: String?, _ name: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw GatewayRefusal.invalidRequest("'\(name)=\(text)' is not RFC 3339: write it like 2026-11-01T00:00:00Z")
        }
        return date
    }

    static func timeZone(_ identifier: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            throw GatewayRefusal.invalidRequest("unknown time zone '\(identifier)': use an IANA name such as UTC or Asia/Shanghai")
        }
        return zone
    }
}

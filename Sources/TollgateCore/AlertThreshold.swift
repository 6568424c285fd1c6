import Foundation

/// A point of a team's budget worth telling someone about: a share of the limit spent, or the
/// budget refusing or cutting off a request (`exhausted`).
///
/// Each threshold is announced at most once per budget period, so the set is small and ordered.
public enum AlertThreshold: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Spent reached this percent of the limit (1 to 1000, so soft budgets can alert past 100 %).
    case percent(Int)
    /// A request was refused or cut off because the budget had nothing left.
    case exhausted

    /// 50, 80 and 100 % of the limit, and exhausted: what a team alerts on unless told otherwise.
    public static let defaults: [AlertThreshold] = [.percent(50), .percent(80), .percent(100), .exhausted]

    /// Parses `80`, `80%` or `exhausted`.
    public init(parsing text: String) throws(BudgetError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "exhausted" {
            self = .exhausted
            return
        }
        let digits = trimmed.hasSuffix("%") ? String(trimmed.dropLast()) : trimmed
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits), (1...1000).contains(value) else {
            throw BudgetError(.invalidInput, "alert threshold '\(text)' is not valid: use a whole percent from 1 to 1000 (e.g. 80) or 'exhausted'")
        }
        self = .percent(value)
    }

    /// Parses a comma-separated list (`50,80,100,exhausted`), sorted and without repeats; an empty
    /// text or `none` is no thresholds at all (alerts off for the team).
    public static func list(parsing text: String) throws(BudgetError) -> [AlertThreshold] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "none" { return [] }
        var thresholds: Set<AlertThreshold> = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            thresholds.insert(try AlertThreshold(parsing: String(part)))
        }
        return thresholds.sorted()
    }

    /// The stored and wire name: `80` or `exhausted`.
    public var name: String {
        switch self {
        case .percent(let value): String(value)
        case .exhausted: "exhausted"
        }
    }

    /// `80%` or `exhausted`.
    public var description: String {
        switch self {
        case .percent(let value): "\(value)%"
        case .exhausted: "exhausted"
        }
    }

    /// Percents in ascending order, then `exhausted`.
    public static func < (lhs: AlertThreshold, rhs: AlertThreshold) -> Bool {
        switch (lhs, rhs) {
        case (.percent(let left), .percent(let right)): left < right
        case (.percent, .exhausted): true
        case (.exhausted, _): false
        }
    }

    /// Whether `spent` has reached this share of `limit` (exact, in 128-bit integers); `exhausted`
    /// is never reached by arithmetic, only by a refusal or a cutoff.
    public func isReached(spent: Money, limit: Money) -> Bool {
        guard case .percent(let value) = self, limit.nanos > 0 else { return false }
        return Int128(spent.nanos) * 100 >= Int128(limit.nanos) * Int128(value)
    }
}

extension [AlertThreshold] {
    /// The list as typed on the command line: `50,80,100,exhausted`, or `none`.
    public var listText: String { isEmpty ? "none" : map(\.name).joined(separator: ",") }
}

import Foundation

/// A point of a team's budget worth telling someone about: a share of the limit spent, the
/// budget refusing or cutting off a request (`exhausted`), or a settlement billed past its hold
/// because the upstream reported more than was reserved (`overrun`).
///
/// Each threshold is announced at most once per budget period, so the set is small and ordered.
public enum AlertThreshold: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Spent reached this percent of the limit (1 to 1000, so soft budgets can alert past 100 %).
    case percent(Int)
    /// A request was refused or cut off because the budget had nothing left.
    case exhausted
    /// A settlement charged more than its hold (the upstream's usage report is the invoice).
    case overrun

    /// 50, 80 and 100 % of the limit, exhausted and overrun: what a team alerts on unless told otherwise.
    public static let defaults: [AlertThreshold] = [.percent(50), .percent(80), .percent(100), .exhausted, .overrun]

    /// Parses `80`, `80%`, `exhausted` or `overrun`.
    public init(parsing text: String) throws(BudgetError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "exhausted" {
            self = .exhausted
            return
        }
        if trimmed == "overrun" {
            self = .overrun
            return
        }
        let digits = trimmed.hasSuffix("%") ? String(trimmed.dropLast()) : trimmed
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits), (1...1000).contains(value) else {
            throw BudgetError(
                .invalidInput,
                "alert threshold '\(text)' is not valid: use a whole percent from 1 to 1000 (e.g. 80) or 'exhausted' (or 'overrun')"
            )
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
        case .overrun: "overrun"
        }
    }

    /// `80%` or `exhausted`.
    public var description: String {
        switch self {
        case .percent(let value): "\(value)%"
        case .exhausted: "exhausted"
        case .overrun: "overrun"
        }
    }

    /// Percents in ascending order, then `exhausted`, then `overrun`.
    public static func < (lhs: AlertThreshold, rhs: AlertThreshold) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .percent(let value): value
        case .exhausted: 1_001
        case .overrun: 1_002
        }
    }

    /// Whether `spent` has reached this share of `limit` (exact, in 128-bit integers); `exhausted`
    /// and `overrun` are never reached by arithmetic, only by a refusal, cutoff or settlement.
    public func isReached(spent: Money, limit: Money) -> Bool {
        guard case .percent(let value) = self, limit.nanos > 0 else { return false }
        return Int128(spent.nanos) * 100 >= Int128(limit.nanos) * Int128(value)
    }
}

extension [AlertThreshold] {
    /// The list as typed on the command line: `50,80,100,exhausted`, or `none`.
    public var listText: String { isEmpty ? "none" : map(\.name).joined(separator: ",") }
}

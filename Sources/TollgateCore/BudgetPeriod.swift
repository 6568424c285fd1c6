import Foundation

/// How often a team's budget starts over.
public enum BudgetPeriod: String, Sendable, Hashable, CaseIterable, Codable {
    /// Calendar month in the team's time zone.
    case monthly
    /// ISO week (Monday to Sunday) in the team's time zone.
    case weekly
    /// Calendar day in the team's time zone.
    case daily
    /// Never resets: one budget for the team's whole life.
    case total

    /// Parses a period name, with an error listing the valid ones.
    public init(name: String) throws(BudgetError) {
        guard let period = BudgetPeriod(rawValue: name.lowercased()) else {
            throw BudgetError(.invalidInput, "unknown period '\(name)': use one of \(BudgetPeriod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = period
    }

    /// The period window containing `instant`, on calendar boundaries of `timeZone`.
    public func window(containing instant: Date, timeZone: TimeZone) -> PeriodWindow {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2  // ISO 8601: weeks start on Monday.
        calendar.minimumDaysInFirstWeek = 4
        let component: Calendar.Component
        switch self {
        case .monthly: component = .month
        case .weekly: component = .weekOfYear
        case .daily: component = .day
        case .total: return PeriodWindow(start: .distantPast, end: nil)
        }
        guard let interval = calendar.dateInterval(of: component, for: instant) else {
            preconditionFailure("the Gregorian calendar has a \(component) around every instant")
        }
        return PeriodWindow(start: interval.start, end: interval.end)
    }
}

/// A half-open interval `[start, end)` of time that one budget period covers.
public struct PeriodWindow: Hashable, Sendable {
    /// First instant of the period.
    public let start: Date
    /// First instant after the period; `nil` for a budget that never resets.
    public let end: Date?

    /// Creates a window.
    public init(start: Date, end: Date?) {
        self.start = start
        self.end = end
    }

    /// Whether `instant` falls in the window.
    public func contains(_ instant: Date) -> Bool {
        instant >= start && end.map { instant < $0 } ?? true
    }
}

import Foundation

/// The time a report covers, `[start, end)`, cut into calendar days of one time zone.
///
/// Days are the windows the store sums over; the whole period is their sum, so daily figures and
/// totals can never disagree.
public struct ReportPeriod: Sendable, Hashable {
    /// What the period is called in titles (`2026-11`, or `2026-11-03 to 2026-11-10`).
    public let name: String
    /// First instant covered.
    public let start: Date
    /// First instant after the period.
    public let end: Date
    /// The zone whose calendar draws month and day boundaries.
    public let timeZone: TimeZone
    /// Window boundaries: `start`, every midnight in between, `end`.
    public let boundaries: [Date]
    /// The date (`2026-11-03`, in `timeZone`) of each window.
    public let dayLabels: [String]

    /// The calendar month `text` (`YYYY-MM`) in `timeZone`.
    public static func month(_ text: String, timeZone: TimeZone) throws(ReportError) -> ReportPeriod {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), year >= 1970
        else {
            throw ReportError("'\(text)' is not a month: write it as YYYY-MM, e.g. 2026-11", problem: .notAMonth(text))
        }
        let calendar = Self.calendar(timeZone)
        let start = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
        let end = calendar.date(byAdding: .month, value: 1, to: start)!
        return ReportPeriod(name: text, start: start, end: end, timeZone: timeZone)
    }

    /// `[from, to)`; fails unless `from` is before `to`.
    public static func range(from: Date, to: Date, timeZone: TimeZone) throws(ReportError) -> ReportPeriod {
        guard from < to else {
            throw ReportError(
                "the start must be before the end (the period is [start, end), the end excluded): swap or widen them",
                problem: .emptyRange
            )
        }
        let name = "\(Self.instantText(from, timeZone)) to \(Self.instantText(to, timeZone))"
        return ReportPeriod(name: name, start: from, end: to, timeZone: timeZone)
    }

    /// Which end of a period an instant is.
    public enum Bound: String, Sendable, Hashable {
        /// The first instant covered.
        case start
        /// The first instant after the period.
        case end
    }

    /// A date (`2026-11-03`, midnight in `timeZone`) or an RFC 3339 instant, for the `bound` end of a period.
    public static func instant(_ text: String, bound: Bound, timeZone: TimeZone) throws(ReportError) -> Date {
        if let instant = try? Date(text, strategy: .iso8601) { return instant }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        if parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
            (1...12).contains(month), (1...31).contains(day),
            let date = calendar(timeZone).date(from: DateComponents(year: year, month: month, day: day)),
            calendar(timeZone).component(.day, from: date) == day
        {
            return date
        }
        throw ReportError(
            "the \(bound.rawValue) '\(text)' is not a date: write 2026-11-03 (midnight in the report's time zone) or 2026-11-03T14:05:00Z",
            problem: .notADate(bound, text)
        )
    }

    /// Parses an IANA zone name.
    public static func timeZone(_ identifier: String) throws(ReportError) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            throw ReportError("unknown time zone '\(identifier)': use an IANA name such as UTC, Asia/Shanghai or America/New_York")
        }
        return zone
    }

    init(name: String, start: Date, end: Date, timeZone: TimeZone) {
        self.name = name
        self.start = start
        self.end = end
        self.timeZone = timeZone
        let calendar = Self.calendar(timeZone)
        var boundaries = [start]
        var labels = [Self.dayText(start, calendar)]
        var next = calendar.startOfDay(for: start)
        while true {
            next = calendar.startOfDay(for: calendar.date(byAdding: .day, value: 1, to: next)!)
            guard next < end else { break }
            boundaries.append(next)
            labels.append(Self.dayText(next, calendar))
        }
        boundaries.append(end)
        self.boundaries = boundaries
        dayLabels = labels
    }

    /// The zone's IANA name (`UTC` rather than Foundation's `GMT` alias).
    public var zoneName: String { timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier }

    /// `2026-11-01T00:00:00+08:00`: an instant as the zone's wall clock, with its offset.
    public static func instantText(_ date: Date, _ zone: TimeZone) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: zone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        return date.formatted(style)
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private static func dayText(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.year!)-\(two(parts.month!))-\(two(parts.day!))"
    }
}

import Foundation
import Testing

@testable import TollgateReports

@Suite("Report periods")
struct ReportPeriodTests {
    @Test("a month in a zone starts and ends at the zone's midnights, one window per day")
    func monthInZone() throws {
        let shanghai = try ReportPeriod.month("2026-11", timeZone: try ReportPeriod.timeZone("Asia/Shanghai"))
        #expect(shanghai.start == (try Date("2026-10-31T16:00:00Z", strategy: .iso8601)))
        #expect(shanghai.end == (try Date("2026-11-30T16:00:00Z", strategy: .iso8601)))
        #expect(shanghai.dayLabels.count == 30 && shanghai.dayLabels.first == "2026-11-01" && shanghai.dayLabels.last == "2026-11-30")
        #expect(shanghai.boundaries.count == 31)
    }

    @Test("a daylight-saving change gives a 25-hour day; offsets like +05:45 stay on 15-minute buckets")
    func unusualDays() throws {
        let newYork = try ReportPeriod.month("2026-11", timeZone: try ReportPeriod.timeZone("America/New_York"))
        let lengths = zip(newYork.boundaries, newYork.boundaries.dropFirst()).map { $1.timeIntervalSince($0) }
        #expect(lengths.filter { $0 == 25 * 3600 }.count == 1)
        let kathmandu = try ReportPeriod.month("2026-11", timeZone: try ReportPeriod.timeZone("Asia/Kathmandu"))
        #expect(kathmandu.boundaries.allSatisfy { Int64($0.timeIntervalSince1970).isMultiple(of: 900) })
    }

    @Test("malformed months are refused with what to type", arguments: ["2026-13", "2026-1", "26-11", "2026/11", "", "2026-00", "nov"])
    func badMonth(text: String) {
        let error = #expect(throws: ReportError.self) { try ReportPeriod.month(text, timeZone: .gmt) }
        #expect(error?.description == "'\(text)' is not a month: write it as YYYY-MM, e.g. 2026-11")
        #expect(error?.problem == .notAMonth(text))
    }

    @Test("dates are midnight in the zone; instants are exact; bad dates, zones and ranges are refused")
    func instantsAndRanges() throws {
        let zone = try ReportPeriod.timeZone("Asia/Shanghai")
        #expect(try ReportPeriod.instant("2026-11-03", bound: .start, timeZone: zone) == (try Date("2026-11-02T16:00:00Z", strategy: .iso8601)))
        #expect(
            try ReportPeriod.instant("2026-11-03T14:05:07Z", bound: .start, timeZone: zone) == (try Date("2026-11-03T14:05:07Z", strategy: .iso8601))
        )
        let bad = #expect(throws: ReportError.self) { try ReportPeriod.instant("2026-02-30", bound: .end, timeZone: zone) }
        #expect(bad?.description.hasPrefix("the end '2026-02-30' is not a date") == true)
        #expect(bad?.problem == .notADate(.end, "2026-02-30"))
        let zoneError = #expect(throws: ReportError.self) { try ReportPeriod.timeZone("Mars/Olympus") }
        #expect(zoneError?.description.hasPrefix("unknown time zone 'Mars/Olympus'") == true)
        let day = try Date("2026-11-03T00:00:00Z", strategy: .iso8601)
        let backwards = #expect(throws: ReportError.self) { try ReportPeriod.range(from: day, to: day, timeZone: .gmt) }
        #expect(backwards?.description.hasPrefix("the start must be before the end") == true)
        #expect(backwards?.problem == .emptyRange)
        let range = try ReportPeriod.range(from: day.addingTimeInterval(3600), to: day.addingTimeInterval(2 * 86_400), timeZone: .gmt)
        #expect(range.dayLabels == ["2026-11-03", "2026-11-04"])
        #expect(range.boundaries.map { $0.timeIntervalSince(day) } == [3600, 86_400, 2 * 86_400])
    }
}

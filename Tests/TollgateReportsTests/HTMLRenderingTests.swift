import Foundation
import Testing

@testable import TollgateReports

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Counts elements of a well-formed HTML page, so structure is checked without a browser.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var text = ""

    static func parse(_ html: String) throws -> ElementCounter {
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
        let parser = XMLParser(data: Data(body.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        guard parser.parse() else { throw CocoaError(.coderReadCorrupt, userInfo: ["reason": "\(String(describing: parser.parserError))"]) }
        return counter
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
    {
        counts[name, default: 0] += 1
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite("HTML reports")
struct HTMLRenderingTests {
    @Test("the savings page is well-formed and self-contained: tables, three SVG charts, no scripts or links")
    func savingsPage() throws {
        let report = SavingsReport(
            period: ReportFixtures.november,
            team: nil,
            grouping: .teamModel,
            sums: ReportFixtures.sums,
            teams: ReportFixtures.teams
        )
        let html = report.render(.html)
        let page = try ElementCounter.parse(html)
        #expect(page.counts["table"] == 3)
        #expect(page.counts["svg"] == 3)
        #expect((page.counts["rect"] ?? 0) >= 2 + 1 + 30)
        #expect(page.counts["script"] == nil)
        #expect(page.counts["link"] == nil && page.counts["img"] == nil)
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count - 1 == page.counts["svg"])
        #expect(page.text.contains("3282.2622"))
        #expect(
            page.text.contains("Spend by team (paid CNY)") && page.text.contains("Savings by model (CNY)")
                && page.text.contains("Daily spend (paid CNY)")
        )
        #expect(page.text.contains("¥500.00"))
    }

    @Test("text from the ledger is escaped in HTML and SVG")
    func escaping() throws {
        let teams: [Int64: String] = [1: "<b>&\"team\"", 2: "p"]
        let report = SavingsReport(period: ReportFixtures.november, team: nil, grouping: .team, sums: ReportFixtures.sums, teams: teams)
        let page = try ElementCounter.parse(report.render(.html))
        #expect(page.counts["b"] == nil)
        #expect(page.text.contains("<b>&\"team\""))
    }

    @Test("every report renders a well-formed page, also when empty")
    func otherReports() throws {
        let period = ReportFixtures.november
        let pages = [
            UsageReport(period: period, team: nil, grouping: .day, sums: ReportFixtures.sums, teams: ReportFixtures.teams).render(.html),
            UsageReport(period: period, team: nil, grouping: .day, sums: [], teams: [:]).render(.html),
            ReconcileReport(period: period, sums: []).render(.html),
            BudgetReport(statuses: [], now: period.start).render(.html),
            SavingsReport(period: period, team: nil, grouping: .model, sums: [], teams: [:]).render(.html),
        ]
        for html in pages {
            let page = try ElementCounter.parse(html)
            #expect(page.counts["html"] == 1 && page.counts["body"] == 1)
        }
        #expect(try ElementCounter.parse(pages[0]).counts["svg"] == 2)
        #expect(try ElementCounter.parse(pages[1]).counts["p"] == 1)
    }
}

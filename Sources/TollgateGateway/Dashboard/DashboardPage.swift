import Foundation
import TollgateAdmin
import TollgateCore
import TollgateReports

/// Renders the dashboard as one self-contained HTML page: inline CSS and SVG, no scripts, no
/// external assets; it reloads itself every 10 seconds.
///
/// Amounts are the exact decimal strings of `Money`; bar lengths are pixel geometry only. Every
/// figure of a team row carries `data-team`/`data-field`, so tests read the page the way they
/// read the admin API.
struct DashboardPage {
    let snapshot: DashboardSnapshot

    func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
            <title>Tollgate dashboard</title><style>\(Self.style)</style></head><body>
            <h1>Tollgate dashboard</h1>
            <p class="small">As of \(Self.instant(snapshot.now)) · reloads every 10 s · money in exact decimals</p>

            """
        html += budgets()
        html += spendThisMonth()
        html += savings()
        html += keys()
        html += liveStreams()
        html += events()
        html += alerts()
        return html + "</body></html>\n"
    }

    private func budgets() -> String {
        var html = "<h2>Budgets</h2>\n"
        guard !snapshot.teams.isEmpty else { return html + "<p>No teams yet: create one with <code>tollgate team create</code>.</p>\n" }
        html +=
            "<table id=\"budgets\"><thead><tr><th>team</th><th>budget</th><th>spent</th><th>reserved</th><th>remaining</th>"
            + "<th>used</th><th>resets</th><th>spent · reserved · remaining</th><th>alerts at</th></tr></thead><tbody>\n"
        for status in snapshot.teams {
            let team = status.team
            let budget = status.budget
            let name = HTMLText.escape(team.name)
            func cell(_ field: String, _ text: String, numeric: Bool = true) -> String {
                "<td data-team=\"\(name)\" data-field=\"\(field)\"\(numeric ? " class=\"num\"" : "")>\(HTMLText.escape(text))</td>"
            }
            let thresholds = snapshot.thresholds[team.id]?.thresholds.listText ?? "-"
            html += "<tr data-team=\"\(name)\"><td>\(name)\(team.disabled ? " <span class=\"tag\">disabled</span>" : "")</td>"
            html += cell("budget", budget.limit.description)
            html += cell("spent", budget.spent.decimalString)
            html += cell("reserved", budget.reserved.decimalString)
            html += cell("remaining", budget.remaining.decimalString)
            html += cell("percent_used", NanoDecimal.format(budget.percentUsedNanos) + " %")
            html += cell("resets_at", budget.resetsAt.map(Self.instant) ?? "never", numeric: false)
            html += "<td>\(Self.budgetBar(budget))</td>"
            html += cell("alerts", thresholds, numeric: false)
            html += "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private func spendThisMonth() -> String {
        let report = snapshot.savings
        var html = "<h2>Spend this month (\(HTMLText.escape(report.period.name)), UTC)</h2>\n"
        html +=
            "<p>Paid <strong data-field=\"month_paid_cny\">¥\(report.totals.paidCNY.decimalString)</strong>"
            + " · list <span data-field=\"month_list_usd\">$\(report.totals.listUSD.decimalString)</span>"
            + " · \(report.totals.requests) requests</p>\n"
        let bars = report.byDay.map { BarChart.Bar(label: $0.day ?? "-", nanos: $0.paidCNY.nanos, text: "¥" + $0.paidCNY.decimalString) }
        return html + BarChart(title: "Daily spend (paid CNY)", bars: bars, layout: .vertical).svg()
    }

    private func savings() -> String {
        let report = snapshot.savings
        var html = "<h2>Savings vs baseline (\(HTMLText.escape(report.period.name)))</h2>\n"
        guard !report.rows.isEmpty else { return html + "<p>No usage this month yet.</p>\n" }
        html +=
            "<table id=\"savings\"><thead><tr><th>team</th><th>requests</th><th>paid CNY</th><th>baseline CNY</th>"
            + "<th>saved CNY</th><th>saved</th></tr></thead><tbody>\n"
        func row(_ label: String, _ row: SavingsRow, tag: String) -> String {
            let percent = row.savingsPercentNanos.map { NanoDecimal.format($0) + " %" } ?? "-"
            return "<\(tag)><td>\(HTMLText.escape(label))</td><td class=\"num\">\(row.requests)</td>"
                + "<td class=\"num\">\(row.paidCNY.decimalString)</td><td class=\"num\">\(row.baselineCNY.decimalString)</td>"
                + "<td class=\"num\" data-savings=\"\(HTMLText.escape(label))\">\(row.savingsCNY.decimalString)</td><td class=\"num\">\(percent)</td></tr>\n"
        }
        for line in report.rows { html += row(line.team ?? "-", line, tag: "tr") }
        html += "</tbody><tfoot>" + row("TOTAL", report.totals, tag: "tr") + "</tfoot></table>\n"
        return html
    }

    /// Usage per key this month (a row `-` for requests made without a key), each figure tagged
    /// `data-key`/`data-field` as the team rows are.
    private func keys() -> String {
        let report: UsageReport
        switch snapshot.keyUsage {
        case .success(let read):
            report = read
        case .failure(let error):
            return "<h2>Keys this month</h2>\n<p id=\"keys-unavailable\">Usage per key could not be summed: "
                + HTMLText.escape(String(describing: error)) + "</p>\n"
        }
        guard !report.rows.isEmpty else { return "" }
        var html = "<h2>Keys this month (\(HTMLText.escape(report.period.name)))</h2>\n"
        html +=
            "<table id=\"keys\"><thead><tr><th>team</th><th>key</th><th>requests</th><th>input tokens</th>"
            + "<th>output tokens</th><th>list USD</th><th>paid CNY</th></tr></thead><tbody>\n"
        for row in report.rows {
            let key = HTMLText.escape(row.key ?? "-")
            func cell(_ field: String, _ text: String) -> String { "<td class=\"num\" data-key=\"\(key)\" data-field=\"\(field)\">\(text)</td>" }
            html +=
                "<tr data-key=\"\(key)\"><td>\(HTMLText.escape(row.team ?? "-"))</td><td><code>\(key)</code></td>"
                + cell("requests", String(row.requests)) + cell("input_tokens", String(row.totals.inputTokens))
                + cell("output_tokens", String(row.totals.outputTokens)) + cell("list_usd", row.listUSD.decimalString)
                + cell("paid_cny", row.paidCNY.decimalString) + "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private func liveStreams() -> String {
        let counts = GatewayActivity.StreamProtocol.allCases.map {
            "<span data-open=\"\($0.rawValue)\">\($0.rawValue): \(snapshot.openCounts[$0] ?? 0)</span>"
        }
        var html = "<h2>Live open streams</h2>\n<p>\(counts.joined(separator: " · "))</p>\n"
        guard !snapshot.openStreams.isEmpty else { return html + "<p class=\"small\">No stream open right now.</p>\n" }
        html +=
            "<table id=\"streams\"><thead><tr><th>opened</th><th>team</th><th>model</th><th>protocol</th><th>request id</th></tr></thead><tbody>\n"
        for stream in snapshot.openStreams {
            html +=
                "<tr><td>\(Self.instant(stream.openedAt))</td><td>\(HTMLText.escape(stream.team))</td><td>\(HTMLText.escape(stream.model))</td>"
                + "<td>\(stream.streamProtocol.rawValue)</td><td><code>\(HTMLText.escape(stream.requestID))</code></td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private func events() -> String {
        var html = "<h2>Recent cutoffs and refusals</h2>\n"
        guard !snapshot.events.isEmpty else { return html + "<p class=\"small\">None since the gateway started.</p>\n" }
        html += "<table id=\"events\"><thead><tr><th>when</th><th>what</th><th>team</th><th>code</th><th>message</th></tr></thead><tbody>\n"
        for event in snapshot.events {
            html +=
                "<tr data-event=\"\(event.kind.rawValue)\"><td>\(Self.instant(event.at))</td><td>\(event.kind.rawValue)</td>"
                + "<td>\(HTMLText.escape(event.team ?? "-"))</td><td>\(HTMLText.escape(event.code))</td><td>\(HTMLText.escape(event.message))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private func alerts() -> String {
        var html = "<h2>Budget alerts</h2>\n"
        guard !snapshot.alerts.isEmpty else { return html + "<p class=\"small\">No threshold reached yet.</p>\n" }
        html += "<table id=\"alerts\"><thead><tr><th>when</th><th>team</th><th>threshold</th><th>spent</th><th>limit</th></tr></thead><tbody>\n"
        for alert in snapshot.alerts {
            html +=
                "<tr><td>\(Self.instant(alert.occurredAt))</td><td>\(HTMLText.escape(alert.teamName))</td><td>\(alert.threshold)</td>"
                + "<td class=\"num\">\(alert.spent.decimalString)</td><td class=\"num\">\(alert.limit.description)</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    /// A stacked bar: spent (red past the limit), reserved, remaining; lengths share 300 pixels.
    static func budgetBar(_ budget: BudgetStatus) -> String {
        // Pixel lengths in 128-bit integers (rounded half up): no amount passes through floating point.
        let whole = Int128(max(budget.limit.nanos, budget.spent.nanos + budget.reserved.nanos, 1))
        func length(_ nanos: Int64) -> Int { Int((Int128(max(nanos, 0)) * 300 + whole / 2) / whole) }
        let spent = length(budget.spent.nanos)
        let reserved = length(budget.reserved.nanos)
        let over = budget.spent.nanos > budget.limit.nanos
        let title = "spent \(budget.spent.decimalString), reserved \(budget.reserved.decimalString), remaining \(budget.remaining.decimalString)"
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"14\" role=\"img\"><title>\(HTMLText.escape(title))</title>"
            + "<rect x=\"0\" y=\"0\" width=\"300\" height=\"14\" class=\"left\"/>"
            + "<rect x=\"0\" y=\"0\" width=\"\(spent)\" height=\"14\" class=\"\(over ? "over" : "spent")\"/>"
            + "<rect x=\"\(spent)\" y=\"0\" width=\"\(reserved)\" height=\"14\" class=\"held\"/></svg>"
    }

    static func instant(_ date: Date) -> String { date.formatted(.iso8601) }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2430}h1{font-size:22px}h2{font-size:17px;margin-top:28px}
        table{border-collapse:collapse}th,td{padding:4px 10px;border-bottom:1px solid #dde2ea;text-align:left}
        th{background:#f1f4f8}.num{text-align:right;font-variant-numeric:tabular-nums}.small{color:#5b6575;font-size:12px}
        .tag{background:#fde2e1;color:#9b1c1c;padding:0 6px;border-radius:3px;font-size:12px}
        .spent{fill:#2f6fde}.held{fill:#f0a830}.left{fill:#e4e9f1}.over{fill:#d23c3c}.bar{fill:#2f6fde}.axis{stroke:#8a94a6}
        text{font-size:11px;fill:#1d2430}
        """
}

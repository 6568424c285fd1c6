extension ReportDocument {
    /// A self-contained HTML page: inline CSS, tables and inline SVG charts; no scripts, no links.
    ///
    /// Written as well-formed XML (every element closed) so tests can parse it without a browser.
    func html() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(HTMLText.escape(title))</title>
            <style>
            body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; margin: 2em; color: #1d2330; }
            h1 { font-size: 1.6em; margin-bottom: 0.3em; }
            h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #d5d9e2; padding-bottom: 0.2em; }
            dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
            dl.facts dt { font-weight: 600; color: #4a5468; }
            dl.facts dd { margin: 0; }
            table { border-collapse: collapse; margin: 0.6em 0; font-variant-numeric: tabular-nums; }
            th, td { padding: 0.3em 0.7em; border-bottom: 1px solid #e3e6ec; text-align: left; white-space: nowrap; }
            th { background: #f3f5f9; font-size: 0.85em; letter-spacing: 0.02em; }
            td.num, th.num { text-align: right; }
            tfoot td { font-weight: 700; border-top: 2px solid #9aa3b5; }
            .wide { overflow-x: auto; }
            .chart { margin: 1em 0 2em; overflow-x: auto; }
            svg text { font-size: 12px; fill: #1d2330; }
            svg text.small { font-size: 10px; fill: #4a5468; }
            svg .bar { fill: #2f6fdb; }
            svg .axis { stroke: #9aa3b5; stroke-width: 1; }
            .note { padding: 0.8em 1em; background: #fff7e0; border-left: 4px solid #e0a800; }
            </style>
            </head>
            <body>
            <h1>\(HTMLText.escape(title))</h1>
            <dl class="facts">

            """
        for (label, value) in facts { out += "<dt>\(HTMLText.escape(label))</dt><dd>\(HTMLText.escape(value))</dd>\n" }
        out += "</dl>\n"
        for note in notes { out += "<p class=\"note\">\(HTMLText.escape(note))</p>\n" }
        for section in sections where !section.table.rows.isEmpty {
            out += "<h2>\(HTMLText.escape(section.title))</h2>\n<div class=\"wide\">\n" + section.table.html() + "</div>\n"
        }
        for chart in charts where !chart.bars.isEmpty {
            out += "<h2>\(HTMLText.escape(chart.title))</h2>\n<div class=\"chart\">\n" + chart.svg() + "</div>\n"
        }
        return out + "</body>\n</html>\n"
    }
}

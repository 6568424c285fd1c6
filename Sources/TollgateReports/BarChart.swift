/// A horizontal or vertical bar chart of money, drawn as inline SVG.
///
/// Bar lengths are pixel geometry, where binary floating point is harmless; the amounts printed on
/// the chart are the exact decimal strings, never derived from the geometry.
public struct BarChart: Sendable {
    /// One bar: its label, its exact value in nanos, and the text printed for it.
    public struct Bar: Sendable {
        /// Category label (team, model or day).
        public var label: String
        /// The value in nanos, for the bar's length only.
        public var nanos: Int64
        /// The exact amount printed beside the bar.
        public var text: String

        /// Creates a bar.
        public init(label: String, nanos: Int64, text: String) {
            self.label = label
            self.nanos = nanos
            self.text = text
        }
    }

    /// How bars are laid out.
    public enum Layout: Sendable {
        /// One row per bar, label on the left: for teams and models.
        case horizontal
        /// One column per bar, along a time axis: for days.
        case vertical
    }

    /// The chart's title.
    public var title: String
    /// The bars, in display order.
    public var bars: [Bar]
    /// Horizontal or vertical.
    public var layout: Layout

    /// Creates a chart.
    public init(title: String, bars: [Bar], layout: Layout) {
        self.title = title
        self.bars = bars
        self.layout = layout
    }

    /// The chart as an `<svg>` element with a `<title>` for screen readers.
    public func svg() -> String {
        let largest = max(bars.map { max($0.nanos, 0) }.max() ?? 0, 1)
        func share(_ nanos: Int64, of length: Int) -> Int {
            Int((Double(max(nanos, 0)) / Double(largest) * Double(length)).rounded())
        }
        switch layout {
        case .horizontal:
            let rowHeight = 26
            let labelWidth = 190
            let barSpace = 560
            let width = 960
            let height = max(bars.count, 1) * rowHeight + 16
            var out = svgOpen(width: width, height: height)
            for (index, bar) in bars.enumerated() {
                let y = 8 + index * rowHeight
                let length = share(bar.nanos, of: barSpace)
                out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\">\(HTMLText.escape(bar.label))</text>"
                out += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(length, 1))\" height=\"\(rowHeight - 8)\" class=\"bar\"/>"
                out += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 17)\">\(HTMLText.escape(bar.text))</text>\n"
            }
            return out + "</svg>\n"
        case .vertical:
            let plotHeight = 220
            let top = 16
            let columnWidth = max(8, min(40, 900 / max(bars.count, 1)))
            let width = 60 + bars.count * columnWidth + 20
            let height = top + plotHeight + 70
            var out = svgOpen(width: width, height: height)
            out += "<line x1=\"56\" y1=\"\(top + plotHeight)\" x2=\"\(width - 10)\" y2=\"\(top + plotHeight)\" class=\"axis\"/>"
            if let peak = bars.max(by: { $0.nanos < $1.nanos }) {
                out += "<text x=\"4\" y=\"\(top + 10)\" class=\"small\">max \(HTMLText.escape(peak.text))</text>\n"
            }
            for (index, bar) in bars.enumerated() {
                let x = 60 + index * columnWidth
                let length = share(bar.nanos, of: plotHeight)
                out += "<rect x=\"\(x + 1)\" y=\"\(top + plotHeight - length)\" width=\"\(columnWidth - 2)\" height=\"\(length)\" class=\"bar\">"
                out += "<title>\(HTMLText.escape(bar.label)): \(HTMLText.escape(bar.text))</title></rect>"
                let labelX = x + columnWidth / 2
                let labelY = top + plotHeight + 8
                out += "<text x=\"\(labelX)\" y=\"\(labelY)\" class=\"small\" transform=\"rotate(60 \(labelX) \(labelY))\">"
                out += "\(HTMLText.escape(String(bar.label.suffix(5))))</text>\n"
            }
            return out + "</svg>\n"
        }
    }

    private func svgOpen(width: Int, height: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
            + "<title>\(HTMLText.escape(title))</title>\n"
    }
}

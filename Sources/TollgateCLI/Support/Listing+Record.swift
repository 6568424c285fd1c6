import TollgateReports

extension Listing {
    /// A single row shown as a record: `field  value` lines for a table, one object for JSON.
    public func renderRecord(_ format: OutputFormat) -> String {
        guard format != .csv, let row = rows.first else { return render(format) }
        if format == .json {
            return "{\n" + zip(columns, row).map { "  \(ReportJSONValue.quote($0)): \($1.json)" }.joined(separator: ",\n") + "\n}\n"
        }
        let width = columns.map(\.count).max() ?? 0
        return zip(columns, row).map { name, value in
            name.replacingOccurrences(of: "_", with: " ").padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value.shown
        }.joined(separator: "\n") + "\n"
    }
}

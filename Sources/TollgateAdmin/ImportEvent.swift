import Foundation

/// One event of an import file, where it sits, and its JSON text.
struct ImportEvent {
    /// 1-based line number, or position in the array.
    let position: Int
    /// What `position` counts: `line` or `entry`.
    let unit: String
    /// The event's JSON object.
    let json: Data

    /// The events of `data`: one per non-blank line, or, when the file is one JSON array (a JSON
    /// listing of ledger entries), one per element. Elements are written back as JSON one by one,
    /// so each is decoded and reported alone, as a line would be.
    static func events(in data: Data) throws -> [ImportEvent] {
        let blank: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: "\n")]
        guard data.first(where: { !blank.contains($0) }) == UInt8(ascii: "[") else {
            var events: [ImportEvent] = []
            for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            where !line.allSatisfy(blank.contains) {
                events.append(ImportEvent(position: index + 1, unit: "line", json: Data(line)))
            }
            return events
        }
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
            throw ImportError(problems: [
                ImportProblem(
                    line: 0,
                    message: "the file starts with '[' but is not a JSON array: write one array of event objects, or one event object per line"
                )
            ])
        }
        return array.enumerated().map { index, element in
            // A non-object element becomes text no event decodes from, reported as any bad line is.
            let json = (element as? [String: Any]).flatMap { try? JSONSerialization.data(withJSONObject: $0) } ?? Data("-".utf8)
            return ImportEvent(position: index + 1, unit: "entry", json: json)
        }
    }
}

import Foundation

/// `tollgate tokens count --jsonl FILE`: one count per JSON line with a string `text` field.
public enum TokenCountJSONL {
    /// The count of each line's `text`, in order. Blank lines are skipped; any other line that is
    /// not a JSON object with a string `text` is an error naming its 1-based line number.
    public static func counts(in data: Data, using counter: ModelTokenCounter) throws -> [Int] {
        var counts: [Int] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
            } catch {
                throw TokenizerError(.malformedInput, "line \(lineNumber): not valid JSON; expected {\"text\": \"...\"}")
            }
            guard let text = (object as? [String: Any])?["text"] as? String else {
                throw TokenizerError(
                    .malformedInput,
                    "line \(lineNumber): expected a JSON object with a string field \"text\""
                )
            }
            counts.append(counter.count(text))
        }
        return counts
    }

    /// The counts rendered as the command prints them: one decimal per line.
    public static func report(_ counts: [Int]) -> String {
        counts.map(String.init).joined(separator: "\n") + (counts.isEmpty ? "" : "\n")
    }
}

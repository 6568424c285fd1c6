import TollgateTestSupport

extension String {
    /// Splits the text into deltas of 1…`maxScalars` Unicode scalars: cuts land inside words,
    /// numbers, whitespace runs, grapheme clusters and between a base and its combining marks.
    func randomDeltas(maxScalars: Int, using generator: inout SeededGenerator) -> [String] {
        let scalars = Array(unicodeScalars)
        var deltas: [String] = []
        var index = 0
        while index < scalars.count {
            let length = Int.random(in: 1...maxScalars, using: &generator)
            var delta = String.UnicodeScalarView()
            delta.append(contentsOf: scalars[index..<Swift.min(index + length, scalars.count)])
            deltas.append(String(delta))
            index += length
        }
        return deltas
    }
}

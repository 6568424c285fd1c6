/// SplitMix64: a tiny deterministic generator so random splits are reproducible from the seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

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

/// Deterministic per-token logprobs for generated pieces: OpenAI's entry shape (`token`, `logprob`,
/// `bytes`, `top_logprobs`), the logprob written as decimal text derived from the piece (no
/// floating point), the first alternative being the token itself.
struct SimulatedLogprobs: Sendable {
    /// Alternatives per token (`top_logprobs`).
    let top: Int

    func entry(for piece: String) -> SimulatedJSON {
        let micros = Self.micros(piece)
        var alternatives: [SimulatedJSON] = []
        for rank in 0..<top {
            let token = rank == 0 ? piece : Self.alternatives[(rank - 1) % Self.alternatives.count]
            alternatives.append(
                .object([
                    ("token", .string(token)), ("logprob", Self.decimal(rank == 0 ? micros : micros + rank * 1_250_000)),
                    ("bytes", Self.bytes(token)),
                ])
            )
        }
        return .object([
            ("token", .string(piece)), ("logprob", Self.decimal(micros)), ("bytes", Self.bytes(piece)),
            ("top_logprobs", .array(alternatives)),
        ])
    }

    private static let alternatives = [" the", " a", ",", ".", " and", " of", " to"]

    /// A magnitude in millionths, 0 ..< 0.5, a function of the text.
    private static func micros(_ piece: String) -> Int { Int(SimulatedText.fnv1a(piece) % 500_000) }

    /// `-m / 10⁶` as decimal text.
    private static func decimal(_ micros: Int) -> SimulatedJSON {
        let fraction = String(micros % 1_000_000)
        return .decimal("-\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)")
    }

    private static func bytes(_ text: String) -> SimulatedJSON { .array(text.utf8.map { .integer(Int($0)) }) }
}

/// LiteLLM's unit: USD per token, written as a JSON number (`3e-06`), converted exactly to and from
/// Tollgate's nanos of USD per million tokens. Digits and exponent are read as text, never through
/// binary floating point.
public enum PerTokenPrice {
    /// Nanos per million tokens for a per-token price such as `3e-06` or `0.0000025`, or nil when
    /// the text is not a plain non-negative decimal or the price is not a whole number of nanos per
    /// million tokens (finer than 10⁻¹⁵ USD per token), or exceeds the bound on amounts.
    public static func nanosPerMillion(_ text: String) -> Int64? {
        var rest = Substring(text)
        var exponent = 0
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(rest[rest.index(after: e)...]), abs(value) < 400 else { return nil }
            exponent = value
            rest = rest[..<e]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty else { return nil }
        var digits = Substring(String(parts[0]) + fraction).drop { $0 == "0" }
        // value = digits × 10^(exponent − fraction digits); per MTok in nanos: × 10^15.
        var scale = exponent - fraction.count + 15
        while digits.last == "0" {
            digits.removeLast()
            scale += 1
        }
        guard !digits.isEmpty else { return 0 }
        guard scale >= 0, digits.count + scale <= 19, var value = Int128(String(digits)) else { return nil }
        for _ in 0..<scale { value *= 10 }
        guard value <= Int128(Money.maximumNanos) else { return nil }
        return Int64(value)
    }

    /// The per-token text of a price in nanos per million tokens: `2000000000` → `0.000002`.
    public static func text(nanosPerMillion nanos: Int64) -> String {
        guard nanos > 0 else { return "0" }
        let digits = String(nanos)
        let padded = String(repeating: "0", count: max(0, 16 - digits.count)) + digits
        let whole = padded.dropLast(15)
        let fraction = padded.suffix(15).reversed().drop { $0 == "0" }.reversed()
        return fraction.isEmpty ? String(whole) : "\(whole).\(String(fraction))"
    }
}

import Foundation

/// Exact decimal numbers held as integer billionths (`nanos`), the one fixed-point unit of Tollgate.
///
/// Money, prices per million tokens and FX rates are all decimals with at most nine fractional
/// digits. Keeping them as `Int64` nanos makes every sum exact and lets SQL `SUM` stay exact too.
/// Parsing reads the digits directly: no value ever passes through binary floating point.
public enum NanoDecimal {
    /// Nanos in one whole unit.
    public static let scale: Int64 = 1_000_000_000

    /// Parses `"12"`, `"-0.5"`, `"+3.141592653"` into nanos.
    ///
    /// Rejects more than nine fractional digits instead of rounding them away, because a silently
    /// rounded price or budget is a wrong number nobody asked for.
    public static func parse(_ text: String) throws(MoneyError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var digits = Substring(trimmed)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            !parts[0].isEmpty || (parts.count == 2 && !parts[1].isEmpty),
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
        else {
            throw MoneyError("'\(text)' is not a decimal number: write digits with an optional '.' and sign, like 12.50 or -3")
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 9 else {
            throw MoneyError("'\(text)' has more than 9 decimal places: Tollgate keeps amounts exact to 0.000000001")
        }
        let whole = parts[0].isEmpty ? "0" : parts[0]
        let padded = fraction + String(repeating: "0", count: 9 - fraction.count)
        guard let units = Int64(whole), let nanos = Int64(padded) else {
            throw MoneyError("'\(text)' is too large: amounts must stay below 9,223,372,036")
        }
        let (scaled, overflow) = units.multipliedReportingOverflow(by: scale)
        guard !overflow, scaled <= Int64.max - nanos else {
            throw MoneyError("'\(text)' is too large: amounts must stay below 9,223,372,036")
        }
        return negative ? -(scaled + nanos) : scaled + nanos
    }

    /// Formats nanos as an exact decimal string with at least `minimumFractionDigits` digits,
    /// dropping only trailing zeros beyond that (so `12.5` prints as `12.50`, `0.000000028` stays whole).
    public static func format(_ nanos: Int64, minimumFractionDigits: Int = 2, grouping: Bool = false) -> String {
        formatWide(Int128(nanos), minimumFractionDigits: minimumFractionDigits, grouping: grouping)
    }

    /// Formats a 128-bit nano count the same way (sums that left `Int64`, shown so they can be fixed).
    public static func formatWide(_ nanos: Int128, minimumFractionDigits: Int = 2, grouping: Bool = false) -> String {
        let magnitude = nanos.magnitude
        let units = magnitude / UInt128(scale)
        var fraction = String(magnitude % UInt128(scale))
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.count > minimumFractionDigits, fraction.last == "0" { fraction.removeLast() }
        var whole = String(units)
        if grouping { whole = group(whole) }
        let sign = nanos < 0 ? "-" : ""
        return fraction.isEmpty ? sign + whole : sign + whole + "." + fraction
    }

    /// Rounds nanos half away from zero to `digits` fractional digits (0...9), for display columns.
    public static func rounded(_ nanos: Int64, toFractionDigits digits: Int) -> Int64 {
        precondition((0...9).contains(digits), "fraction digits must be 0...9")
        var step: Int64 = 1
        for _ in 0..<(9 - digits) { step *= 10 }
        let remainder = nanos % step
        let base = nanos - remainder
        if remainder.magnitude * 2 >= step.magnitude {
            return nanos < 0 ? base - step : base + step
        }
        return base
    }

    private static func group(_ digits: String) -> String {
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

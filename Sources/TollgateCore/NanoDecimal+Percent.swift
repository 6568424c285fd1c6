extension NanoDecimal {
    /// `part` as a percent of `whole` in nanos of a percent, rounded half away from zero to
    /// `fractionDigits` (so `3150` of `3650` is `86.30`); `nil` when `whole` is zero or the percent
    /// is beyond the nanos range.
    ///
    /// The exact quotient is truncated to nanos first: truncation toward zero never moves a value
    /// across the half-way point of a coarser digit, so the rounding decision stays exact.
    public static func percent(_ part: Int64, of whole: Int64, fractionDigits: Int = 2) -> Int64? {
        guard whole != 0 else { return nil }
        let exact = Int128(part) * 100 * Int128(scale) / Int128(whole)
        guard let nanos = Int64(exactly: exact), nanos.magnitude < UInt64(Int64.max) - UInt64(scale) else { return nil }
        return rounded(nanos, toFractionDigits: fractionDigits)
    }
}

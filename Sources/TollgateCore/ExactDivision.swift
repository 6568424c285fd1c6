/// The single rounding rule of Tollgate, used wherever an exact quotient must become whole nanos.
///
/// Quotients round toward positive infinity (ceiling). A charge is therefore never smaller than its
/// exact value, by less than one nano (10⁻⁹ of a unit) per rounding, and a reservation never
/// under-covers the stream it protects. Intermediate products use 128-bit integers, so no token
/// count or price that fits the ledger can overflow mid-computation.
public enum ExactDivision {
    /// `numerator / denominator` rounded up to a whole number; `denominator` must be positive.
    public static func ceiling(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        precondition(denominator > 0, "division by a non-positive denominator")
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        return remainder > 0 ? quotient + 1 : quotient
    }

    /// Narrows a 128-bit result to nanos within `Money.maximumNanos`, or throws: an amount this
    /// large comes from an absurd input (a token count, price or rate), never from real usage, so
    /// it fails the one request or line that carried it instead of the process.
    public static func nanos(_ value: Int128) throws(MoneyError) -> Int64 {
        guard value.magnitude <= UInt128(Money.maximumNanos), let narrowed = Int64(exactly: value) else {
            throw MoneyError.outOfRange(value)
        }
        return narrowed
    }
}

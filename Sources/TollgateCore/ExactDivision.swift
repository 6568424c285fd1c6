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

    /// Narrows a 128-bit result to nanos, trapping on values no ledger could hold.
    public static func nanos(_ value: Int128) -> Int64 {
        guard let narrowed = Int64(exactly: value) else {
            preconditionFailure("amount \(value) nanos exceeds the ledger's 64-bit range")
        }
        return narrowed
    }
}

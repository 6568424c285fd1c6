/// An exact amount of one currency, in integer nanos (10⁻⁹ of a unit).
///
/// Arithmetic between two currencies is a programming error and traps: converting needs an
/// `FXRate`, which carries a version that the ledger records next to the converted amount.
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The currency of the amount.
    public let currency: Currency
    /// The amount in billionths of one unit; negative amounts are credits or refunds.
    public let nanos: Int64

    /// Creates money from nanos.
    public init(nanos: Int64, _ currency: Currency) {
        self.nanos = nanos
        self.currency = currency
    }

    /// The largest magnitude of one amount anywhere in Tollgate: 10⁹ units (10¹⁸ nanos) of a
    /// currency. Far above any real charge, budget or credit, and low enough that nine of them
    /// still add up inside `Int64`; every amount entering from a person, a file or a computation
    /// is checked against it (see ARCHITECTURE.md, Money).
    public static let maximumNanos: Int64 = 1_000_000_000_000_000_000

    /// Zero of a currency.
    public static func zero(_ currency: Currency) -> Money { Money(nanos: 0, currency) }

    /// Parses an exact decimal amount such as `"500"` or `"-12.345"`, within ±`maximumNanos`.
    public init(parsing text: String, _ currency: Currency) throws(MoneyError) {
        let nanos = try NanoDecimal.parse(text)
        guard nanos.magnitude <= Money.maximumNanos.magnitude else {
            throw MoneyError("'\(text)' is too large: one amount is at most 1000000000 \(currency.rawValue) either way")
        }
        self.init(nanos: nanos, currency)
    }

    /// Money from a computed 128-bit nano count, or a typed error beyond ±`maximumNanos`.
    public init(checked nanos: Int128, _ currency: Currency) throws(MoneyError) {
        self.init(nanos: try ExactDivision.nanos(nanos), currency)
    }

    /// Whether the amount lies within ±`maximumNanos`, the bound on every stored amount.
    public var isWithinBounds: Bool { nanos.magnitude <= Money.maximumNanos.magnitude }

    /// The exact amount as a decimal string with at least two fraction digits (`"3650.00"`).
    public var decimalString: String { NanoDecimal.format(nanos) }

    /// `"3650.00 CNY"`.
    public var description: String { "\(decimalString) \(currency.rawValue)" }

    /// Whether the amount is above zero.
    public var isPositive: Bool { nanos > 0 }

    /// Sum of two amounts of the same currency.
    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency) needs an FX rate")
        return Money(nanos: lhs.nanos + rhs.nanos, lhs.currency)
    }

    /// Difference of two amounts of the same currency.
    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency) needs an FX rate")
        return Money(nanos: lhs.nanos - rhs.nanos, lhs.currency)
    }

    /// The negated amount.
    public static prefix func - (value: Money) -> Money { Money(nanos: -value.nanos, value.currency) }

    /// Orders amounts of the same currency.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        precondition(lhs.currency == rhs.currency, "comparing \(lhs.currency) with \(rhs.currency) needs an FX rate")
        return lhs.nanos < rhs.nanos
    }
}

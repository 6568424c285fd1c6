/// A currency Tollgate can hold money in. Relays bill in list USD; Chinese teams pay in CNY.
public enum Currency: String, Sendable, Hashable, CaseIterable, Codable {
    /// US dollars: the unit every price list is published in.
    case usd = "USD"
    /// Chinese yuan: what teams pay a relay, through an FX rate.
    case cny = "CNY"

    /// The currency's symbol, for human-facing tables only.
    public var symbol: String {
        switch self {
        case .usd: "$"
        case .cny: "¥"
        }
    }

    /// Parses a currency code case-insensitively (`usd`, `CNY`).
    public init(code: String) throws(MoneyError) {
        guard let currency = Currency(rawValue: code.uppercased()) else {
            throw MoneyError(
                "unknown currency '\(code)': use one of \(Currency.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self = currency
    }
}

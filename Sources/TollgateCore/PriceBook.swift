/// Which list a price comes from.
public enum PriceBook: String, Sendable, Hashable, CaseIterable, Codable {
    /// What the relay charges, in list USD.
    case relay
    /// The providers' own list prices: the baseline a team would pay without the relay.
    case official
}

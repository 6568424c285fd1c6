import TollgateCore

/// Totals of the entries sharing one window, team, model, kind and pair of pricing versions.
///
/// The versions stay in the key so a report can show which price and FX versions valued a month.
public struct UsageSum: Hashable, Sendable {
    /// Index of the window asked for (window `i` runs from boundary `i` to boundary `i + 1`).
    public var window: Int
    /// The team charged or credited.
    public var teamID: Int64
    /// The key the entries were made with: set only by `keySums`, `nil` there for entries without one.
    public var keyID: Int64?
    /// The model, or `nil` for credits and corrections.
    public var model: ModelID?
    /// Usage, credit or correction.
    public var kind: LedgerEntry.Kind
    /// The price version stamped on the entries, or `nil` for credits and corrections.
    public var priceVersion: String?
    /// The FX version stamped on the entries.
    public var fxVersion: String?
    /// What the entries add up to.
    public var totals: UsageTotals

    /// Creates a sum.
    public init(
        window: Int,
        teamID: Int64,
        model: ModelID?,
        kind: LedgerEntry.Kind,
        priceVersion: String?,
        fxVersion: String?,
        totals: UsageTotals,
        keyID: Int64? = nil
    ) {
        self.window = window
        self.teamID = teamID
        self.keyID = keyID
        self.model = model
        self.kind = kind
        self.priceVersion = priceVersion
        self.fxVersion = fxVersion
        self.totals = totals
    }
}

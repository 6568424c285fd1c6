/// Where a ledger entry's token counts come from; upstream-reported usage always wins.
public enum TokenSource: String, Sendable, Hashable, CaseIterable, Codable {
    /// Reported by the upstream in its usage object.
    case upstream
    /// Counted by Tollgate with the model's own tokenizer: exact.
    case tokenizer
    /// Estimated for a model with no public tokenizer.
    case estimate
    /// Supplied by `ledger import` from an external record.
    case imported
}

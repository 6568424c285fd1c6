/// How many usage entries of one model ended with one outcome (`upstream_refused`, ...).
public struct OutcomeCount: Sendable, Hashable {
    /// The model, or nil for entries without one.
    public var model: String?
    /// The outcome as stored on the entries.
    public var outcome: String
    /// The number of entries.
    public var entries: Int64

    /// Creates a count.
    public init(model: String?, outcome: String, entries: Int64) {
        self.model = model
        self.outcome = outcome
        self.entries = entries
    }
}

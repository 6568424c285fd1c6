/// How settlement judged an upstream's usage report (stored in `ledger_entries.usage_check`);
/// an entry without one was billed as reported, or on Tollgate's own count when none came.
public enum UsageCheck: String, Hashable, Sendable, CaseIterable {
    /// Negative, above `TokenUsage.maximumCount`, not a whole number, or unpriceable: billed on
    /// Tollgate's own count instead.
    case invalid
    /// Plausible, and billed as reported, but its charge went past the stream's hold.
    case overrun
    /// Below Tollgate's count of what was delivered by more than the tolerance: billed on
    /// Tollgate's own count instead.
    case underReported = "under_reported"
}

import TollgateStreaming

/// One event of a metered stream: the upstream's events as they pass through, then how it ended.
public enum MeteredEvent: Sendable {
    /// An upstream event, passed through (a text delta may be shortened at a budget cutoff).
    case chat(ChatEvent)
    /// The budget ran out mid-stream: the stream stops here, and the client is told why.
    case budgetExhausted(BudgetCutoff)
    /// The stream is settled in the ledger; always the last event of a stream that ended normally
    /// or was cut off. Boxed (`indirect`): a summary is hundreds of bytes, and every async frame
    /// that handles events keeps room for one for the whole stream, while this case comes once.
    indirect case settled(MeteredSummary)
}

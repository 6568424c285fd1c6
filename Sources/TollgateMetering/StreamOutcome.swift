/// How a metered stream ended, as its ledger entry records it.
public enum StreamOutcome: String, Sendable, Hashable, CaseIterable {
    /// The upstream finished the response.
    case completed
    /// Tollgate stopped the stream because its budget ran out.
    case cutOff = "cut_off"
    /// The client went away mid-stream; delivered tokens are billed.
    case clientDisconnected = "client_disconnected"
    /// The upstream failed or dropped mid-stream; what arrived is billed.
    case upstreamError = "upstream_error"
    /// The gateway was shutting down and cut the stream after its grace period.
    case shutdown
    /// The stream's process died; settled by another from its last durable progress.
    case reclaimed
}

import TollgateStreaming

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
    /// The upstream answered with an error (an HTTP status or an error frame) before any output:
    /// it did the work of refusing, not of answering, so nothing is billed.
    case upstreamRefused = "upstream_refused"
    /// The upstream could not be reached, so it never had the request: nothing is billed.
    case upstreamUnreachable = "upstream_unreachable"

    /// Whether the entry bills nothing: the upstream produced nothing it charges for.
    public var billsNothing: Bool { self == .upstreamRefused || self == .upstreamUnreachable }

    /// The outcome of an upstream failure that came before any output, when it bills nothing.
    static func beforeOutput(_ error: StreamingError) -> StreamOutcome? {
        switch error.kind {
        case .authenticationFailed, .unknownModel, .rateLimited, .badRequest, .upstreamError: .upstreamRefused
        case .connectionFailed: .upstreamUnreachable
        default: nil
        }
    }
}

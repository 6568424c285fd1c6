import Foundation
import Synchronization

/// What the gateway is doing right now, for the dashboard: its open streams, and a bounded record
/// of recent budget cutoffs and refusals. In memory only (the ledger has the durable history);
/// every update is a lock and a small write, cheap enough for every request.
public final class GatewayActivity: Sendable {
    /// How a stream reached the gateway.
    public enum StreamProtocol: String, Sendable, CaseIterable {
        /// `POST /v1/chat/completions` with `"stream": true`.
        case sse
        /// `POST /v1/chat/completions` answered as one body.
        case http
        /// A turn on `/v1/ws/stream`.
        case websocket
    }

    /// A stream being served.
    public struct OpenStream: Sendable, Hashable {
        /// The ledger request id of its reservation.
        public let requestID: String
        /// The team's name.
        public let team: String
        /// The model asked for.
        public let model: String
        /// How it arrived.
        public let streamProtocol: StreamProtocol
        /// When it was admitted.
        public let openedAt: Date
    }

    /// A request the budget (or anything else) refused, or a stream it cut off.
    public struct Event: Sendable, Hashable {
        /// `cutoff` or `refusal`.
        public enum Kind: String, Sendable {
            /// A stream stopped mid-way because the budget ran out.
            case cutoff
            /// A request refused before streaming.
            case refusal
        }

        /// What happened.
        public let kind: Kind
        /// When.
        public let at: Date
        /// The team, when the request was authenticated.
        public let team: String?
        /// The stable refusal code (`budget_exceeded`, `invalid_api_key`, ...).
        public let code: String
        /// The message the client was sent.
        public let message: String
    }

    private struct State {
        var open: [String: OpenStream] = [:]
        var recent: [Event] = []
        var next = 0
    }

    /// How many recent events are kept; older ones are overwritten.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty record keeping the last `capacity` events.
    public init(capacity: Int = 200) {
        precondition(capacity > 0, "the activity record keeps at least one event")
        self.capacity = capacity
    }

    /// Records a stream as open; pair with `closed(_:)`.
    public func opened(_ stream: OpenStream) {
        state.withLock { $0.open[stream.requestID] = stream }
    }

    /// Records a stream as finished (any ending).
    public func closed(_ requestID: String) {
        _ = state.withLock { $0.open.removeValue(forKey: requestID) }
    }

    /// Records a cutoff or a refusal, overwriting the oldest once `capacity` are kept.
    public func record(_ event: Event) {
        state.withLock { state in
            if state.recent.count < capacity {
                state.recent.append(event)
            } else {
                state.recent[state.next] = event
            }
            state.next = (state.next + 1) % capacity
        }
    }

    /// Open streams, oldest first.
    public var openStreams: [OpenStream] {
        state.withLock { Array($0.open.values) }.sorted { ($0.openedAt, $0.requestID) < ($1.openedAt, $1.requestID) }
    }

    /// Open streams per protocol, every protocol listed.
    public var openCounts: [StreamProtocol: Int] {
        let open = state.withLock { Array($0.open.values) }
        var counts = Dictionary(uniqueKeysWithValues: StreamProtocol.allCases.map { ($0, 0) })
        for stream in open { counts[stream.streamProtocol, default: 0] += 1 }
        return counts
    }

    /// Recent events, newest first.
    public var recentEvents: [Event] {
        state.withLock { state in
            state.recent.count < capacity
                ? Array(state.recent.reversed())
                : Array((state.recent[state.next...] + state.recent[..<state.next]).reversed())
        }
    }
}

extension GatewayActivity {
    /// Records a stream open for `body`'s run and closed when it returns or throws.
    func tracking<T>(_ stream: OpenStream, _ body: () async throws -> T) async rethrows -> T {
        opened(stream)
        defer { closed(stream.requestID) }
        return try await body()
    }

    /// Records the refusal of a request (`team` when it was authenticated).
    func refused(_ refusal: GatewayRefusal, team: String?) {
        record(Event(kind: .refusal, at: Date(), team: team, code: refusal.code, message: refusal.message))
    }
}

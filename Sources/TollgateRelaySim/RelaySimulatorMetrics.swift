import Synchronization

/// Connection and stream counters of a running simulator, so tests can observe the server side
/// (for example that a cancelled client really closed its connection).
public final class RelaySimulatorMetrics: Sendable {
    /// A point-in-time copy of the counters.
    public struct Snapshot: Sendable, Hashable {
        /// WebSocket connections accepted.
        public var webSocketsOpened = 0
        /// WebSocket connections whose handler has finished.
        public var webSocketsClosed = 0
        /// WebSocket connections the client closed while content was still being generated.
        public var webSocketsClosedByClientMidStream = 0
        /// Upgrades refused by the `refuse attempts` fault.
        public var upgradesRefused = 0
        /// HTTP chat completion requests received (streaming or not).
        public var httpRequests = 0
        /// Responses that reached their normal end on either protocol.
        public var completedResponses = 0
        /// Content chunks written on either protocol.
        public var chunksSent = 0

        /// Connections currently open.
        public var webSocketsOpen: Int { webSocketsOpened - webSocketsClosed }
    }

    private let counters = Mutex(Snapshot())
    private let refusals = Mutex([String: Int]())

    /// Creates zeroed counters.
    public init() {}

    /// The current counters.
    public var snapshot: Snapshot { counters.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) {
        counters.withLock { change(&$0) }
    }

    /// Counts one attempt under `key`; true while fewer than `count` attempts were refused.
    func shouldRefuse(key: String, count: Int) -> Bool {
        let refuse = refusals.withLock { refusals in
            let seen = refusals[key, default: 0]
            refusals[key] = seen + 1
            return seen < count
        }
        if refuse { update { $0.upgradesRefused += 1 } }
        return refuse
    }
}

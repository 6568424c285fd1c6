import Foundation

/// What a team or a key used in the last 60 s, and what it has open now, as the ledger counts it.
public struct RateUsage: Hashable, Sendable {
    /// Requests admitted in the window (open and settled).
    public var requests: Int
    /// Their tokens: an open request's admitted estimate, a settled one's real count.
    public var tokens: Int
    /// Streams open now.
    public var streams: Int
    /// When the oldest request still in the window was admitted; `nil` when none is.
    public var oldest: Date?

    /// Creates a usage.
    public init(requests: Int = 0, tokens: Int = 0, streams: Int = 0, oldest: Date? = nil) {
        self.requests = requests
        self.tokens = tokens
        self.streams = streams
        self.oldest = oldest
    }

    /// The window limits count over.
    public static let window: TimeInterval = 60

    /// Adds a request admitted at `instant` with `tokens`: what a batch admitted before the next.
    public mutating func add(tokens more: Int, at instant: Date) {
        requests += 1
        tokens += more
        streams += 1
        oldest = oldest.map { min($0, instant) } ?? instant
    }
}

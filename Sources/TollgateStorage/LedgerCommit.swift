import Foundation

/// One group commit: progress of open streams, lease renewals and settlements, written in one
/// transaction so many streams share one disk write.
public struct LedgerCommit: Sendable {
    /// Durable progress of one open stream.
    public struct Progress: Hashable, Sendable {
        /// The reservation's id.
        public let reservationID: String
        /// Output tokens delivered so far.
        public let outputTokens: Int
        /// When they were counted.
        public let at: Date

        /// Creates a progress record.
        public init(reservationID: String, outputTokens: Int, at: Date) {
            self.reservationID = reservationID
            self.outputTokens = outputTokens
            self.at = at
        }
    }

    /// A finished stream: append its entry and drop its hold, or neither.
    public struct Settlement: Hashable, Sendable {
        /// The reservation being settled.
        public let reservationID: String
        /// The usage entry charging the actual cost (its `requestID` is the reservation id).
        public let entry: LedgerEntry

        /// Creates a settlement.
        public init(reservationID: String, entry: LedgerEntry) {
            self.reservationID = reservationID
            self.entry = entry
        }
    }

    /// Progress records, applied in order (a later one for the same stream wins).
    public var progress: [Progress] = []
    /// Reservations whose lease is renewed to `leaseExpiresAt`.
    public var renewals: [String] = []
    /// The lease expiry written with progress and renewals.
    public var leaseExpiresAt: Date
    /// Settlements.
    public var settlements: [Settlement] = []
    /// Holds dropped without an entry: admitted requests whose upstream never opened.
    public var releases: [String] = []

    /// Creates an empty commit renewing leases to `leaseExpiresAt`.
    public init(leaseExpiresAt: Date) {
        self.leaseExpiresAt = leaseExpiresAt
    }

    /// Whether the commit writes nothing.
    public var isEmpty: Bool { progress.isEmpty && renewals.isEmpty && settlements.isEmpty && releases.isEmpty }
}

/// What a group commit did with each settlement.
public struct LedgerCommitResult: Sendable, Equatable {
    /// Reservations settled by this commit.
    public var settled: Set<String> = []
    /// Reservations already gone (settled or reclaimed elsewhere): their entries were not written,
    /// so nothing is billed twice.
    public var alreadySettled: Set<String> = []

    /// Creates an empty result.
    public init() {}
}

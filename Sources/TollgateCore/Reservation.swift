/// The money held for one stream, and the only legal ways that hold can move.
///
/// A pure state machine: `handle(_:)` takes an event and returns the action its owner must carry
/// out (open upstream, cut the stream off, write the settlement). Final states accept no further
/// event, so a settlement can be produced exactly once whichever ending path arrives first.
///
///     reserved ──open──▶ streaming ──settle──▶ settled
///        │                  │  └─progress (may cut off)
///        ├──release──▶ released      (nothing streamed)
///        └──────expire──────┴──▶ expired  (lease lapsed: bill last durable progress)
public struct Reservation: Hashable, Sendable {
    /// Where the hold is in its life.
    public enum State: String, Hashable, Sendable, CaseIterable {
        /// Money is held; upstream not yet opened.
        case reserved
        /// Upstream is open and tokens are flowing.
        case streaming
        /// Final: actual cost charged, the rest released.
        case settled
        /// Final: nothing was streamed; the whole hold is released.
        case released
        /// Final: the lease lapsed (a crashed gateway); last durable progress charged.
        case expired

        /// Whether no event can move the reservation any more.
        public var isFinal: Bool { self == .settled || self == .released || self == .expired }
    }

    /// Something that happened to the stream.
    public enum Event: Hashable, Sendable {
        /// The upstream stream opened.
        case open
        /// The running cost of what has been delivered so far (monotonic).
        case progress(Money)
        /// The stream ended with this actual cost.
        case settle(Money)
        /// The stream ended before anything was delivered.
        case release
        /// The lease expired; settle from the last progress recorded.
        case expire
    }

    /// What the owner must do next.
    public enum Action: Hashable, Sendable {
        /// Open the upstream stream now that the money is held.
        case openUpstream
        /// Keep streaming.
        case proceed
        /// The running cost reached the cutoff: stop the stream and settle at `cost`.
        case cutOff(cost: Money)
        /// Write one settlement charging `charge` and release `released` of the hold.
        case settle(charge: Money, released: Money)
        /// The event is not legal in the current state; nothing may be written.
        case rejected(state: State, event: Event)
    }

    /// The amount held against the budget.
    public let held: Money
    /// The running cost at which the stream must be cut (the hold, or what a soft budget has left).
    public let cutoff: Money
    /// Current state.
    public private(set) var state: State = .reserved
    /// Cost of what has been delivered so far.
    public private(set) var consumed: Money

    /// Holds `held`; the stream is cut when its running cost reaches `cutoff` (defaults to `held`).
    public init(held: Money, cutoff: Money? = nil) {
        precondition(held.nanos >= 0, "a hold cannot be negative")
        self.held = held
        self.cutoff = cutoff ?? held
        self.consumed = .zero(held.currency)
        precondition(self.cutoff.currency == held.currency, "cutoff and hold share a currency")
    }

    /// Applies `event` and returns what to do.
    public mutating func handle(_ event: Event) -> Action {
        switch (state, event) {
        case (.reserved, .open):
            state = .streaming
            return .openUpstream
        case (.streaming, .progress(let cost)):
            if cost > consumed { consumed = cost }
            return consumed >= cutoff ? .cutOff(cost: consumed) : .proceed
        case (.reserved, .settle(let actual)), (.streaming, .settle(let actual)):
            state = .settled
            consumed = actual
            return settlement(charging: actual)
        case (.reserved, .release):
            state = .released
            return settlement(charging: .zero(held.currency))
        case (.reserved, .expire), (.streaming, .expire):
            state = .expired
            return settlement(charging: consumed)
        default:
            return .rejected(state: state, event: event)
        }
    }

    private func settlement(charging charge: Money) -> Action {
        let left = held - charge
        return .settle(charge: charge, released: left.nanos > 0 ? left : .zero(held.currency))
    }
}

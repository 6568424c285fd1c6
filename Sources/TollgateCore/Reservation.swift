/// The money held for one stream, and the only legal ways that hold can move.
///
/// A pure state machine: `handle(_:)` takes an event and returns the action its owner must carry
/// out (open upstream, ask the ledger for more, cut the stream off, write the settlement). Final
/// states accept no further event, so a settlement can be produced exactly once whichever ending
/// path arrives first.
///
///     reserved ──open──▶ streaming ──settle──▶ settled
///        │                  │  └─progress ─▶ extend ─▶ extended | extensionRefused (may cut off)
///        ├──release──▶ released      (nothing streamed)
///        └──────expire──────┴──▶ expired  (lease lapsed: bill last durable progress)
///
/// A stream is never cut for reaching its hold: once its running cost comes within `lead` of the
/// cutoff it asks for an extension without stopping, and only when its cost goes *past* the cutoff
/// does it wait for that answer. It is cut only when an extension asked for while it was already
/// past the cutoff is refused, i.e. when the team could not cover the next step at that instant.
/// A reservation made without a `lead` (a soft overrun: its cutoff is all the budget had left) is
/// cut as soon as its cost passes the cutoff.
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
        /// The ledger added `amount` to the hold (and to the cutoff).
        case extended(Money)
        /// The ledger refused the extension: the team's available money does not cover the step.
        case extensionRefused
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
        /// Ask the ledger for one more step of hold. With `wait`, the running cost is past the cutoff
        /// and nothing more may be delivered until the answer (`extended` or `extensionRefused`).
        case extend(wait: Bool)
        /// An extension is already being asked for and the running cost is past the cutoff: wait for it.
        case awaitExtension
        /// The team cannot cover the next step: stop the stream and settle at `cost`.
        case cutOff(cost: Money)
        /// Write one settlement charging `charge` and release `released` of the hold.
        case settle(charge: Money, released: Money)
        /// The event is not legal in the current state; nothing may be written.
        case rejected(state: State, event: Event)
    }

    /// Whether an extension is being asked for.
    public enum Extension: Hashable, Sendable {
        /// None asked for.
        case idle
        /// Asked for; `wait` when asked while the running cost was already past the cutoff.
        case pending(wait: Bool)
        /// The last ask ahead of the cutoff was refused: ask again only once the cutoff is passed.
        case declinedAhead
        /// An ask made past the cutoff was refused: the stream is cut.
        case refused
    }

    /// The amount held against the budget (grows with each extension).
    public private(set) var held: Money
    /// The running cost the stream may reach without a further extension (the hold, or what a
    /// soft budget has left).
    public private(set) var cutoff: Money
    /// How far ahead of the cutoff an extension is asked for; `nil` when the hold is never extended.
    public let lead: Money?
    /// Current state.
    public private(set) var state: State = .reserved
    /// Cost of what has been delivered so far.
    public private(set) var consumed: Money
    /// Whether an extension is in flight.
    public private(set) var extensionState: Extension = .idle
    /// How many extensions the ledger granted.
    public private(set) var extensions = 0

    /// Holds `held`; the cutoff defaults to `held`. With a `lead`, the hold is extended from
    /// `cutoff - lead` on instead of the stream being cut at the cutoff.
    public init(held: Money, cutoff: Money? = nil, lead: Money? = nil) {
        precondition(held.nanos >= 0, "a hold cannot be negative")
        self.held = held
        self.cutoff = cutoff ?? held
        self.lead = lead
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
            return afterProgress()
        case (.streaming, .extended(let amount)):
            guard case .pending = extensionState, amount.currency == held.currency, amount.nanos >= 0 else { break }
            held = held + amount
            cutoff = cutoff + amount
            extensions += 1
            extensionState = .idle
            return consumed > cutoff ? ask(wait: true) : .proceed
        case (.streaming, .extensionRefused):
            guard case .pending(let waited) = extensionState else { break }
            guard consumed > cutoff else {
                extensionState = .declinedAhead
                return .proceed
            }
            // Refused while ahead of the cutoff, but the stream has passed it since: ask again now,
            // so a cut always rests on a refusal decided while the stream was past its cutoff.
            guard waited else { return ask(wait: true) }
            extensionState = .refused
            return .cutOff(cost: consumed)
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
            break
        }
        return .rejected(state: state, event: event)
    }

    private mutating func afterProgress() -> Action {
        guard let lead else { return consumed > cutoff ? .cutOff(cost: consumed) : .proceed }
        if consumed > cutoff {
            switch extensionState {
            case .pending: return .awaitExtension
            case .refused: return .cutOff(cost: consumed)
            case .idle, .declinedAhead: return ask(wait: true)
            }
        }
        if extensionState == .idle, consumed >= cutoff - lead { return ask(wait: false) }
        return .proceed
    }

    private mutating func ask(wait: Bool) -> Action {
        extensionState = .pending(wait: wait)
        return .extend(wait: wait)
    }

    private func settlement(charging charge: Money) -> Action {
        let left = held - charge
        return .settle(charge: charge, released: left.nanos > 0 ? left : .zero(held.currency))
    }
}

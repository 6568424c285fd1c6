import Testing

@testable import TollgateCore

@Suite("Reservation state machine")
struct ReservationTests {
    let held = Money(nanos: 1000, .usd)
    func usd(_ nanos: Int64) -> Money { Money(nanos: nanos, .usd) }

    @Test("reserved → streaming → settled charges the actual cost and releases the rest")
    func happyPath() {
        var reservation = Reservation(held: held)
        #expect(reservation.handle(.open) == .openUpstream)
        #expect(reservation.handle(.progress(usd(300))) == .proceed)
        #expect(reservation.handle(.settle(usd(420))) == .settle(charge: usd(420), released: usd(580)))
        #expect(reservation.state == .settled)
    }

    @Test("without a lead, reaching the cutoff proceeds and passing it asks for a cut at the running cost")
    func cutoff() {
        var reservation = Reservation(held: held)
        _ = reservation.handle(.open)
        #expect(reservation.handle(.progress(usd(1000))) == .proceed)
        #expect(reservation.handle(.progress(usd(1001))) == .cutOff(cost: usd(1001)))
        #expect(reservation.state == .streaming)
    }

    @Test("a soft cutoff below the hold cuts earlier")
    func softCutoff() {
        var reservation = Reservation(held: held, cutoff: usd(400))
        _ = reservation.handle(.open)
        #expect(reservation.handle(.progress(usd(400))) == .proceed)
        #expect(reservation.handle(.progress(usd(401))) == .cutOff(cost: usd(401)))
    }

    @Test("within the lead an extension is asked for without stopping; a grant moves hold and cutoff")
    func extensionAhead() {
        var reservation = Reservation(held: held, lead: usd(200))
        _ = reservation.handle(.open)
        #expect(reservation.handle(.progress(usd(799))) == .proceed)
        #expect(reservation.handle(.progress(usd(800))) == .extend(wait: false))
        #expect(reservation.handle(.progress(usd(900))) == .proceed)
        #expect(reservation.handle(.extended(usd(250))) == .proceed)
        #expect(reservation.held == usd(1250))
        #expect(reservation.cutoff == usd(1250))
        #expect(reservation.extensions == 1)
        #expect(reservation.handle(.progress(usd(1100))) == .extend(wait: false))
        #expect(reservation.handle(.settle(usd(1150))) == .settle(charge: usd(1150), released: usd(100)))
    }

    @Test("past the cutoff the stream waits for the extension in flight, and proceeds once granted")
    func waitsPastCutoff() {
        var reservation = Reservation(held: held, lead: usd(200))
        _ = reservation.handle(.open)
        #expect(reservation.handle(.progress(usd(850))) == .extend(wait: false))
        #expect(reservation.handle(.progress(usd(1010))) == .awaitExtension)
        #expect(reservation.handle(.progress(usd(1020))) == .awaitExtension)
        #expect(reservation.handle(.extended(usd(250))) == .proceed)
    }

    @Test("a refusal ahead of the cutoff does not cut; passing the cutoff asks again and only that refusal cuts")
    func refusalCuts() {
        var reservation = Reservation(held: held, lead: usd(200))
        _ = reservation.handle(.open)
        #expect(reservation.handle(.progress(usd(900))) == .extend(wait: false))
        #expect(reservation.handle(.extensionRefused) == .proceed)
        #expect(reservation.extensionState == .declinedAhead)
        #expect(reservation.handle(.progress(usd(1000))) == .proceed)
        #expect(reservation.handle(.progress(usd(1001))) == .extend(wait: true))
        #expect(reservation.handle(.extensionRefused) == .cutOff(cost: usd(1001)))
        #expect(reservation.handle(.progress(usd(1001))) == .cutOff(cost: usd(1001)))
    }

    @Test("a refusal decided before the stream passed the cutoff is asked again before any cut")
    func staleRefusalAsksAgain() {
        var reservation = Reservation(held: held, lead: usd(200))
        _ = reservation.handle(.open)
        #expect(reservation.handle(.progress(usd(900))) == .extend(wait: false))
        #expect(reservation.handle(.progress(usd(1100))) == .awaitExtension)
        #expect(reservation.handle(.extensionRefused) == .extend(wait: true))
        #expect(reservation.handle(.extended(usd(50))) == .extend(wait: true))
        #expect(reservation.handle(.extended(usd(250))) == .proceed)
        #expect(reservation.held == usd(1300))
    }

    @Test("extension answers nobody asked for are rejected")
    func unaskedAnswers() {
        var reservation = Reservation(held: held, lead: usd(200))
        _ = reservation.handle(.open)
        #expect(reservation.handle(.extended(usd(5))) == .rejected(state: .streaming, event: .extended(usd(5))))
        #expect(reservation.handle(.extensionRefused) == .rejected(state: .streaming, event: .extensionRefused))
        #expect(reservation.held == held)
    }

    @Test("progress never goes backwards")
    func monotonicProgress() {
        var reservation = Reservation(held: held)
        _ = reservation.handle(.open)
        _ = reservation.handle(.progress(usd(500)))
        _ = reservation.handle(.progress(usd(100)))
        #expect(reservation.consumed == usd(500))
    }

    @Test("release before opening charges nothing")
    func release() {
        var reservation = Reservation(held: held)
        #expect(reservation.handle(.release) == .settle(charge: usd(0), released: held))
        #expect(reservation.state == .released)
    }

    @Test("expiry settles from the last durable progress, from streaming or reserved")
    func expiry() {
        var streaming = Reservation(held: held)
        _ = streaming.handle(.open)
        _ = streaming.handle(.progress(usd(250)))
        #expect(streaming.handle(.expire) == .settle(charge: usd(250), released: usd(750)))
        #expect(streaming.state == .expired)
        var reserved = Reservation(held: held)
        #expect(reserved.handle(.expire) == .settle(charge: usd(0), released: held))
    }

    @Test("an actual cost above the hold (soft budgets) releases nothing")
    func overrun() {
        var reservation = Reservation(held: held)
        _ = reservation.handle(.open)
        #expect(reservation.handle(.settle(usd(1500))) == .settle(charge: usd(1500), released: usd(0)))
    }

    @Test(
        "final states accept no event: a settlement happens exactly once",
        arguments: [Reservation.Event.open, .progress(Money(nanos: 1, .usd)), .settle(Money(nanos: 1, .usd)), .release, .expire]
    )
    func finalStatesAreFinal(_ event: Reservation.Event) {
        for ending in [Reservation.Event.settle(Money(nanos: 5, .usd)), .release, .expire] {
            var reservation = Reservation(held: held)
            if ending != .release { _ = reservation.handle(.open) }
            _ = reservation.handle(ending)
            #expect(reservation.state.isFinal)
            let state = reservation.state
            #expect(reservation.handle(event) == .rejected(state: state, event: event))
            #expect(reservation.state == state)
        }
    }

    @Test("illegal moves from live states are rejected")
    func illegalLiveMoves() {
        var reserved = Reservation(held: held)
        #expect(reserved.handle(.progress(usd(1))) == .rejected(state: .reserved, event: .progress(usd(1))))
        var streaming = Reservation(held: held)
        _ = streaming.handle(.open)
        #expect(streaming.handle(.open) == .rejected(state: .streaming, event: .open))
        #expect(streaming.handle(.release) == .rejected(state: .streaming, event: .release))
    }
}

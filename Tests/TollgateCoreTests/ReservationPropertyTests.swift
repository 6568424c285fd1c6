import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// Random interleavings of admissions, progress, extensions and settlements on one team, with the
/// ledger modelled as a budget, a settled spend and the open holds — the numbers an admission
/// transaction reads. A token costs one nano, so amounts read as token counts.
@Suite("Reservation extensions, property-tested")
struct ReservationPropertyTests {
    struct Stream {
        var reservation: Reservation
        let prompt: Int
        let maxTokens: Int
        /// What the upstream will deliver: `maxTokens`, fewer, or a few more (a drifting count).
        let finalTokens: Int
        var delivered = 0
        var pendingAnswer = false
        var waiting = false
        var cut = false
    }

    struct Team {
        let budget: Int64
        var spent: Int64 = 0
        var streams: [Int: Stream] = [:]
        var nextID = 0
        var held: Int64 { streams.values.reduce(0) { $0 + $1.reservation.held.nanos } }

        var status: BudgetStatus {
            BudgetStatus(limit: usd(budget), spent: usd(spent), reserved: usd(held), window: PeriodWindow(start: .distantPast, end: nil))
        }
    }

    static func usd(_ nanos: Int64) -> Money { Money(nanos: nanos, .usd) }
    static func usd(_ tokens: Int) -> Money { Money(nanos: Int64(tokens), .usd) }

    @Test(
        "spend + holds ≤ budget; cuts only when the team can't cover the step; finishing at max_tokens is never cut",
    )
    func interleavings() throws {
        var cuts = 0
        var extensions = 0
        for seed in 0..<300 { try run(seed: seed, cuts: &cuts, extensions: &extensions) }
        // The interleavings exercised both endings of an extension, so the checks above were reached.
        #expect(cuts > 0)
        #expect(extensions > 0)
    }

    func run(seed: Int, cuts: inout Int, extensions: inout Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) &+ 0x5EED)
        var team = Team(budget: Int64(Int.random(in: 200...5_000, using: &random)))
        for _ in 0..<600 {
            switch Int.random(in: 0...9, using: &random) {
            case 0...1:
                admit(&team, &random)
            case 2...6:
                guard let id = team.streams.keys.randomElement(using: &random) else { continue }
                try advance(id, in: &team, &random, cuts: &cuts)
            case 7...8:
                let asking = team.streams.filter { $0.value.pendingAnswer }.map(\.key)
                guard let id = asking.randomElement(using: &random) else { continue }
                try answer(id, in: &team, cuts: &cuts, extensions: &extensions)
            default:
                let done = team.streams.filter { $0.value.cut || ($0.value.delivered == $0.value.finalTokens && !$0.value.pendingAnswer) }
                guard let id = done.randomElement(using: &random)?.key else { continue }
                settle(id, in: &team)
            }
            #expect(team.spent + team.held <= team.budget, "spend + holds exceeded the budget (seed \(seed))")
        }
    }

    func admit(_ team: inout Team, _ random: inout SeededGenerator) {
        let prompt = Int.random(in: 1...40, using: &random)
        let maxTokens = Int.random(in: 1...300, using: &random)
        let worst = Int64(prompt + maxTokens)
        let status = team.status
        guard Self.usd(worst) <= status.available else { return }
        let steps = HoldExtension(firstHeldOutputTokens: maxTokens)
        var reservation = Reservation(held: Self.usd(worst), lead: Self.usd(steps.leadTokens))
        #expect(reservation.handle(.open) == .openUpstream)
        // The prompt is the first progress; an extension asked that early is answered like any other.
        let first = reservation.handle(.progress(Self.usd(prompt)))
        let final: Int
        switch Int.random(in: 0...3, using: &random) {
        case 0: final = maxTokens
        case 1: final = maxTokens + Int.random(in: 1...8, using: &random)
        default: final = Int.random(in: 0...maxTokens, using: &random)
        }
        var stream = Stream(reservation: reservation, prompt: prompt, maxTokens: maxTokens, finalTokens: final)
        stream.pendingAnswer = first == .extend(wait: false)
        #expect(first == .proceed || first == .extend(wait: false))
        team.streams[team.nextID] = stream
        team.nextID += 1
    }

    func advance(_ id: Int, in team: inout Team, _ random: inout SeededGenerator, cuts: inout Int) throws {
        guard var stream = team.streams[id], !stream.cut, !stream.waiting, stream.delivered < stream.finalTokens else { return }
        let next = min(stream.finalTokens, stream.delivered + Int.random(in: 1...12, using: &random))
        let action = stream.reservation.handle(.progress(Self.usd(stream.prompt + next)))
        stream.delivered = next
        switch action {
        case .proceed: break
        case .extend(let wait):
            stream.pendingAnswer = true
            stream.waiting = wait
        case .awaitExtension:
            stream.waiting = true
        case .cutOff:
            Issue.record("a stream was cut without a refused extension")
        default:
            Issue.record("unexpected \(action) on progress")
        }
        if stream.finalTokens <= stream.maxTokens {
            #expect(!stream.waiting, "a stream within max_tokens was held back at its hold")
        }
        team.streams[id] = stream
    }

    /// The ledger answers the oldest question: grants the step if the team's available money
    /// covers it, exactly as `HoldExtension.decide` runs inside the admission transaction.
    func answer(_ id: Int, in team: inout Team, cuts: inout Int, extensions: inout Int) throws {
        guard var stream = team.streams[id] else { return }
        let steps = HoldExtension(firstHeldOutputTokens: stream.maxTokens)
        let amount = Self.usd(steps.stepTokens)
        let status = team.status
        let decision = HoldExtension.decide(amount: amount, targetOutputTokens: 0, status: status)
        var action = stream.reservation.handle(decision.hold != nil ? .extended(amount) : .extensionRefused)
        team.streams[id] = stream
        stream.pendingAnswer = false
        stream.waiting = false
        if decision.hold != nil { extensions += 1 }
        while true {
            switch action {
            case .proceed:
                team.streams[id] = stream
                return
            case .extend(let wait):
                stream.pendingAnswer = true
                stream.waiting = wait
                team.streams[id] = stream
                return
            case .cutOff:
                #expect(status.available < amount, "cut while the team could cover the next step")
                #expect(stream.finalTokens > stream.maxTokens, "a stream within max_tokens was cut")
                stream.cut = true
                cuts += 1
                team.streams[id] = stream
                return
            default:
                Issue.record("unexpected \(action) after an answer")
                action = .proceed
            }
        }
    }

    func settle(_ id: Int, in team: inout Team) {
        guard var stream = team.streams.removeValue(forKey: id) else { return }
        // A cut stream delivered up to its cutoff: the metering layer keeps only the prefix that fits.
        let charge = stream.cut ? stream.reservation.cutoff : stream.reservation.consumed
        guard case .settle(let charged, _) = stream.reservation.handle(.settle(charge)) else {
            Issue.record("settlement refused")
            return
        }
        #expect(charged <= stream.reservation.held, "a settlement charged more than its hold")
        team.spent += charged.nanos
    }
}

import Foundation
import Testing
import TollgateCore

@testable import TollgateStorage

@Suite("Reservations, on each engine")
struct ReservationStoreTests {
    static let gpt = AdmissionRequest(
        price: try! Fixtures.pricing.price(of: "gpt-4.1", in: .relay, at: Fixtures.now).price,
        relayRate: FXRate(cnyPerUSD: 1_000_000_000),
        prompt: try! TokenUsage(inputTokens: 1000, outputTokens: 0),
        maxOutputTokens: 1000
    )

    static func draft(_ id: String, team: Int64, lease: TimeInterval = 30) -> ReservationDraft {
        ReservationDraft(
            id: id,
            teamID: team,
            keyID: nil,
            model: "gpt-4.1",
            priceVersion: "2025-10-01",
            fxVersion: "fx-2025-10-01",
            prompt: gpt.prompt,
            tokenSource: .tokenizer,
            occurredAt: Fixtures.now,
            leaseExpiresAt: Fixtures.now.addingTimeInterval(lease)
        )
    }

    static let decide: @Sendable (Team, BudgetStatus) throws -> AdmissionDecision = { team, status in
        Admission.decide(gpt, status: status, policy: team.budget.onExhausted)
    }

    static func settlement(_ id: String, team: Int64, output: Int) throws -> LedgerCommit.Settlement {
        var usage = gpt.prompt
        usage.outputTokens = output
        let entry = LedgerEntry.usage(
            teamID: team,
            requestID: id,
            model: "gpt-4.1",
            usage: usage,
            valuation: try Fixtures.pricing.valuation(of: usage, model: "gpt-4.1", at: Fixtures.now),
            tokenSource: .tokenizer,
            outcome: "completed",
            occurredAt: Fixtures.now,
            recordedAt: Fixtures.now,
            admission: "admitted"
        )
        return .init(reservationID: id, entry: entry)
    }

    @Test("concurrent reservations never hold more than the budget: 200 racers, room for 20", arguments: Engine.available)
    func atomicUnderConcurrency(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        // Each worst case is ¥0.01; the budget fits exactly 20 of them.
        let team = try await store.createTeam(name: "race", budget: try Fixtures.budget("0.2"), at: Fixtures.now)
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask { try await store.reserve(Self.draft("r\(index)", team: team.id), decide: Self.decide).decision.hold != nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 20)
        #expect(try await store.reserved(teamID: team.id, currency: .cny).decimalString == "0.20")
        #expect(try await store.openReservations(teamID: team.id).count == 20)
    }

    @Test("a reservation whose id is already held fails alone; the requests admitted with it keep their holds", arguments: Engine.available)
    func takenIDFailsAlone(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "ids", budget: try Fixtures.budget("100"), at: Fixtures.now)
        _ = try await store.reserve(Self.draft("taken", team: team.id), decide: Self.decide)
        // Racing requests share admission batches; two reuse the taken id.
        let ids = (0..<30).map { $0 == 7 || $0 == 21 ? "taken" : "fresh-\($0)" }
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for id in ids {
                group.addTask { (id, (try? await store.reserve(Self.draft(id, team: team.id), decide: Self.decide)) != nil) }
            }
            return await group.reduce(into: [String: [Bool]]()) { $0[$1.0, default: []].append($1.1) }
        }
        #expect(outcomes["taken"] == [false, false])
        #expect(outcomes.filter { $0.key != "taken" }.allSatisfy { $0.value == [true] })
        #expect(try await store.openReservations(teamID: team.id).count == 29)
        #expect(try await store.reserved(teamID: team.id, currency: .cny).decimalString == "0.29")
        let again = await #expect(throws: LedgerError.self) { try await store.reserve(Self.draft("taken", team: team.id), decide: Self.decide) }
        #expect(again?.code == .rejected)
        #expect(again?.description.contains("'taken' already exists") == true)
    }

    @Test("a grant reports the status it decided on; rejections hold nothing", arguments: Engine.available)
    func grantAndRejection(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("0.015"), at: Fixtures.now)
        let first = try await store.reserve(Self.draft("a", team: team.id), decide: Self.decide)
        #expect(first.decision.name == "admitted")
        #expect(first.status.available.decimalString == "0.015")
        let second = try await store.reserve(Self.draft("b", team: team.id), decide: Self.decide)
        #expect(second.decision == .rejected(available: Money(nanos: 5_000_000, .cny), needed: Money(nanos: 10_000_000, .cny)))
        #expect(try await store.openReservations(teamID: nil).map(\.draft.id) == ["a"])
    }

    @Test("settling appends the entry and releases the hold, in one commit with progress", arguments: Engine.available)
    func settle(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        _ = try await store.reserve(Self.draft("a", team: team.id), decide: Self.decide)
        _ = try await store.reserve(Self.draft("b", team: team.id), decide: Self.decide)
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        batch.progress = [
            .init(reservationID: "b", outputTokens: 40, at: Fixtures.now), .init(reservationID: "b", outputTokens: 30, at: Fixtures.now),
        ]
        batch.settlements = [try Self.settlement("a", team: team.id, output: 250)]
        let result = try await store.commit(batch)
        #expect(result.settled == ["a"])
        let open = try await store.openReservations(teamID: team.id)
        #expect(open.map(\.draft.id) == ["b"])
        #expect(open.first?.outputTokens == 40)  // progress never goes backwards
        #expect(open.first?.state == .streaming)
        #expect(open.first?.leaseExpiresAt == Fixtures.now.addingTimeInterval(60))
        #expect(try await store.reserved(teamID: team.id, currency: .cny).decimalString == "0.01")
        #expect(try await store.spend(teamID: team.id, currency: .cny, in: team.budget.window(at: Fixtures.now)).decimalString == "0.004")
    }

    @Test("expired holds are reclaimed from their last progress, and a late settlement then writes nothing", arguments: Engine.available)
    func reclaim(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        _ = try await store.reserve(Self.draft("dead", team: team.id, lease: 5), decide: Self.decide)
        _ = try await store.reserve(Self.draft("alive", team: team.id, lease: 500), decide: Self.decide)
        var progress = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(5))
        progress.progress = [.init(reservationID: "dead", outputTokens: 120, at: Fixtures.now)]
        _ = try await store.commit(progress)
        let reclaimed = try await store.reclaimExpired(at: Fixtures.now.addingTimeInterval(10)) { open in
            LedgerEntry.usage(
                teamID: open.draft.teamID,
                requestID: open.draft.id,
                model: open.draft.model,
                usage: open.usageSoFar,
                valuation: try Fixtures.pricing.valuation(of: open.usageSoFar, model: open.draft.model, at: open.draft.occurredAt),
                tokenSource: open.draft.tokenSource,
                outcome: "reclaimed",
                occurredAt: open.draft.occurredAt,
                recordedAt: Fixtures.now
            )
        }
        #expect(reclaimed.map(\.requestID) == ["dead"])
        #expect(reclaimed.first?.usage.outputTokens == 120)
        #expect(try await store.openReservations(teamID: nil).map(\.draft.id) == ["alive"])

        var late = LedgerCommit(leaseExpiresAt: Fixtures.now)
        late.settlements = [try Self.settlement("dead", team: team.id, output: 300)]
        let result = try await store.commit(late)
        #expect(result.alreadySettled == ["dead"])
        #expect(try await store.entryCount() == 1)
    }

    @Test(
        "a hold's cache-write prompt parts survive the store, so a reclaimed Anthropic stream is billed at the write prices it was held at",
        arguments: Engine.available
    )
    func reclaimKeepsCacheWrites(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        let prompt = try TokenUsage(inputTokens: 1000, cachedInputTokens: 50, cacheWrite5mTokens: 600, cacheWrite1hTokens: 300, outputTokens: 0)
        var draft = Self.draft("cached", team: team.id, lease: 5)
        draft = ReservationDraft(
            id: draft.id,
            teamID: draft.teamID,
            keyID: nil,
            model: "claude-sonnet-4.5",
            priceVersion: draft.priceVersion,
            fxVersion: draft.fxVersion,
            prompt: prompt,
            tokenSource: .tokenizer,
            occurredAt: Fixtures.now,
            leaseExpiresAt: draft.leaseExpiresAt
        )
        _ = try await store.reserve(draft, decide: Self.decide)
        #expect(try await store.openReservations(teamID: team.id).first?.draft.prompt == prompt)
        var progress = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(5))
        progress.progress = [.init(reservationID: "cached", outputTokens: 7, at: Fixtures.now)]
        _ = try await store.commit(progress)
        let reclaimed = try await store.reclaimExpired(at: Fixtures.now.addingTimeInterval(10)) { open in
            LedgerEntry.usage(
                teamID: open.draft.teamID,
                requestID: open.draft.id,
                model: open.draft.model,
                usage: open.usageSoFar,
                valuation: try Fixtures.pricing.valuation(of: open.usageSoFar, model: open.draft.model, at: open.draft.occurredAt),
                tokenSource: open.draft.tokenSource,
                outcome: "reclaimed",
                occurredAt: open.draft.occurredAt,
                recordedAt: Fixtures.now
            )
        }
        let entry = try #require(reclaimed.first)
        #expect(
            entry.usage
                == (try TokenUsage(inputTokens: 1000, cachedInputTokens: 50, cacheWrite5mTokens: 600, cacheWrite1hTokens: 300, outputTokens: 7))
        )
        // $3 × 50 uncached + $0.30 × 50 read + $3.75 × 600 + $6 × 300 + $15 × 7 per MTok.
        #expect(entry.chargeUSD.nanos == 50 * 3_000 + 50 * 300 + 600 * 3_750 + 300 * 6_000 + 7 * 15_000)
        let stored = try await store.entries(teamID: team.id, from: nil, to: nil, limit: 10)
        #expect(stored.first?.usage == entry.usage)
    }

    @Test("a disabled team's reservation is still decided by the caller; unknown teams are refused", arguments: Engine.available)
    func unknownTeam(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        await #expect(throws: BudgetError.self) { try await store.reserve(Self.draft("x", team: 99), decide: Self.decide) }
    }
}

import Testing

@testable import TollgateCore

@Suite("Admission decisions")
struct AdmissionTests {
    // gpt-4.1: $2 in, $8 out per MTok; relay ¥1 = $1.
    let request = AdmissionRequest(
        price: ModelPrice(inputPerMillion: 2_000_000_000, cachedInputPerMillion: 500_000_000, outputPerMillion: 8_000_000_000),
        relayRate: FXRate(cnyPerUSD: 1_000_000_000),
        prompt: try! TokenUsage(inputTokens: 1000, outputTokens: 0),
        maxOutputTokens: 1000,
        minimumClampTokens: 16
    )

    func status(limit: String, spent: String = "0", reserved: String = "0", _ currency: Currency = .cny) throws -> BudgetStatus {
        BudgetStatus(
            limit: try Money(parsing: limit, currency),
            spent: try Money(parsing: spent, currency),
            reserved: try Money(parsing: reserved, currency),
            window: PeriodWindow(start: .distantPast, end: nil)
        )
    }

    @Test("the worst case is prompt × input + max_tokens × output")
    func worstCase() {
        #expect(request.worstCase(in: .usd).decimalString == "0.01")  // 0.002 + 0.008
        #expect(request.worstCase(in: .cny).decimalString == "0.01")
    }

    @Test("a worst case that fits is admitted whatever the policy", arguments: ExhaustionPolicy.allCases)
    func fits(_ policy: ExhaustionPolicy) throws {
        let decision = Admission.decide(request, status: try status(limit: "1"), policy: policy)
        #expect(decision == .admitted(hold: Money(nanos: 10_000_000, .cny), maxOutputTokens: 1000))
        #expect(decision.cutoff == decision.hold)
    }

    @Test("exactly fitting is admitted; one nano short is not")
    func exactFit() throws {
        #expect(Admission.decide(request, status: try status(limit: "0.01"), policy: .reject).name == "admitted")
        #expect(Admission.decide(request, status: try status(limit: "0.010000001", spent: "0.000000002"), policy: .reject).name == "rejected")
    }

    @Test("reject reports what is available and what was needed; reservations count as spent")
    func reject() throws {
        let decision = Admission.decide(request, status: try status(limit: "1", spent: "0.5", reserved: "0.495"), policy: .reject)
        #expect(decision == .rejected(available: Money(nanos: 5_000_000, .cny), needed: Money(nanos: 10_000_000, .cny)))
        #expect(decision.hold == nil)
    }

    @Test("clamp lowers max_tokens to the most the budget affords, never over it")
    func clamp() throws {
        // ¥0.006 left: prompt costs 0.002, leaving 0.004 → 500 output tokens at $8/MTok.
        let decision = Admission.decide(request, status: try status(limit: "0.006"), policy: .clamp)
        #expect(decision == .clamped(hold: Money(nanos: 6_000_000, .cny), maxOutputTokens: 500, requested: 1000))
    }

    @Test("clamp below the minimum is refused")
    func clampTooSmall() throws {
        let decision = Admission.decide(request, status: try status(limit: "0.00201"), policy: .clamp)
        #expect(decision.name == "rejected")
    }

    @Test("clamp with conversion rounding never holds more than available", arguments: ["0.0030001", "0.0047777", "0.0099999", "0.005123456"])
    func clampRounding(_ limit: String) throws {
        let odd = AdmissionRequest(
            price: request.price,
            relayRate: FXRate(cnyPerUSD: 7_300_000_000),
            prompt: request.prompt,
            maxOutputTokens: 100_000
        )
        let status = try status(limit: limit)
        let decision = Admission.decide(odd, status: status, policy: .clamp)
        if let hold = decision.hold {
            #expect(hold <= status.available)
            let tokens = try #require(decision.maxOutputTokens)
            #expect(odd.worstCase(in: .cny, outputTokens: tokens + 1) > status.available)
        }
    }

    @Test("soft admits past the budget, records the overrun and cuts at what was left")
    func soft() throws {
        let decision = Admission.decide(request, status: try status(limit: "0.004"), policy: .soft)
        #expect(
            decision
                == .softOverrun(
                    hold: Money(nanos: 10_000_000, .cny),
                    maxOutputTokens: 1000,
                    cutoff: Money(nanos: 4_000_000, .cny),
                    overrun: Money(nanos: 6_000_000, .cny)
                )
        )
        #expect(decision.cutoff == Money(nanos: 4_000_000, .cny))
    }

    @Test("soft with nothing left is refused")
    func softExhausted() throws {
        #expect(Admission.decide(request, status: try status(limit: "1", spent: "1"), policy: .soft).name == "rejected")
        #expect(Admission.decide(request, status: try status(limit: "0.002"), policy: .soft).name == "rejected")
    }

    @Test("a USD budget is charged list USD")
    func usdBudget() throws {
        let cny = AdmissionRequest(price: request.price, relayRate: FXRate(cnyPerUSD: 7_300_000_000), prompt: request.prompt, maxOutputTokens: 1000)
        #expect(Admission.decide(cny, status: try status(limit: "0.01", .usd), policy: .reject).name == "admitted")
        #expect(Admission.decide(cny, status: try status(limit: "0.01", .cny), policy: .reject).name == "rejected")
    }
}

import Testing
import TollgateTestSupport

@testable import TollgateCore

@Suite("Expected output and hold sizes")
struct ExpectedOutputTests {
    // gpt-4.1: $2 in, $8 out per MTok; relay ¥1 = $1.
    static func request(maxTokens: Int, expected: Int? = nil) -> AdmissionRequest {
        AdmissionRequest(
            price: ModelPrice(inputPerMillion: 2_000_000_000, cachedInputPerMillion: 500_000_000, outputPerMillion: 8_000_000_000),
            relayRate: FXRate(cnyPerUSD: 1_000_000_000),
            prompt: try! TokenUsage(inputTokens: 1000, outputTokens: 0),
            maxOutputTokens: maxTokens,
            minimumClampTokens: 16,
            expectedOutputTokens: expected
        )
    }

    static func status(limit: String, reserved: String = "0") throws -> BudgetStatus {
        BudgetStatus(
            limit: try Money(parsing: limit, .cny),
            spent: .zero(.cny),
            reserved: try Money(parsing: reserved, .cny),
            window: PeriodWindow(start: .distantPast, end: nil)
        )
    }

    /// The nearest-rank p95 by its definition: the smallest sample with at least 95 % of all at or below it.
    static func definitionP95(_ samples: [Int]) -> Int {
        samples.sorted().first { value in 100 * samples.filter { $0 <= value }.count >= 95 * samples.count }!
    }

    @Test("p95 by nearest rank on small and round sizes")
    func p95Examples() {
        #expect(ExpectedOutput.p95([]) == nil)
        #expect(ExpectedOutput.p95([7]) == 7)
        #expect(ExpectedOutput.p95([3, 1, 2]) == 3)
        #expect(ExpectedOutput.p95(Array(1...20)) == 19)
        #expect(ExpectedOutput.p95(Array((1...100).reversed())) == 95)
        #expect(ExpectedOutput.p95(Array(1...200)) == 190)
        #expect(ExpectedOutput.p95(Array(1...21)) == 20)
        #expect(ExpectedOutput.p95(Array(repeating: 40, count: 50)) == 40)
    }

    @Test("p95 matches its definition for every size from 1 to 250, over random samples")
    func p95Definition() {
        var random = SeededGenerator(seed: 16)
        for count in 1...250 {
            let samples = (0..<count).map { _ in Int(random.next() % 5000) }
            #expect(ExpectedOutput.p95(samples) == Self.definitionP95(samples), "\(count) samples")
        }
    }

    @Test("fewer than 20 samples expect nothing; 20 do")
    func minimumSamples() {
        #expect(ExpectedOutput.tokens(recentOutputs: Array(repeating: 500, count: 19)) == nil)
        #expect(ExpectedOutput.tokens(recentOutputs: Array(repeating: 500, count: 20)) == 500)
        #expect(ExpectedOutput.tokens(recentOutputs: []) == nil)
    }

    @Test("the floor: short answers expect 256 tokens")
    func floor() {
        #expect(ExpectedOutput.floorTokens == 256)
        #expect(ExpectedOutput.tokens(recentOutputs: Array(repeating: 12, count: 40)) == 256)
        #expect(ExpectedOutput.tokens(recentOutputs: Array(repeating: 0, count: 40)) == 256)
        #expect(ExpectedOutput.tokens(recentOutputs: Array(repeating: 257, count: 40)) == 257)
    }

    @Test("only the newest 200 samples count")
    func window() {
        // 200 recent short answers, then 1,000 old long ones: the old ones are out of the window.
        let samples = Array(repeating: 300, count: 200) + Array(repeating: 9000, count: 1000)
        #expect(ExpectedOutput.tokens(recentOutputs: samples) == 300)
        // 190 short, 10 long within the window: the p95 is still short; one more long one moves it.
        #expect(ExpectedOutput.tokens(recentOutputs: Array(repeating: 300, count: 190) + Array(repeating: 9000, count: 10)) == 300)
        #expect(ExpectedOutput.tokens(recentOutputs: Array(repeating: 300, count: 189) + Array(repeating: 9000, count: 11)) == 9000)
    }

    @Test("a negative sample counts as zero")
    func negative() {
        #expect(ExpectedOutput.tokens(recentOutputs: Array(repeating: -5, count: 30)) == 256)
    }

    @Test(
        "held output: worst-case is max_tokens; expected is the p95, capped by max_tokens, worst case without samples",
        arguments: [16, 255, 256, 1000, 32_768]
    )
    func heldOutput(maxTokens: Int) {
        let samples = (1...100).map { $0 * 10 }  // p95 = 950
        #expect(ExpectedOutput.heldOutputTokens(policy: .worstCase, recentOutputs: samples, maxOutputTokens: maxTokens) == maxTokens)
        #expect(ExpectedOutput.heldOutputTokens(policy: .expected, recentOutputs: samples, maxOutputTokens: maxTokens) == min(950, maxTokens))
        #expect(ExpectedOutput.heldOutputTokens(policy: .expected, recentOutputs: Array(samples.prefix(19)), maxOutputTokens: maxTokens) == maxTokens)
        #expect(ExpectedOutput.heldOutputTokens(policy: .expected, recentOutputs: [], maxOutputTokens: maxTokens) == maxTokens)
    }

    @Test("exhaustively over sample sets and max_tokens: held ≤ max_tokens, ≥ min(floor, max_tokens), worst case below 20 samples")
    func heldBounds() {
        var random = SeededGenerator(seed: 1616)
        for _ in 0..<2000 {
            let count = Int(random.next() % 260)
            let samples = (0..<count).map { _ in Int(random.next() % 40_000) }
            let maxTokens = Int(random.next() % 40_000)
            let held = ExpectedOutput.heldOutputTokens(policy: .expected, recentOutputs: samples, maxOutputTokens: maxTokens)
            #expect(held <= maxTokens)
            if count < 20 {
                #expect(held == maxTokens)
            } else {
                let window = Array(samples.prefix(200))
                #expect(held == min(max(Self.definitionP95(window), 256), maxTokens))
                #expect(held >= min(256, maxTokens))
            }
        }
    }

    @Test("admission under an expected output holds prompt + expected, keeps max_tokens for the upstream")
    func admissionHoldsExpected() throws {
        let request = Self.request(maxTokens: 1000, expected: 300)
        #expect(request.heldOutputTokens == 300)
        let decision = Admission.decide(request, status: try Self.status(limit: "1"), policy: .reject)
        // 0.002 prompt + 300 × 0.000008.
        #expect(decision == .admitted(hold: try Money(parsing: "0.0044", .cny), maxOutputTokens: 1000))
    }

    @Test("an expected output above max_tokens holds max_tokens")
    func expectedCapped() throws {
        let request = Self.request(maxTokens: 100, expected: 5000)
        #expect(request.heldOutputTokens == 100)
        #expect(request.hold(in: .cny) == request.worstCase(in: .cny))
    }

    @Test("a refusal under expected names the expected hold as needed; busy logic sees the smaller amount")
    func refusedExpected() throws {
        let request = Self.request(maxTokens: 1000, expected: 300)
        let decision = Admission.decide(request, status: try Self.status(limit: "0.004"), policy: .reject)
        #expect(decision == .rejected(available: try Money(parsing: "0.004", .cny), needed: try Money(parsing: "0.0044", .cny)))
    }

    @Test("a budget that fits the expected hold but not the worst case admits under expected, refuses under worst-case")
    func expectedFitsMore() throws {
        let status = try Self.status(limit: "0.005")
        #expect(Admission.decide(Self.request(maxTokens: 1000), status: status, policy: .reject).name == "rejected")
        #expect(Admission.decide(Self.request(maxTokens: 1000, expected: 300), status: status, policy: .reject).name == "admitted")
    }

    @Test("clamp and soft under expected: clamp lowers max_tokens below the expected hold; soft cuts at what is left")
    func otherPolicies() throws {
        let request = Self.request(maxTokens: 1000, expected: 300)
        // ¥0.003 left: the prompt costs 0.002, leaving 125 output tokens.
        let clamped = Admission.decide(request, status: try Self.status(limit: "0.003"), policy: .clamp)
        #expect(clamped == .clamped(hold: try Money(parsing: "0.003", .cny), maxOutputTokens: 125, requested: 1000))
        let soft = Admission.decide(request, status: try Self.status(limit: "0.003"), policy: .soft)
        #expect(
            soft
                == .softOverrun(
                    hold: try Money(parsing: "0.0044", .cny),
                    maxOutputTokens: 1000,
                    cutoff: try Money(parsing: "0.003", .cny),
                    overrun: try Money(parsing: "0.0014", .cny)
                )
        )
    }

    @Test("hold policy names parse case-insensitively; a bad one names the allowed values")
    func policyNames() throws {
        #expect(try HoldPolicy(name: "worst-case") == .worstCase)
        #expect(try HoldPolicy(name: "Expected") == .expected)
        let error = #expect(throws: BudgetError.self) { try HoldPolicy(name: "p95") }
        #expect(error?.code == .invalidInput)
        #expect(error?.description == "unknown hold policy 'p95': use one of worst-case, expected")
    }

    @Test("a budget holds the worst case unless told otherwise")
    func budgetDefault() throws {
        #expect(try Budget(limit: Money(parsing: "1", .usd), period: .monthly).hold == .worstCase)
        #expect(try Budget(limit: Money(parsing: "1", .usd), period: .monthly, hold: .expected).hold == .expected)
    }
}

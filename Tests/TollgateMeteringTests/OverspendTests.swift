import Foundation
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateStreaming

@testable import TollgateMetering

@Suite("No overspend under concurrency")
struct OverspendTests {
    @Test("1,000 concurrent streams on a budget that fits ~100 worst cases: spend ≤ budget, admitted streams complete, nothing reserved at rest")
    func thousandStreams() async throws {
        let request = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 32)
        // Worst case ≈ (prompt ~35 × $2 + 32 × $8) per million ≈ ¥0.000326; budget for about 100.
        try await MeteredHarness.run(budget: "0.0326", simulator: .init(outputTokens: 32)) { harness async throws in
            let client = harness.client()
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<1000 {
                    group.addTask {
                        do {
                            let result = await collect(try await client.stream(teamID: harness.team.id, keyID: nil, request: request))
                            if let error = result.error { return "failed: \(error)" }
                            return result.summary?.outcome.rawValue ?? "unsettled"
                        } catch let error as MeteringError where error.code == .exhausted || error.code == .busy {
                            // budget_busy is as truthful as budget_exceeded: on a loaded machine the
                            // holds in flight may outlast the admission wait.
                            return "refused"
                        }
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            let admitted = outcomes["completed", default: 0]
            #expect(admitted + outcomes["refused", default: 0] == 1000, "outcomes: \(outcomes)")
            #expect(admitted >= 100)
            let spent = try await harness.ledger.spend(teamID: harness.team.id, currency: .cny, in: harness.team.budget.window(at: Date()))
            #expect(spent <= harness.team.budget.limit)
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .cny) == .zero(.cny))
            #expect(try await harness.entries().count == admitted)
            #expect(try await harness.ledger.verifyRollup(from: nil, to: nil).matches)
        }
    }
}

import Foundation
import Testing
import TollgateCore

@testable import TollgateGateway

/// The issue's burst under `--hold expected`, through the gateway with the official OpenAI SDK.
@Suite(
    "Expected holds through the gateway",
    .enabled(if: PythonClient.openAIReady, "python3 with the openai package is required: pip install openai")
)
struct ExpectedBurstGatewayTests {
    @Test("the burst under expected: 300 concurrent max_tokens 1000 streams with short outputs on $1, no 402 or 429, all complete; spent ≤ $1")
    func burst() async throws {
        try await GatewayHarness.run { harness in
            var budget = try Budget(limit: Money(parsing: "1", .usd), period: .monthly)
            budget.hold = .expected
            let team = try await harness.admin.createTeam(name: "burst", budget: budget)
            // The team's history: 40 short gpt-4.1 answers, so its expected output is the 256-token floor.
            let now = Date()
            let usage = try TokenUsage(inputTokens: 20, outputTokens: 40)
            let valuation = try harness.admin.pricing.valuation(of: usage, model: "gpt-4.1", at: now)
            try await harness.ledger.append(
                (0..<40).map { index in
                    .usage(
                        teamID: team.id,
                        requestID: "seed-\(index)",
                        model: "gpt-4.1",
                        usage: usage,
                        valuation: valuation,
                        tokenSource: .tokenizer,
                        outcome: "completed",
                        occurredAt: now.addingTimeInterval(-Double(index) - 1),
                        recordedAt: now
                    )
                }
            )
            let key = try await harness.admin.createKey(team: "burst", label: "tests").secret
            let result = try await PythonClient.runOffPool([
                "python3", PythonClient.scripts.appendingPathComponent("openai_burst.py").path,
                "--base-url", "\(harness.base)/v1", "--key", key, "--streams", "300", "--max-tokens", "1000",
            ])
            print("burst (expected holds): \(result.stdout)")
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains(#""completed": 300"#), "\(result.stdout)")
            #expect(result.stdout.contains(#""errors": {}"#), "\(result.stdout)")
            // The SDK retries a 429 unseen: the gateway's own count shows no admission was refused or busy.
            let exposition = try await harness.send(.GET, "/metrics", key: nil).body
            let admissions = exposition.split(separator: "\n").filter { $0.hasPrefix("tollgate_admissions_total{") && $0.contains(#"team="burst""#) }
            #expect(!admissions.isEmpty, "\(exposition)")
            #expect(admissions.allSatisfy { $0.contains(#"outcome="admitted""#) }, "\(admissions)")
            let entries = try await harness.entries(team: "burst").filter { !($0.requestID ?? "").hasPrefix("seed-") }
            #expect(entries.count == 300)
            #expect(entries.allSatisfy { $0.outcome == "completed" })
            let spent = try await harness.ledger.spend(teamID: team.id, currency: .usd, in: budget.window(at: Date()))
            #expect(spent <= budget.limit)
            #expect(try await harness.ledger.reserved(teamID: team.id, currency: .usd) == .zero(.usd))
        }
    }
}

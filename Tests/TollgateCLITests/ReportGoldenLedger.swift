import Foundation
import TollgateCore
import TollgateLedger

/// A small ledger whose reports are computed by hand in the tests: two teams, two models, a price
/// change (p2 from 2026-11-16) and an FX change (fx2 from 2026-11-20) inside November, a credit, a
/// correction, and usage a few hours either side of the month in Asia/Shanghai.
enum ReportGoldenLedger {
    static let models = """
        {"models": {"gpt-4.1": {"provider": "openai", "max_output_tokens": 32768},
                    "deepseek-v3.2": {"provider": "deepseek", "max_output_tokens": 8192}}}
        """

    static func prices(_ version: String, from start: String, supersedes: String?, relayGPTOutput: String, officialGPTOutput: String) -> String {
        func book(_ gptOutput: String) -> String {
            """
            {"gpt-4.1": {"input": "2.00", "cached_input": "0.50", "output": "\(gptOutput)"},
             "deepseek-v3.2": {"input": "0.28", "cached_input": "0.028", "output": "0.42"}}
            """
        }
        return """
            {"version": "\(version)", "effective_from": "\(start)", "supersedes": \(supersedes.map { "\"\($0)\"" } ?? "null"),
             "source": "test", "books": {"relay": \(book(relayGPTOutput)), "official": \(book(officialGPTOutput))}}
            """
    }

    static func fx(_ version: String, from start: String, supersedes: String?, baseline: String) -> String {
        """
        {"version": "\(version)", "effective_from": "\(start)", "supersedes": \(supersedes.map { "\"\($0)\"" } ?? "null"),
         "source": "test", "cny_per_usd": {"relay": "1", "baseline": "\(baseline)"}}
        """
    }

    /// Usage lines for `ledger import`.
    static let usage = """
        {"team":"research","model":"gpt-4.1","input_tokens":0,"output_tokens":62500000,"occurred_at":"2026-11-05T10:00:00Z"}
        {"team":"research","model":"gpt-4.1","input_tokens":0,"output_tokens":1000000,"occurred_at":"2026-11-17T10:00:00Z"}
        {"team":"research","model":"gpt-4.1","input_tokens":0,"output_tokens":1000000,"occurred_at":"2026-11-21T10:00:00Z"}
        {"team":"platform","model":"deepseek-v3.2","input_tokens":1000000,"cached_input_tokens":500000,"output_tokens":2000000,"occurred_at":"2026-11-10T12:00:00Z"}
        {"team":"platform","model":"gpt-4.1","input_tokens":0,"output_tokens":1000000,"occurred_at":"2026-10-31T20:00:00Z"}
        {"team":"research","model":"deepseek-v3.2","input_tokens":0,"output_tokens":1000000,"occurred_at":"2026-11-30T18:00:00Z"}
        """

    /// Builds the ledger through the real CLI (teams, pricing folder, import), then adds the credit
    /// and the correction, back-dated into November, through the ledger API.
    static func build(_ cli: CLIRunner) async throws -> String {
        _ = try cli.write("pricing/models.json", models)
        _ = try cli.write(
            "pricing/prices/p1.json",
            prices("p1", from: "2026-10-01T00:00:00Z", supersedes: nil, relayGPTOutput: "8.00", officialGPTOutput: "8.00")
        )
        _ = try cli.write(
            "pricing/prices/p2.json",
            prices("p2", from: "2026-11-16T00:00:00Z", supersedes: "p1", relayGPTOutput: "9.00", officialGPTOutput: "10.00")
        )
        _ = try cli.write("pricing/fx/fx1.json", fx("fx1", from: "2026-10-01T00:00:00Z", supersedes: nil, baseline: "7.3"))
        _ = try cli.write("pricing/fx/fx2.json", fx("fx2", from: "2026-11-20T00:00:00Z", supersedes: "fx1", baseline: "7.1"))
        let pricing = cli.folder.appending(path: "pricing").path
        for team in ["research", "platform"] {
            _ = try await cli.ok(["team", "create", team, "--budget", "10000", "--currency", "CNY", "--period", "monthly", "--pricing", pricing])
        }
        _ = try await cli.ok(["ledger", "import", try cli.write("usage.jsonl", usage), "--pricing", pricing])
        let ledger = try SQLiteLedger(path: cli.db)
        let research = try await ledger.team(named: "research")
        let platform = try await ledger.team(named: "platform")
        try await ledger.append([
            .adjustment(
                kind: .credit,
                teamID: research.id,
                chargeUSD: Money(nanos: -100_000_000_000, .usd),
                chargeCNY: Money(nanos: -100_000_000_000, .cny),
                fxVersion: "fx1",
                reason: "outage refund",
                at: try Date("2026-11-12T00:00:00Z", strategy: .iso8601)
            ),
            .adjustment(
                kind: .correction,
                teamID: platform.id,
                chargeUSD: Money(nanos: 5_000_000_000, .usd),
                chargeCNY: Money(nanos: 5_000_000_000, .cny),
                fxVersion: "fx1",
                reason: "missed charge",
                at: try Date("2026-11-13T00:00:00Z", strategy: .iso8601)
            ),
        ])
        return pricing
    }
}

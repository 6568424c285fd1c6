import Foundation
import Testing
import TollgateAdmin
import TollgateCore

@testable import TollgateGateway

@Suite(
    "Rate limits through the gateway",
    .enabled(if: PythonClient.openAIReady, "python3 with the openai package is required: pip install openai")
)
struct RateLimitGatewayTests {
    @Test("x-ratelimit-* headers on success; 429 rate_limited with Retry-After and the headers when over; none without limits")
    func headersAndRefusal() async throws {
        let folder = TemporaryFolder()
        let id = try await GatewayHarness.run(ledgerFolder: folder.url) { harness in
            let key = try await harness.team("rl", budget: "10")
            let plain = try await harness.chat(key: key, maxTokens: 16)
            #expect(plain.header("x-ratelimit-limit-requests") == nil)
            _ = try await harness.admin.setRateLimits(team: "rl", RateLimitChange(requestsPerMinute: 3, tokensPerMinute: 1_000_000))
            let ok = try await harness.chat(key: key, maxTokens: 16)
            #expect(ok.status == 200, "\(ok.body)")
            #expect(ok.header("x-ratelimit-limit-requests") == "3")
            #expect(ok.header("x-ratelimit-remaining-requests") == "1")  // the plain request counts too
            let last = try await harness.chat(key: key, maxTokens: 16)
            #expect(last.header("x-ratelimit-remaining-requests") == "0")
            #expect(ok.header("x-ratelimit-reset-requests")?.hasSuffix("s") == true)
            #expect(ok.header("x-ratelimit-limit-tokens") == "1000000")
            #expect(ok.header("x-ratelimit-remaining-tokens") != nil)
            let refused = try await harness.chat(key: key, maxTokens: 16)
            #expect(refused.status == 429, "\(refused.body)")
            let error = try refused.error()
            #expect(error["code"] as? String == "rate_limited")
            #expect(error["type"] as? String == "rate_limit_error")
            #expect(error["limit_type"] as? String == "requests")
            #expect(error["scope"] as? String == "team")
            #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)
            #expect(refused.header("x-ratelimit-remaining-requests") == "0")
            #expect(try await harness.entries(team: "rl").count == 3)
            return try await harness.ledger.team(named: "rl").id
        }
        // Not a budget event: no exhausted alert.
        #expect(try await GatewayHarness.claimedThresholds(ledgerFolder: folder.url, teamID: id).contains(.exhausted) == false)
    }

    @Test("a key's concurrent-stream limit: the OpenAI SDK's own retries honour Retry-After and every request completes")
    func sdkRetries() async throws {
        try await GatewayHarness.run { harness in
            _ = try await harness.team("rl", budget: "10")
            let issued = try await harness.admin.createKey(team: "rl", label: "ci")
            _ = try await harness.admin.setRateLimits(keyPrefix: issued.record.prefix, RateLimitChange(concurrentStreams: 1))
            let result = try await PythonClient.runOffPool([
                "python3", PythonClient.scripts.appendingPathComponent("openai_burst.py").path,
                "--base-url", "\(harness.base)/v1", "--key", issued.secret, "--streams", "2", "--max-tokens", "16",
            ])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains(#""completed": 2"#), "\(result.stdout)")
            #expect(harness.observers.activity.recentEvents.contains { $0.code == "rate_limited" }, "the SDK was refused and retried")
            #expect(try await harness.entries(team: "rl").count == 2)
        }
    }
}

@Suite("Gateway /admin API: rate limits")
struct AdminRateLimitTests {
    @Test("PUT limits on a team and a key: set, keep absent fields, remove with 0; a negative limit is 400 and changes nothing")
    func limits() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            _ = try await harness.team("rl", budget: "10")
            let set = try await harness.send(.PUT, "/admin/teams/rl/limits", key: admin, json: #"{"rpm":60,"max_streams":4}"#)
            #expect(set.status == 200, "\(set.body)")
            #expect(try set.json()["rpm"] as? Int == 60)
            let kept = try await harness.send(.PUT, "/admin/teams/rl/limits", key: admin, json: #"{"tpm":1000,"rpm":0}"#)
            #expect(try kept.json()["rpm"] == nil)
            #expect(try kept.json()["max_streams"] as? Int == 4)
            let bad = try await harness.send(.PUT, "/admin/teams/rl/limits", key: admin, json: #"{"rpm":-1}"#)
            #expect(bad.status == 400, "\(bad.body)")
            #expect(try await harness.admin.store.team(named: "rl").limits.tokensPerMinute == 1000)
            let issued = try await harness.admin.createKey(team: "rl", label: nil)
            let key = try await harness.send(.PUT, "/admin/keys/\(issued.record.prefix)/limits", key: admin, json: #"{"max_streams":1}"#)
            #expect(key.status == 200, "\(key.body)")
            #expect(try key.json()["max_streams"] as? Int == 1)
        }
    }
}

import Foundation
import NIOHTTP1
import Testing
import TollgateCore
import TollgateRelaySim

@testable import TollgateGateway

@Suite("Gateway refusals")
struct RefusalTests {
    @Test("no key, a wrong key and a revoked key are 401 invalid_api_key")
    func invalidKeys() async throws {
        try await GatewayHarness.run { harness in
            let missing = try await harness.chat(key: nil)
            #expect(missing.status == 401)
            #expect(try missing.error()["code"] as? String == "invalid_api_key")
            #expect(missing.errorMessage.contains("Authorization: Bearer"))
            // Change the last character to one it is not, so the tampered key always differs.
            let wrong = try await harness.chat(key: harness.alphaKey.dropLast() + (harness.alphaKey.hasSuffix("x") ? "y" : "x"))
            #expect(wrong.status == 401)
            #expect(try wrong.error()["code"] as? String == "invalid_api_key")
            #expect(try wrong.error()["type"] as? String == "authentication_error")
            let prefix = try #require(try await harness.admin.listKeys(team: "beta").first?.key.prefix)
            _ = try await harness.admin.revokeKey(prefix: prefix)
            let revoked = try await harness.chat(key: harness.betaKey)
            #expect(revoked.status == 401)
            #expect(revoked.errorMessage.contains("revoked"))
            #expect(try await harness.entries(team: "beta").isEmpty)
        }
    }

    @Test("the Bearer token is read case-insensitively with surrounding blanks trimmed; anything else is no key")
    func bearerTokens() {
        #expect(GatewayAuthenticator.bearerToken("Bearer tg_abc") == "tg_abc")
        #expect(GatewayAuthenticator.bearerToken("bearer   tg_abc \t") == "tg_abc")
        #expect(GatewayAuthenticator.bearerToken("BEARER\ttg_abc") == nil)
        #expect(GatewayAuthenticator.bearerToken("Bearer    ") == nil)
        #expect(GatewayAuthenticator.bearerToken("Basic dXNlcjpwdw==") == nil)
        #expect(GatewayAuthenticator.bearerToken("tg_abc") == nil)
    }

    @Test("a disabled team is 403 team_disabled")
    func disabledTeam() async throws {
        try await GatewayHarness.run { harness in
            _ = try await harness.admin.disableTeam("alpha")
            let exchange = try await harness.chat(key: harness.alphaKey)
            #expect(exchange.status == 403)
            #expect(try exchange.error()["code"] as? String == "team_disabled")
            #expect(exchange.errorMessage.contains("tollgate team enable alpha"))
        }
    }

    @Test("an unknown model is 404 unknown_model, listing the valid models")
    func unknownModel() async throws {
        try await GatewayHarness.run { harness in
            let exchange = try await harness.chat(key: harness.alphaKey, model: "gpt-4")
            #expect(exchange.status == 404)
            let error = try exchange.error()
            #expect(error["code"] as? String == "unknown_model")
            #expect((error["message"] as? String ?? "").contains("claude-sonnet-4.5, deepseek-v3.2, gemini-2.5-flash, gpt-4.1"))
        }
    }

    @Test("a request the budget can't hold is 402 budget_exceeded with the budget, available, needed and reset")
    func budgetExceeded() async throws {
        try await GatewayHarness.run { harness in
            let key = try await harness.team("tiny", budget: "0.01")
            for stream in [false, true] {
                let exchange = try await harness.chat(key: key, stream: stream)
                #expect(exchange.status == 402)
                let error = try exchange.error()
                #expect(error["code"] as? String == "budget_exceeded")
                #expect(error["type"] as? String == "insufficient_quota")
                #expect(error["budget"] as? String == "monthly budget of 0.01 CNY")
                #expect(error["currency"] as? String == "CNY")
                let available = try Money(parsing: try #require(error["available"] as? String), .cny)
                let needed = try Money(parsing: try #require(error["needed"] as? String), .cny)
                #expect(available == (try Money(parsing: "0.01", .cny)))
                #expect(needed > available)
                #expect((error["resets_at"] as? String)?.hasSuffix("Z") == true)
            }
            #expect(try await harness.entries(team: "tiny").isEmpty)
        }
    }

    @Test("a malformed body is 400 invalid_request saying what to send")
    func invalidBodies() async throws {
        try await GatewayHarness.run { harness in
            let cases = [
                ("not json", "not JSON"),
                (#"{"messages":[]}"#, "missing field 'model'"),
                (#"{"model":"gpt-4.1","messages":[]}"#, "'messages' is empty"),
                // Roles are the upstream's to judge; this harness's relay WebSocket upstream carries three.
                (#"{"model":"gpt-4.1","messages":[{"role":"robot","content":"hi"}]}"#, "it cannot carry a 'robot' message"),
                (#"{"model":"gpt-4.1","messages":["hi"]}"#, "each message must be an object with a string 'role'"),
                (#"{"model":"gpt-4.1","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}"#, "max_tokens must be at least 1"),
            ]
            for (body, message) in cases {
                let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
                #expect(exchange.status == 400, "\(body)")
                #expect(try exchange.error()["code"] as? String == "invalid_request")
                #expect(exchange.errorMessage.contains(message), "\(body): \(exchange.body)")
            }
        }
    }

    @Test("a body over the limit is 413 request_too_large")
    func tooLarge() async throws {
        try await GatewayHarness.run { harness in
            let padding = String(repeating: "a", count: 5 << 20)
            let body = #"{"model":"gpt-4.1","messages":[{"role":"user","content":""# + padding + #""}]}"#
            let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
            #expect(exchange.status == 413)
            #expect(try exchange.error()["code"] as? String == "request_too_large")
        }
    }

    @Test("an upstream that refuses the gateway's key is 502 upstream_auth_failed, streaming or not, and the upstream key appears in no response")
    func upstreamKeyNeverLeaks() async throws {
        try await GatewayHarness.run(simulator: .init(apiKey: "the-relay-wants-another-key")) { harness in
            var seen: [Exchange] = []
            let plain = try await harness.chat(key: harness.alphaKey)
            #expect(plain.status == 502)
            #expect(try plain.error()["code"] as? String == "upstream_auth_failed")
            seen.append(plain)
            // Nothing was sent before the upstream answered, so a stream's head carries the refusal too.
            let streamed = try await harness.chat(key: harness.alphaKey, stream: true, includeUsage: true)
            #expect(streamed.status == 502)
            #expect(try streamed.error()["code"] as? String == "upstream_auth_failed")
            seen.append(streamed)
            seen.append(try await harness.send(.GET, "/readyz", key: nil))
            seen.append(try await harness.send(.GET, "/v1/models", key: nil))
            for exchange in seen {
                #expect(!exchange.body.contains(GatewayHarness.upstreamKey))
                #expect(!exchange.headers.contains { $0.value.contains(GatewayHarness.upstreamKey) })
            }
        }
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TollgateCore
import TollgateGateway
import TollgateMetering
import TollgateStreaming

/// The value of the first exposition line of `name` whose labels include every one of `labels`.
func sample(_ exposition: String, _ name: String, _ labels: [String] = []) -> Double? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
        guard labels.allSatisfy({ line.contains($0) }), let value = line.split(separator: " ").last else { continue }
        return Double(value)
    }
    return nil
}

@Suite("GET /metrics")
struct MetricsEndpointTests {
    @Test("a streamed request shows up in /metrics with help text, its exact nano cost, tokens and admission")
    func exposition() async throws {
        try await GatewayHarness.run { harness async throws in
            let reply = try await harness.chat(key: harness.alphaKey, stream: true, includeUsage: true)
            #expect(reply.status == 200)
            let usage = try #require(
                reply.events.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.last { $0["usage"] != nil }
            )
            let receipt = try #require(usage["tollgate"] as? [String: Any])
            let tokens = try #require(usage["usage"] as? [String: Any])
            let metrics = try await harness.send(.GET, "/metrics", key: nil)
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = metrics.body
            #expect(text.contains("# HELP tollgate_cost_cny_nanos_total "))
            #expect(text.contains("# TYPE gen_ai_client_token_usage histogram"))
            let alpha = [#"team="alpha""#, #"model="gpt-4.1""#]
            let cost = try Money(parsing: try #require(receipt["cost"] as? String), .cny)
            #expect(sample(text, "tollgate_cost_cny_nanos_total", alpha) == Double(cost.nanos))
            #expect(sample(text, "tollgate_tokens_total", alpha + [#"type="output""#]) == Double(try #require(tokens["completion_tokens"] as? Int)))
            #expect(sample(text, "tollgate_admissions_total", alpha + [#"outcome="admitted""#, #"protocol="chat_completions""#]) == 1)
            #expect(sample(text, "tollgate_settlements_total", alpha + [#"outcome="completed""#]) == 1)
            #expect(sample(text, "tollgate_open_streams", [#"protocol="chat_completions""#, #"transport="sse""#]) == 0)
            #expect(sample(text, "gen_ai_client_operation_time_to_first_chunk_seconds_count", [#"gen_ai_request_model="gpt-4.1""#]) == 1)
            #expect(sample(text, "tollgate_budget_limit_nanos", [#"team="alpha""#, #"currency="CNY""#]) == 10_000_000_000)
            #expect(sample(text, "tollgate_ledger_commit_failures_total") == 0)
            #expect(!text.contains(harness.alphaKey) && !text.contains(String(harness.alphaKey.prefix(12))), "keys never become labels")
        }
    }

    @Test("refusals are counted by code and protocol (a disabled team's key included); budget gauges cover every team")
    func refusals() async throws {
        try await GatewayHarness.run { harness async throws in
            #expect(try await harness.chat(key: "tg_not-a-key").status == 401)
            #expect(try await harness.chat(key: harness.alphaKey, model: "gpt-9").status == 404)
            _ = try await harness.admin.disableTeam("alpha")
            #expect(try await harness.chat(key: harness.alphaKey).status == 403)
            let text = try await harness.send(.GET, "/metrics", key: nil).body
            #expect(sample(text, "tollgate_gateway_errors_total", [#"code="team_disabled""#, #"protocol="chat_completions""#]) == 1)
            #expect(sample(text, "tollgate_gateway_errors_total", [#"code="invalid_api_key""#, #"protocol="chat_completions""#]) == 1)
            #expect(sample(text, "tollgate_gateway_errors_total", [#"code="unknown_model""#]) == 1)
            #expect(!text.contains("gpt-9"), "unknown models never become labels")
            // BudgetGaugeService refreshes every team at start (the harness runs it every second).
            #expect(sample(text, "tollgate_budget_remaining_nanos", [#"team="beta""#]) == 10_000_000_000)
        }
    }

    @Test("a WebSocket turn is counted under protocol relay_ws; a refused session under its error code")
    func webSocket() async throws {
        try await GatewayHarness.run { harness async throws in
            let client = RelayWebSocketClient(url: "ws://127.0.0.1:\(harness.port)/v1/ws/stream", apiKey: harness.alphaKey)
            var text = ""
            for try await event in client.stream(ChatRequest(model: "deepseek-v3.2", messages: [.user("Hello")], maxTokens: 32)) {
                if case .textDelta(let delta) = event { text += delta }
            }
            #expect(!text.isEmpty)
            let refused = RelayWebSocketClient(url: "ws://127.0.0.1:\(harness.port)/v1/ws/stream", apiKey: "tg_not-a-key")
            await #expect(throws: (any Error).self) {
                for try await _ in refused.stream(ChatRequest(model: "deepseek-v3.2", messages: [.user("Hi")])) {}
            }
            let metrics = try await harness.send(.GET, "/metrics", key: nil).body
            #expect(sample(metrics, "tollgate_open_streams", [#"protocol="relay_ws""#, #"transport="websocket""#]) == 0)
            #expect(sample(metrics, "tollgate_admissions_total", [#"team="alpha""#, #"outcome="admitted""#, #"protocol="relay_ws""#]) == 1)
            #expect(sample(metrics, "tollgate_settlements_total", [#"team="alpha""#, #"model="deepseek-v3.2""#, #"outcome="completed""#]) == 1)
            #expect(sample(metrics, "tollgate_gateway_errors_total", [#"code="invalid_api_key""#, #"protocol="relay_ws""#]) == 1)
        }
    }

    @Test("Messages traffic carries protocol messages beside chat_completions: admissions, open streams, errors sent")
    func messagesProtocol() async throws {
        try await GatewayHarness.run(simulatorOverSSE: true) { harness async throws in
            func messages(key: String, stream: Bool) async throws -> (status: Int, body: String) {
                var request = HTTPClientRequest(url: harness.base + "/v1/messages")
                request.method = .POST
                request.headers.add(name: "x-api-key", value: key)
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(
                    ByteBuffer(
                        string: #"{"model":"claude-sonnet-4.5","max_tokens":64,"stream":\#(stream),"messages":[{"role":"user","content":"Hello"}]}"#
                    )
                )
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
            }
            let streamed = try await messages(key: harness.alphaKey, stream: true)
            #expect(streamed.status == 200 && streamed.body.contains("event: message_stop"), "\(streamed.body)")
            #expect(try await messages(key: harness.alphaKey, stream: false).status == 200)
            #expect(try await messages(key: "tg_not-a-key", stream: true).status == 401)
            #expect(try await harness.chat(key: harness.alphaKey, stream: true).status == 200)
            #expect(try await harness.chat(key: "tg_not-a-key").status == 401)
            let text = try await harness.send(.GET, "/metrics", key: nil).body
            let claude = [#"team="alpha""#, #"model="claude-sonnet-4.5""#, #"outcome="admitted""#]
            #expect(sample(text, "tollgate_admissions_total", claude + [#"protocol="messages""#]) == 2)
            #expect(sample(text, "tollgate_admissions_total", claude + [#"protocol="chat_completions""#]) == nil)
            #expect(sample(text, "tollgate_admissions_total", [#"team="alpha""#, #"model="gpt-4.1""#, #"protocol="chat_completions""#]) == 1)
            #expect(sample(text, "tollgate_open_streams", [#"protocol="messages""#, #"transport="sse""#]) == 0)
            #expect(sample(text, "tollgate_open_streams", [#"protocol="messages""#, #"transport="json""#]) == 0)
            #expect(sample(text, "tollgate_open_streams", [#"protocol="chat_completions""#, #"transport="sse""#]) == 0)
            #expect(sample(text, "tollgate_gateway_errors_total", [#"code="invalid_api_key""#, #"protocol="messages""#]) == 1)
            #expect(sample(text, "tollgate_gateway_errors_total", [#"code="invalid_api_key""#, #"protocol="chat_completions""#]) == 1)
        }
    }

    @Test("with a metrics token, /metrics answers 401 without it or with a team key, 200 with it")
    func token() async throws {
        try await GatewayHarness.run(metricsAccess: .token("scrape-secret")) { harness async throws in
            let missing = try await harness.send(.GET, "/metrics", key: nil)
            #expect(missing.status == 401)
            #expect(try missing.error()["code"] as? String == "invalid_metrics_token")
            #expect(missing.errorMessage.contains("TOLLGATE_METRICS_TOKEN"))
            #expect(try await harness.send(.GET, "/metrics", key: harness.alphaKey).status == 401)
            let allowed = try await harness.send(.GET, "/metrics", key: "scrape-secret")
            #expect(allowed.status == 200)
            #expect(allowed.body.contains("tollgate_reservations_open"))
        }
    }

    @Test("disabled metrics answer 503 saying how to turn them on")
    func disabled() async throws {
        try await GatewayHarness.run(metricsAccess: .disabled) { harness async throws in
            let refused = try await harness.send(.GET, "/metrics", key: nil)
            #expect(refused.status == 503)
            #expect(try refused.error()["code"] as? String == "metrics_disabled")
            #expect(refused.errorMessage.contains("TOLLGATE_METRICS_TOKEN") && refused.errorMessage.contains("TOLLGATE_METRICS_OPEN=1"))
        }
    }
}

import Foundation
import Testing
import TollgateGateway
import TollgateStorage
import TollgateStreaming

/// An OpenAI-compatible upstream that refuses, fails or can't be reached before any output: the
/// client sees the upstream's own status, body and retry headers (or an `upstream_*` refusal),
/// the ledger records the request at zero cost, and the hold is released.
@Suite("Gateway over an upstream that refuses or fails")
struct UpstreamErrorTests {
    static func errorBody(_ message: String, type: String, code: String) -> String {
        #"{"error":{"message":"\#(message)","type":"\#(type)","code":"\#(code)","param":null}}"#
    }

    /// Waits for the team's entries to be written (settlement is committed in groups).
    static func entries(_ harness: GatewayHarness, team: String = "alpha", count: Int = 1) async throws -> [LedgerEntry] {
        var entries = try await harness.entries(team: team)
        for _ in 0..<200 where entries.count < count {
            try await Task.sleep(for: .milliseconds(20))
            entries = try await harness.entries(team: team)
        }
        return entries
    }

    struct Refusal: Sendable, CustomStringConvertible {
        let status: Int
        let type: String
        let code: String
        var description: String { "\(status) \(code)" }
    }

    static let refusals = [
        Refusal(status: 400, type: "invalid_request_error", code: "invalid_value"),
        Refusal(status: 404, type: "invalid_request_error", code: "model_not_found"),
        Refusal(status: 413, type: "invalid_request_error", code: "request_too_large"),
        Refusal(status: 422, type: "invalid_request_error", code: "unprocessable_entity"),
        Refusal(status: 429, type: "rate_limit_error", code: "rate_limit_exceeded"),
        Refusal(status: 500, type: "server_error", code: "internal_error"),
        Refusal(status: 503, type: "server_error", code: "overloaded"),
    ]

    @Test(
        "an upstream refusal reaches the client as sent: status, body bytes, Retry-After and x-ratelimit-*, plus the request id; billed nothing",
        arguments: refusals,
        [true, false]
    )
    func passesThrough(refusal: Refusal, stream: Bool) async throws {
        let body = Self.errorBody("upstream says no (\(refusal.status))", type: refusal.type, code: refusal.code)
        let headers = [
            ("Retry-After", "7"), ("retry-after-ms", "7000"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "7s"),
            ("X-Upstream-Internal", "not relayed"),
        ]
        try await ScriptedUpstream.run([.status(refusal.status, headers: headers, body: body)]) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let exchange = try await harness.chat(key: harness.alphaKey, stream: stream, includeUsage: stream)
                #expect(exchange.status == refusal.status)
                #expect(exchange.body == body, "the upstream's error body, byte for byte")
                #expect(exchange.header("Retry-After") == "7")
                #expect(exchange.header("retry-after-ms") == "7000")
                #expect(exchange.header("x-ratelimit-remaining-requests") == "0")
                #expect(exchange.header("x-ratelimit-reset-requests") == "7s")
                #expect(exchange.header("X-Upstream-Internal") == nil)
                #expect(exchange.header("Content-Type") == "application/json")
                let requestID = try #require(exchange.header("X-Tollgate-Request-Id"))
                let entry = try #require(try await Self.entries(harness).first)
                #expect(entry.requestID == requestID)
                #expect(entry.outcome == "upstream_refused")
                #expect(entry.chargeCNY.nanos == 0 && entry.chargeUSD.nanos == 0)
                #expect(entry.usage.inputTokens == 0 && entry.usage.outputTokens == 0)
                #expect((entry.localInputTokens ?? 0) > 0, "the local prompt count stays beside the zero")
                #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty, "the hold is released")
            }
        }
    }

    @Test("the upstream key a relay echoes in its error body is scrubbed before the client sees it", arguments: [true, false])
    func scrubsEchoedKey(stream: Bool) async throws {
        let body = Self.errorBody(
            "Invalid value for 'max_tokens' (request carried key \(ScriptedUpstream.key))",
            type: "invalid_request_error",
            code: "invalid_value"
        )
        try await ScriptedUpstream.run([.status(400, body: body)]) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let exchange = try await harness.chat(key: harness.alphaKey, stream: stream)
                #expect(exchange.status == 400)
                #expect(!exchange.body.contains(ScriptedUpstream.key))
                #expect(!exchange.body.contains("sk-scripted"))
                #expect(exchange.body.contains("[redacted]"))
                #expect(try exchange.error()["code"] as? String == "invalid_value")
            }
        }
    }

    @Test(
        "an upstream 401/403 is the gateway's own key refused: 502 upstream_auth_failed, never the upstream's words, billed nothing",
        arguments: [401, 403],
        [true, false]
    )
    func upstreamAuthFailed(status: Int, stream: Bool) async throws {
        let body = Self.errorBody("Incorrect API key provided: \(ScriptedUpstream.key)", type: "invalid_request_error", code: "invalid_api_key")
        try await ScriptedUpstream.run([.status(status, body: body)]) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let exchange = try await harness.chat(key: harness.alphaKey, stream: stream)
                #expect(exchange.status == 502)
                let error = try exchange.error()
                #expect(error["code"] as? String == "upstream_auth_failed")
                #expect(exchange.errorMessage.contains("team key is fine"))
                #expect(!exchange.body.contains("Incorrect API key"))
                #expect(!exchange.body.contains(ScriptedUpstream.key))
                #expect(exchange.header("X-Tollgate-Request-Id") != nil)
                let entry = try #require(try await Self.entries(harness).first)
                #expect(entry.outcome == "upstream_refused")
                #expect(entry.chargeCNY.nanos == 0)
            }
        }
    }

    @Test("nothing listening upstream: 502 upstream_unreachable, billed nothing", arguments: [true, false])
    func unreachable(stream: Bool) async throws {
        try await GatewayHarness.run(route: try ScriptedUpstream.unreachable()) { harness in
            let exchange = try await harness.chat(key: harness.alphaKey, stream: stream)
            #expect(exchange.status == 502)
            #expect(try exchange.error()["code"] as? String == "upstream_unreachable")
            #expect(exchange.errorMessage.contains("could not reach"))
            #expect(exchange.header("X-Tollgate-Request-Id") != nil)
            let entry = try #require(try await Self.entries(harness).first)
            #expect(entry.outcome == "upstream_unreachable")
            #expect(entry.chargeCNY.nanos == 0)
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
        }
    }

    @Test("an upstream that takes the request and never answers: 504 upstream_timeout; the prompt it had is billed", arguments: [true, false])
    func timeout(stream: Bool) async throws {
        try await ScriptedUpstream.run([.stall(.seconds(5))]) { upstream in
            try await GatewayHarness.run(route: upstream.route(firstByteTimeout: .milliseconds(600))) { harness in
                let started = ContinuousClock.now
                let exchange = try await harness.chat(key: harness.alphaKey, stream: stream)
                #expect(ContinuousClock.now - started < .seconds(4))
                #expect(exchange.status == 504)
                #expect(try exchange.error()["code"] as? String == "upstream_timeout")
                #expect(exchange.errorMessage.contains("did not start answering in time"))
                let entry = try #require(try await Self.entries(harness).first)
                #expect(entry.outcome == "upstream_error")
                #expect(entry.usage.outputTokens == 0)
                #expect(entry.usage.inputTokens > 0)
            }
        }
    }

    @Test("a 200 whose body is not an event stream: 502 upstream_malformed with an excerpt", arguments: [true, false])
    func garbage(stream: Bool) async throws {
        try await ScriptedUpstream.run([.garbage]) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let exchange = try await harness.chat(key: harness.alphaKey, stream: stream)
                #expect(exchange.status == 502)
                #expect(try exchange.error()["code"] as? String == "upstream_malformed")
                #expect(exchange.errorMessage.contains("502 Bad Gateway"), "\(exchange.errorMessage)")
                let entry = try #require(try await Self.entries(harness).first)
                #expect(entry.outcome == "upstream_error")
            }
        }
    }

    @Test(
        "a drop mid-answer: streaming, an error line after the text, what arrived billed; not streaming, a body whose connection closes half-way is a 502 upstream_error with the request id, and no output is billed (none reached the client, none can be read)",
        arguments: [true, false]
    )
    func dropMidStream(stream: Bool) async throws {
        try await ScriptedUpstream.run([.drop("half of an answer that stops")]) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let exchange = try await harness.chat(key: harness.alphaKey, stream: stream)
                if stream {
                    #expect(exchange.status == 200)
                    #expect(exchange.events.contains { $0.contains("half") })
                    let last = exchange.events.last(where: { $0 != "[DONE]" }) ?? ""
                    #expect(last.contains("upstream_error"), "\(last)")
                } else {
                    #expect(exchange.status == 502)
                    #expect(try exchange.error()["code"] as? String == "upstream_error", "\(exchange.body)")
                    #expect(exchange.header("X-Tollgate-Request-Id") != nil)
                }
                let entry = try #require(try await Self.entries(harness).first)
                #expect(entry.outcome == "upstream_error")
                #expect(entry.usage.inputTokens > 0, "the upstream had the prompt")
                if stream {
                    #expect(entry.usage.outputTokens > 0, "the text before the drop reached the client")
                } else {
                    // A non-streamed body cut half-way gives the client nothing: no output is billed.
                    #expect(entry.usage.outputTokens == 0)
                }
            }
        }
    }

    @Test("refused requests bill nothing and release their holds: a budget that fits one worst case sees every 429 and then answers")
    func holdsReleased() async throws {
        let body = Self.errorBody("Rate limit reached", type: "rate_limit_error", code: "rate_limit_exceeded")
        let script: [ScriptedUpstream.Answer] =
            Array(repeating: .status(429, headers: [("Retry-After", "1")], body: body), count: 4) + [.stream("fine now thanks")]
        try await ScriptedUpstream.run(script) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                // Room for one 64-token hold of gpt-4.1 (about 0.00056 CNY at the relay rate), not two.
                let key = try await harness.team("narrow", budget: "0.0008")
                for _ in 0..<4 {
                    let refused = try await harness.chat(key: key, stream: true, maxTokens: 64)
                    #expect(refused.status == 429, "\(refused.body)")
                }
                let answered = try await harness.chat(key: key, stream: true, maxTokens: 64)
                #expect(answered.status == 200)
                #expect(answered.events.contains { $0.contains("fine") })
                let entries = try await Self.entries(harness, team: "narrow", count: 5)
                #expect(entries.filter { $0.outcome == "upstream_refused" }.count == 4)
                #expect(entries.filter { $0.outcome == "upstream_refused" }.allSatisfy { $0.chargeCNY.nanos == 0 })
                #expect(entries.filter { $0.outcome == "completed" }.count == 1)
                #expect(upstream.requests == 5)
                // The dashboard's activity lists them beside the budget refusals.
                let refusals = harness.observers.activity.recentEvents.filter { $0.kind == .refusal && $0.team == "narrow" }
                #expect(refusals.count == 4)
                #expect(refusals.allSatisfy { $0.code == "rate_limit_exceeded" })
            }
        }
    }
    @Test(
        "a relay WebSocket upstream's error frame before output maps the same way: its status and code, billed nothing",
        arguments: [("rate-limit", 429, "rate_limit_exceeded"), ("model", 400, "model_not_found")],
        [true, false]
    )
    func relayErrorFrames(rejection: (reject: String, status: Int, code: String), stream: Bool) async throws {
        let (reject, status, code) = rejection
        let relay = RelayWebSocketClient.Configuration(retry: .init(maxAttempts: 1), additionalHeaders: [("X-Sim-Reject", reject)])
        try await GatewayHarness.run(relay: relay) { harness in
            let exchange = try await harness.chat(key: harness.alphaKey, stream: stream)
            #expect(exchange.status == status)
            let error = try exchange.error()
            #expect(error["code"] as? String == code)
            #expect(exchange.errorMessage.contains("the upstream relay refused the request (HTTP \(status))"), "\(exchange.errorMessage)")
            #expect(exchange.header("X-Tollgate-Request-Id") != nil)
            let entry = try #require(try await Self.entries(harness).first)
            #expect(entry.outcome == "upstream_refused")
            #expect(entry.chargeCNY.nanos == 0)
        }
    }

    @Test(
        "the WebSocket endpoint's error event carries the same codes and the upstream's status",
        .enabled(if: PythonClient.webSocketReady, "python3 with the websocket-client module is required: pip install websocket-client"),
        arguments: [(429, "rate_limit_exceeded"), (401, "upstream_auth_failed"), (503, "upstream_error"), (400, "upstream_bad_request")]
    )
    func webSocketErrorEvent(status: Int, code: String) async throws {
        // A numeric code for the 503, as some relays send it.
        let body =
            status == 503
            ? #"{"error":{"message":"upstream says 503 to \#(ScriptedUpstream.key)","type":"some_error","code":503}}"#
            : Self.errorBody("upstream says \(status) to \(ScriptedUpstream.key)", type: "some_error", code: "upstream_code_\(status)")
        try await ScriptedUpstream.run([.status(status, headers: [("Retry-After", "3")], body: body)]) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let script = """
                    import json, sys, websocket
                    ws = websocket.create_connection(sys.argv[1], timeout=10, header=["Authorization: Bearer " + sys.argv[2]])
                    ws.send(json.dumps({"type": "session.start", "model": "gpt-4.1"}))
                    ws.send(json.dumps({"type": "chat.message", "content": "hi"}))
                    while True:
                        frame = json.loads(ws.recv())
                        if frame.get("type") in ("error", "message_done"):
                            print(json.dumps(frame))
                            break
                    """
                let result = try await PythonClient.runOffPool([
                    "python3", "-c", script, "ws://127.0.0.1:\(harness.port)/v1/ws/stream", harness.alphaKey,
                ])
                #expect(result.status == 0, "\(result.stderr)")
                let frame = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
                #expect(frame["type"] as? String == "error")
                #expect(frame["code"] as? String == code)
                #expect(frame["status"] as? Int == (status == 401 ? 502 : status))
                #expect(!result.stdout.contains(ScriptedUpstream.key))
                if status == 401 {
                    #expect(frame["upstream_code"] == nil, "never the upstream's words for its key")
                } else {
                    #expect(frame["upstream_code"] as? String == (status == 503 ? "503" : "upstream_code_\(status)"))
                }
                if status == 429 { #expect(frame["retry_after"] as? String == "3") }
                let entry = try #require(try await Self.entries(harness).first)
                #expect(entry.outcome == "upstream_refused")
                #expect(entry.chargeCNY.nanos == 0)
            }
        }
    }
}

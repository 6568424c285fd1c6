import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateStorage
import TollgateTokenizers

@Suite("Gateway /v1/chat/completions")
struct ChatCompletionsEndpointTests {
    @Test("a non-streamed completion answers one chat.completion with usage, receipt and cost headers, settled in the ledger")
    func nonStreamed() async throws {
        try await GatewayHarness.run { harness in
            let exchange = try await harness.chat(key: harness.alphaKey)
            #expect(exchange.status == 200, "\(exchange.body)")
            let json = try exchange.json()
            #expect(json["object"] as? String == "chat.completion")
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            let text = try #require((choice["message"] as? [String: Any])?["content"] as? String)
            #expect(!text.isEmpty)
            #expect(choice["finish_reason"] as? String == "stop")
            let usage = try #require(json["usage"] as? [String: Any])
            let receipt = try #require(json["tollgate"] as? [String: Any])

            let entries = try await harness.entries(team: "alpha")
            let entry = try #require(entries.first)
            #expect(entries.count == 1)
            #expect(usage["prompt_tokens"] as? Int == entry.usage.inputTokens)
            #expect(usage["completion_tokens"] as? Int == entry.usage.outputTokens)
            #expect(receipt["cost"] as? String == entry.chargeCNY.decimalString)
            #expect(receipt["currency"] as? String == "CNY")
            #expect(receipt["outcome"] as? String == "completed")
            #expect(exchange.header("X-Tollgate-Cost") == entry.chargeCNY.description)
            #expect(exchange.header("X-Tollgate-Request-Id") == entry.requestID)
            #expect(receipt["request_id"] as? String == entry.requestID)
            #expect(exchange.header("X-Tollgate-Price-Version") == entry.priceVersion)
            let remaining = try #require(exchange.header("X-Tollgate-Remaining-Budget"))
            #expect(remaining.hasSuffix(" CNY"))
            #expect(try Money(parsing: String(remaining.dropLast(4)), .cny) < Money(parsing: "10", .cny))
        }
    }

    @Test("a streamed completion sends chunks, the usage chunk with the cost in 'tollgate', then [DONE]")
    func streamedWithUsage() async throws {
        try await GatewayHarness.run { harness in
            let plain = try await harness.chat(key: harness.alphaKey)
            let exchange = try await harness.chat(key: harness.alphaKey, stream: true, includeUsage: true)
            #expect(exchange.status == 200)
            #expect(exchange.header("Content-Type") == "text/event-stream")
            #expect(exchange.header("X-Tollgate-Request-Id") != nil)
            #expect(exchange.header("X-Tollgate-Remaining-Budget") != nil)
            #expect(exchange.header("X-Tollgate-Cost") == nil, "a stream's cost is only known at its end")
            let events = exchange.events
            #expect(events.last == "[DONE]")
            let chunks = try events.dropLast().map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
            var text = ""
            for chunk in chunks {
                let delta = (chunk["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
                text += delta?["content"] as? String ?? ""
            }
            let plainText = try #require(
                ((try plain.json()["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String
            )
            #expect(text == plainText, "the same prompt gives the same simulated text either way")
            let finish = chunks.dropLast().last.flatMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
            #expect(finish == "stop")
            let usageChunk = try #require(chunks.last)
            #expect((usageChunk["choices"] as? [Any])?.isEmpty == true)
            let usage = try #require(usageChunk["usage"] as? [String: Any])
            let receipt = try #require(usageChunk["tollgate"] as? [String: Any])
            let entry = try #require(try await harness.entries(team: "alpha").first { $0.requestID == exchange.header("X-Tollgate-Request-Id") })
            #expect(usage["completion_tokens"] as? Int == entry.usage.outputTokens)
            #expect(receipt["cost"] as? String == entry.chargeCNY.decimalString)
        }
    }

    @Test("without stream_options.include_usage a stream has no usage chunk")
    func streamedWithoutUsage() async throws {
        try await GatewayHarness.run { harness in
            let exchange = try await harness.chat(key: harness.alphaKey, stream: true)
            #expect(exchange.status == 200)
            #expect(exchange.events.last == "[DONE]")
            #expect(!exchange.body.contains("\"usage\""))
            #expect(try await harness.entries(team: "alpha").count == 1, "metered all the same")
        }
    }

    @Test("a soft budget cut mid-stream ends with a budget_exceeded error line, after the usage chunk, then [DONE]")
    func midStreamCutoff() async throws {
        try await GatewayHarness.run(simulator: .init(outputTokens: 200)) { harness in
            let key = try await harness.team("frugal", budget: "0.0003", policy: .soft)
            let exchange = try await harness.chat(key: key, stream: true, includeUsage: true)
            #expect(exchange.status == 200)
            let events = exchange.events
            #expect(events.last == "[DONE]")
            let errorLine = try #require(events.dropLast().last)
            let error = try #require((try JSONSerialization.jsonObject(with: Data(errorLine.utf8)) as? [String: Any])?["error"] as? [String: Any])
            #expect(error["code"] as? String == "budget_exceeded")
            let usageLine = try #require(events.dropLast(2).last)
            #expect(usageLine.contains("\"outcome\":\"cut_off\""))
            let entry = try #require(try await harness.entries(team: "frugal").first)
            #expect(entry.outcome == "cut_off")
        }
    }

    @Test("a non-streamed request a soft budget can't afford in full goes upstream with the limit it affords, billed within the budget")
    func nonStreamedCutoff() async throws {
        try await GatewayHarness.run(simulator: .init(outputTokens: 200)) { harness in
            let key = try await harness.team("frugal", budget: "0.0003", policy: .soft)
            let exchange = try await harness.chat(key: key)
            #expect(exchange.status == 200)
            // A body can't be cut part-way: the upstream was asked for no more than the budget affords.
            #expect(exchange.header("X-Tollgate-Cutoff") == nil)
            let json = try exchange.json()
            #expect((json["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String == "length")
            #expect((json["tollgate"] as? [String: Any])?["outcome"] as? String == "completed")
            let entry = try #require(try await harness.entries(team: "frugal").first)
            #expect(entry.usage.outputTokens < 200)
            #expect(entry.chargeCNY <= (try Money(parsing: "0.0003", .cny)))
            #expect(exchange.header("X-Tollgate-Cost") == entry.chargeCNY.description)
        }
    }

    @Test("a client that goes away mid-stream is billed for what it was sent, as client_disconnected")
    func clientGoesAway() async throws {
        try await GatewayHarness.run(simulator: .init(tokensPerSecond: 20, outputTokens: 100)) { harness in
            var request = HTTPClientRequest(url: harness.base + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(harness.alphaKey)")
            request.body = .bytes(ByteBuffer(string: #"{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"Hello"}]}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var received = 0
            for try await part in response.body {
                received += part.readableBytes
                if received > 600 { break }
            }
            var entries: [LedgerEntry] = []
            for _ in 0..<300 where entries.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                entries = try await harness.entries(team: "alpha")
            }
            let entry = try #require(entries.first)
            #expect(entry.outcome == "client_disconnected")
            #expect(entry.usage.outputTokens > 0)
            #expect(entry.usage.outputTokens < 100)
        }
    }

    @Test("GET /v1/models lists the priced models in OpenAI's list format")
    func models() async throws {
        try await GatewayHarness.run { harness in
            let exchange = try await harness.send(.GET, "/v1/models", key: nil)
            #expect(exchange.status == 200)
            let json = try exchange.json()
            #expect(json["object"] as? String == "list")
            let ids = (json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["claude-sonnet-4.5", "deepseek-v3.2", "gemini-2.5-flash", "gpt-4.1"])
        }
    }

    @Test("healthz answers; readyz checks ledger, pricing and vocabularies")
    func health() async throws {
        try await GatewayHarness.run { harness in
            #expect(try await harness.send(.GET, "/healthz", key: nil).status == 200)
            let ready = try await harness.send(.GET, "/readyz", key: nil)
            #expect(ready.status == 200)
            let checks = try #require(try ready.json()["checks"] as? [String: String])
            #expect(checks == ["ledger": "ok", "pricing": "ok", "tokenizers": "ok"])
        }
    }

    @Test("readyz is 503 naming the missing vocabulary when none can be loaded; healthz still answers")
    func notReady() async throws {
        let empty = FileManager.default.temporaryDirectory.appending(path: "tollgate-no-vocab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let registry = TokenizerRegistry(locator: VocabularyLocator(searchDirectories: [empty]))
        try await GatewayHarness.run(tokenizers: registry) { harness in
            #expect(try await harness.send(.GET, "/healthz", key: nil).status == 200)
            let ready = try await harness.send(.GET, "/readyz", key: nil)
            #expect(ready.status == 503)
            let checks = try #require(try ready.json()["checks"] as? [String: String])
            #expect(checks["ledger"] == "ok")
            #expect(checks["tokenizers"]?.contains("tollgate tokenizers fetch") == true)
        }
    }
}

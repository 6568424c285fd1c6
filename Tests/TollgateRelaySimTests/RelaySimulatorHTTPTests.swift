import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import Testing
import TollgateRelaySim
import TollgateStreaming

@Suite("Relay simulator over real HTTP")
struct RelaySimulatorHTTPTests {
    private func post(
        _ port: Int,
        body: String,
        headers: [(String, String)] = [("Authorization", "Bearer sk-test")]
    )
        async throws -> (status: Int, body: String)
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    @Test func listsTheFourRelayModels() async throws {
        try await withRelaySimulator { port in
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/models"), timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            #expect(response.status == .ok)
            for model in ["gpt-4.1", "claude-sonnet-4.5", "gemini-2.5-flash", "deepseek-v3.2"] {
                #expect(body.contains("\"\(model)\""))
            }
        }
    }

    @Test func missingKeyIs401WithAnOpenAIErrorBody() async throws {
        try await withRelaySimulator { port in
            let response = try await post(port, body: #"{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}"#, headers: [])
            #expect(response.status == 401)
            #expect(response.body.contains("\"invalid_api_key\""))
            #expect(response.body.contains("Authorization: Bearer"))
        }
    }

    @Test func malformedBodyIs400SayingWhatIsWrong() async throws {
        try await withRelaySimulator { port in
            let response = try await post(port, body: #"{"messages":[]}"#)
            #expect(response.status == 400)
            #expect(response.body.contains("not a valid chat completion request"))
        }
    }

    @Test func streamEndsWithUsageChunkThenDone() async throws {
        try await withRelaySimulator { port in
            let response = try await post(
                port,
                body: #"""
                    {"model":"gemini-2.5-flash","stream":true,"stream_options":{"include_usage":true},"max_tokens":3,
                     "messages":[{"role":"user","content":"hi"}]}
                    """#
            )
            #expect(response.status == 200)
            let events = response.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            #expect(events.last == "data: [DONE]")
            #expect(events.dropLast().last?.contains("\"completion_tokens\":3") == true)
            #expect(events.contains { $0.contains("\"finish_reason\":\"length\"") })
        }
    }

    @Test func pacingSlowsTheStream() async throws {
        try await withRelaySimulator(configuration: .init(tokensPerSecond: 100, outputTokens: 20)) { port in
            let started = ContinuousClock.now
            let response = try await post(port, body: #"{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
            #expect(response.status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(180))
        }
    }

    @Test func scenarioHeadersOverrideTheConfiguration() {
        var fields = HTTPFieldsBuilder()
        fields.add("X-Sim-Chunk-Size", "4")
        fields.add("X-Sim-Usage", "off")
        fields.add("X-Sim-Reject", "rate-limit")
        fields.add("X-Sim-Stall-Ms", "250")
        let scenario = SimulatedScenario(configuration: .init(chunkSize: 1, reportUsage: true), headers: fields.fields)
        #expect(scenario.chunkSize == 4)
        #expect(scenario.reportUsage == false)
        #expect(scenario.faults.rateLimit)
        #expect(scenario.faults.stallDuration == .milliseconds(250))
    }
}

/// Builds `HTTPFields` from plain strings.
struct HTTPFieldsBuilder {
    var fields = HTTPFields()
    mutating func add(_ name: String, _ value: String) {
        fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
    }
}

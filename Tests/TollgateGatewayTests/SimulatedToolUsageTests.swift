import Foundation
import Testing
import TollgateLedger
import TollgateMetering
import TollgateRelaySim
import TollgateStorage
import TollgateStreaming
import TollgateTestSupport

/// The built-in simulator bills tool definitions in `prompt_tokens` as an OpenAI upstream does
/// (the cookbook formula, `SimulatedToolTokens`), so a simulated bill matches admission's estimate:
/// the tools add the same tokens to the upstream's count as to Tollgate's own.
@Suite("Simulated usage counts tool definitions")
struct SimulatedToolUsageTests {
    static let messages = #"[{"role":"developer","content":"Be brief."},{"role":"user","content":"Weather in Paris?"}]"#
    static let tools = #"""
        [{"type":"function","function":{"name":"get_weather","description":"Get the current weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string","description":"The city, e.g. Paris"},"units":{"type":"string","enum":["celsius","fahrenheit"]},"where":{"type":"object","properties":{"lat":{"type":"number"},"lon":{"type":"number"}}}},"required":["city"]}}},
         {"type":"function","function":{"name":"get_stock","parameters":{"type":"object","properties":{"ticker":{"type":"string"}}}}}]
        """#

    static func body(tools: Bool, stream: Bool, toolChoice: String = "none") -> String {
        var fields = [#""model":"gpt-4.1""#, #""messages":\#(messages)"#, #""stream":\#(stream)"#]
        if tools { fields += [#""tools":\#(Self.tools)"#, #""tool_choice":"\#(toolChoice)""#] }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Admission's count of the definitions in `body` (OpenAI's formula on gpt-4.1's o200k tokenizer).
    static func admissionToolTokens(_ body: String) throws -> Int {
        let parsed = try ChatRequestBody(bytes: Array(body.utf8))
        return PromptCounting.count(body: .object(parsed.json), with: try Vocabularies.counter(forModel: "gpt-4.1")).breakdown.toolDefinitions
    }

    @Test(
        "tools add to the simulated prompt_tokens exactly what admission counts for them, streamed or not, plain or tool-calling",
        arguments: [(false, "none"), (true, "none"), (false, "auto"), (true, "required")]
    )
    func sameAsAdmission(stream: Bool, toolChoice: String) async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(timeToFirstToken: .zero), simulatorOverSSE: true) { harness in
            let withTools = Self.body(tools: true, stream: stream, toolChoice: toolChoice)
            let plain = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: Self.body(tools: false, stream: stream))
            let tooled = try await harness.send(.POST, "/v1/chat/completions", key: harness.betaKey, json: withTools)
            #expect(plain.status == 200 && tooled.status == 200, "\(tooled.body)")
            let without = try #require(try await harness.entries(team: "alpha").first)
            let with = try #require(try await harness.entries(team: "beta").first)
            #expect(without.tokenSource == .upstream && with.tokenSource == .upstream)
            let admitted = try Self.admissionToolTokens(withTools)
            #expect(admitted > 40, "the definitions are worth counting: \(admitted)")
            #expect(
                with.usage.inputTokens - without.usage.inputTokens == admitted,
                "simulated: +\(with.usage.inputTokens - without.usage.inputTokens), admission: +\(admitted)"
            )
            // So the drift between the upstream's prompt count and Tollgate's is the same with tools as without.
            let drift = { (entry: LedgerEntry) in entry.usage.inputTokens - (entry.localInputTokens ?? 0) }
            #expect(drift(with) == drift(without))
        }
    }
}

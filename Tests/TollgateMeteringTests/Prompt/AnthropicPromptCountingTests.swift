import Foundation
import Testing
import TollgateCore
import TollgateStreaming
import TollgateTestSupport

@testable import TollgateMetering

@Suite("Prompt counting: Anthropic Messages bodies")
struct AnthropicPromptCountingTests {
    let counter = PromptFixtures.gpt

    func count(_ json: String) throws -> PromptCount {
        let body = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        return AnthropicPromptCounting.count(body: body, with: counter)
    }

    @Test("system as a string or as text blocks counts the same text")
    func system() throws {
        let plain = try count(#"{"system":"Be brief and exact.","messages":[{"role":"user","content":"hi"}]}"#)
        let blocks = try count(
            #"{"system":[{"type":"text","text":"Be brief and exact.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}"#
        )
        #expect(plain.total == blocks.total)
        #expect(plain.breakdown.text == counter.count("Be brief and exact.") + counter.count("hi"))
        #expect(plain.problems.isEmpty && !plain.estimated)
    }

    @Test("tool definitions add their name, description, schema and the tool-use system prompt once")
    func tools() throws {
        let base = try count(#"{"messages":[{"role":"user","content":"hi"}]}"#)
        let schema = #"{"type":"object","properties":{"q":{"type":"string"}}}"#
        let with = try count(
            #"{"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"search","description":"Find notes.","input_schema":\#(schema)}]}"#
        )
        #expect(with.total - base.total == AnthropicPromptCounting.toolSystemPromptTokens + with.breakdown.toolDefinitions)
        #expect(with.breakdown.toolDefinitions > counter.count("search") + counter.count("Find notes."))
        #expect(with.breakdown.framing - base.breakdown.framing == AnthropicPromptCounting.toolSystemPromptTokens)
    }

    @Test("tool_use and tool_result blocks in history count their name, input and result")
    func toolHistory() throws {
        let result = try count(
            #"{"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"search","input":{"q":"x"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"found it"}]}]}]}"#
        )
        #expect(result.breakdown.toolCalls == counter.count("search") + counter.count(#"{"q":"x"}"#))
        #expect(result.breakdown.text == counter.count("found it"))
        #expect(result.problems.isEmpty)
    }

    @Test(
        "images: width × height ÷ 750 rounded up, at most 1,600; a URL source is the worst case and an estimate",
        arguments: [
            (100, 100, 14), (1000, 1000, 1334), (750, 1, 1), (1568, 1568, 1600),
        ]
    )
    func images(width: Int, height: Int, tokens: Int) throws {
        let data = Data(PromptFixtures.png(width: width, height: height)).base64EncodedString()
        let result = try count(
            #"{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"\#(data)"}}]}]}"#
        )
        #expect(result.breakdown.images == tokens)
        #expect(!result.estimated)
        let remote = try count(
            #"{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}"#
        )
        #expect(remote.breakdown.images == 1_600)
        #expect(remote.estimated)
    }

    @Test("a block of an unknown shape is counted as its JSON text and reported, never free")
    func unknownBlock() throws {
        let result = try count(#"{"messages":[{"role":"user","content":[{"type":"hologram","payload":"abc def"}]}]}"#)
        #expect(result.breakdown.unrecognized > 0)
        #expect(result.problems.map(\.path) == ["messages[0].content[0]"])
        #expect(result.estimated)
    }

    @Test("a prompt asking for caching is held as cache writes at the longest lifetime it names; otherwise at the input price")
    func worstCasePrompt() throws {
        func body(_ text: String) throws -> ChatRequestBody { try ChatRequestBody(bytes: Array(text.utf8), api: .anthropicMessages) }
        let plain = try AnthropicPromptCounting.worstCasePrompt(100, body: try body(#"{"messages":[]}"#))
        #expect(plain == (try TokenUsage(inputTokens: 100, outputTokens: 0)))
        let fiveMinutes = try AnthropicPromptCounting.worstCasePrompt(
            100,
            body: try body(#"{"system":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}"#)
        )
        #expect(fiveMinutes.cacheWrite5mTokens == 100)
        let hour = try AnthropicPromptCounting.worstCasePrompt(
            100,
            body: try body(#"{"system":[{"type":"text","text":"x","cache_control":{"type":"ephemeral","ttl":"1h"}}]}"#)
        )
        #expect(hour.cacheWrite1hTokens == 100)
        let openAI = try AnthropicPromptCounting.worstCasePrompt(100, body: try ChatRequestBody(bytes: Array(#"{"cache_control":1}"#.utf8)))
        #expect(openAI.cacheWrite5mTokens == 0, "only Anthropic bodies")
    }
}

import Testing
import TollgateCore
import TollgateStreaming
import TollgateTestSupport
import TollgateTokenizers

@testable import TollgateMetering

@Suite("Prompt counting: messages over the whole Chat Completions body")
struct PromptCountingTests {
    let counter = PromptFixtures.gpt
    let settings = MeteringSettings()

    func count(_ json: String, with counter: ModelTokenCounter = PromptFixtures.gpt) -> PromptCount {
        PromptCounting.count(body: PromptFixtures.body(json), with: counter, settings: settings)
    }

    /// The text-only formula as it stood before part arrays: reply priming, then per message the
    /// overhead, the role and the content.
    func textOnly(_ messages: [ChatMessage], with counter: ModelTokenCounter) -> Int {
        settings.replyPrimingTokens
            + messages.reduce(0) { $0 + settings.tokensPerMessage + counter.count($1.role.rawValue) + counter.count($1.content) }
    }

    @Test(
        "a text-only body counts exactly what the text-only formula does, for every counter (seeded)",
        arguments: [
            PromptFixtures.gpt, PromptFixtures.cl100k, PromptFixtures.deepseek, PromptFixtures.claude,
        ]
    )
    func textOnlyUnchanged(counter: ModelTokenCounter) {
        var random = SeededGenerator(seed: 18)
        let words = ["hello", "预算", "tokens", " ", "\n", "déjà vu", "🙂", "func main() {}", "", "1234567"]
        for _ in 0..<50 {
            let messages = (0..<Int.random(in: 0...6, using: &random)).map { _ in
                ChatMessage(
                    role: ChatRole.allCases.randomElement(using: &random)!,
                    content: (0..<Int.random(in: 0...12, using: &random)).map { _ in words.randomElement(using: &random)! }.joined()
                )
            }
            #expect(PromptCounting.count(messages, with: counter, settings: settings) == textOnly(messages, with: counter))
        }
    }

    @Test("OpenAI's cookbook example: 2 messages and 1 tool count 101 with o200k_base (gpt-4o), 105 with cl100k_base (gpt-4)")
    func cookbookToolExample() {
        let json = #"""
            {"model":"gpt-4o","messages":[
              {"role":"system","content":"You are a helpful assistant that can answer to questions about the weather."},
              {"role":"user","content":"What's the weather like in San Francisco?"}],
             "tools":[{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather in a given location",
               "parameters":{"type":"object","properties":{
                 "location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
                 "unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}},
               "required":["location"]}}}]}
            """#
        #expect(count(json).total == 101)
        #expect(count(json, with: PromptFixtures.cl100k).total == 105)
        #expect(count(json).estimated == false)
    }

    @Test("every role counts its name and the per-message overhead the same way")
    func everyRole() {
        for role in ["system", "developer", "user", "assistant", "tool", "function"] {
            let result = count(#"{"messages":[{"role":"\#(role)","content":"Hi there","tool_call_id":"call_1"}]}"#)
            #expect(result.total == 3 + 3 + counter.count(role) + counter.count("Hi there"), "role \(role)")
            #expect(result.problems.isEmpty)
        }
    }

    @Test("a name costs its tokens plus one (the cookbook's tokens_per_name)")
    func names() {
        let result = count(#"{"messages":[{"role":"system","name":"example_user","content":"New synergies."}]}"#)
        #expect(result.breakdown.names == counter.count("example_user") + 1)
        #expect(result.total == 6 + counter.count("system") + counter.count("New synergies.") + counter.count("example_user") + 1)
    }

    @Test("text and refusal parts count as their text; null content counts nothing")
    func textParts() {
        let parts = count(
            #"{"messages":[{"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two three"}]},{"role":"assistant","content":[{"type":"refusal","refusal":"I can't."}]},{"role":"assistant","content":null,"refusal":"No."}]}"#
        )
        #expect(parts.breakdown.text == counter.count("one") + counter.count("two three") + counter.count("I can't.") + counter.count("No."))
        #expect(parts.problems.isEmpty && !parts.estimated)
    }

    @Test("reasoning sent back in assistant history counts as text")
    func reasoningInHistory() {
        let result = count(
            #"{"messages":[{"role":"assistant","content":"4","reasoning_content":"2 + 2 is 4."},{"role":"assistant","content":"5","reasoning":"Then add 1."}]}"#
        )
        #expect(result.breakdown.text == ["4", "2 + 2 is 4.", "5", "Then add 1."].reduce(0) { $0 + counter.count($1) })
    }

    @Test("assistant tool calls and legacy function_call count names, arguments and a per-call overhead; tool results count as content")
    func toolCallsInHistory() {
        let result = count(
            #"""
            {"messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18 C"},
              {"role":"assistant","function_call":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}},
              {"role":"function","name":"get_weather","content":"21 C"}]}
            """#
        )
        let calls = ["get_weather", #"{"city":"Paris"}"#, "get_time", "{}", "get_weather", #"{"city":"Rome"}"#].reduce(0) { $0 + counter.count($1) }
        #expect(result.breakdown.toolCalls == calls)
        #expect(
            result.breakdown.framing == 3 + 5 * 3 + 3 * 3
                + ["user", "assistant", "tool", "assistant", "function"].reduce(0) { $0 + counter.count($1) }
        )
        #expect(result.breakdown.text == counter.count("Weather?") + counter.count("18 C") + counter.count("21 C"))
        #expect(result.problems.isEmpty && result.estimated)
    }

    @Test("legacy functions use the same formula as tools")
    func legacyFunctions() {
        let tool = count(
            #"{"messages":[],"tools":[{"type":"function","function":{"name":"f","description":"Does f.","parameters":{"type":"object","properties":{"x":{"type":"integer","description":"An x."}}}}}]}"#
        )
        let function = count(
            #"{"messages":[],"functions":[{"name":"f","description":"Does f.","parameters":{"type":"object","properties":{"x":{"type":"integer","description":"An x."}}}}]}"#
        )
        #expect(tool.breakdown.toolDefinitions == function.breakdown.toolDefinitions)
        // func_init 7 + "f:Does f" + prop_init 3 + prop_key 3 + "x:integer:An x" + func_end 12
        #expect(tool.breakdown.toolDefinitions == 7 + counter.count("f:Does f") + 3 + 3 + counter.count("x:integer:An x") + 12)
    }

    @Test("nested properties of objects and array items count by the same rule, beyond the cookbook's flat case")
    func nestedParameters() {
        let flat = count(
            #"{"messages":[],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"object"}}}}}]}"#
        )
        let nested = count(
            #"{"messages":[],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string","description":"B"}}}}}}}]}"#
        )
        #expect(nested.breakdown.toolDefinitions == flat.breakdown.toolDefinitions + 3 + 3 + counter.count("b:string:B"))
        let items = count(
            #"{"messages":[],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","properties":{"b":{"type":"string","description":"B"}}}}}}}}]}"#
        )
        #expect(items.breakdown.toolDefinitions > flat.breakdown.toolDefinitions)
    }

    @Test("models whose templates embed definitions as JSON count at least the definition's JSON text")
    func jsonTemplates() {
        let json =
            #"{"messages":[],"tools":[{"type":"function","function":{"name":"lookup","description":"Look it up.","parameters":{"type":"object","properties":{"q":{"type":"string","description":"Query."}},"required":["q"]}}}]}"#
        let definition =
            #"{"description":"Look it up.","name":"lookup","parameters":{"properties":{"q":{"description":"Query.","type":"string"}},"required":["q"],"type":"object"}}"#
        for counter in [PromptFixtures.deepseek, PromptFixtures.claude] {
            #expect(count(json, with: counter).breakdown.toolDefinitions >= 10 + counter.count(definition) + 12)
        }
    }

    @Test("a tool of another type (custom, built-in) counts as its JSON text, as an estimate, not a problem")
    func otherToolTypes() {
        let result = count(#"{"messages":[],"tools":[{"type":"custom","custom":{"name":"grammar","description":"Free-form."}}]}"#)
        #expect(result.breakdown.toolDefinitions == counter.count(#"{"custom":{"description":"Free-form.","name":"grammar"},"type":"custom"}"#))
        #expect(result.estimated && result.problems.isEmpty)
    }

    @Test("a json_schema response_format counts its name, description and schema text; text and json_object count nothing")
    func responseFormat() {
        let schema = count(
            #"{"messages":[],"response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}}}"#
        )
        #expect(
            schema.breakdown.responseFormat == counter.count("answer") + counter.count(#"{"properties":{"a":{"type":"string"}},"type":"object"}"#)
        )
        #expect(schema.estimated)
        for type in ["text", "json_object"] {
            #expect(count(#"{"messages":[],"response_format":{"type":"\#(type)"}}"#).breakdown.responseFormat == 0)
        }
    }

    @Test("other top-level fields, present or future, cost nothing")
    func otherFields() {
        let plain = count(#"{"messages":[{"role":"user","content":"Hi"}]}"#)
        let extras = count(
            #"{"model":"gpt-4.1","messages":[{"role":"user","content":"Hi"}],"temperature":0.2,"stream":true,"stream_options":{"include_usage":true},"metadata":{"a":"b"},"seed":7,"future_field":[1,2,3]}"#
        )
        #expect(plain == extras)
    }

    @Test("an unknown content part type counts as its JSON text, as an estimate, not a problem")
    func unknownPart() {
        let result = count(#"{"messages":[{"role":"user","content":[{"type":"video_url","video_url":{"url":"https://x"}}]}]}"#)
        #expect(result.breakdown.unrecognized == counter.count(#"{"type":"video_url","video_url":{"url":"https://x"}}"#))
        #expect(result.estimated && result.problems.isEmpty)
    }

    @Test(
        "nonsense values are counted as their JSON text and named as problems",
        arguments: [
            (
                #"{"messages":[{"role":"user","content":5}]}"#,
                "messages[0].content: expected a string, an array of content parts, or null, got a number", "5"
            ),
            (
                #"{"messages":[{"role":"user","content":{"text":"hi"}}]}"#,
                "messages[0].content: expected a string, an array of content parts, or null, got an object", #"{"text":"hi"}"#
            ),
            (#"{"messages":[{"role":7,"content":"hi"}]}"#, "messages[0].role: expected a string, got a number", "7"),
            (#"{"messages":["hello"]}"#, "messages[0]: expected a message object, got a string", #""hello""#),
            (#"{"messages":{"role":"user"}}"#, "messages: expected an array of messages, got an object", #"{"role":"user"}"#),
            (
                #"{"messages":[{"role":"user","content":["bare"]}]}"#, "messages[0].content[0]: expected a content part object, got a string",
                #""bare""#
            ),
            (#"{"messages":[{"role":"user","name":false,"content":"hi"}]}"#, "messages[0].name: expected a string, got a boolean", "false"),
            (
                #"{"messages":[{"role":"user","content":[{"text":"hi"}]}]}"#,
                "messages[0].content[0].type: expected a part type (text, image_url, input_audio, file, refusal), got an object", #"{"text":"hi"}"#
            ),
            (#"{"messages":[],"tools":"all"}"#, "tools: expected an array of tools, got a string", #""all""#),
            (
                #"{"messages":[],"tools":[{"type":"function"}]}"#,
                "tools[0].function: expected an object with name, description and parameters, got null", "null"
            ),
            (#"{"messages":[],"response_format":"json"}"#, "response_format: expected an object with a type, got a string", #""json""#),
        ]
    )
    func nonsense(json: String, problem: String, counted: String) {
        let result = count(json)
        #expect(result.problems.map(\.description) == [problem])
        #expect(result.breakdown.unrecognized == counter.count(counted))
        #expect(result.estimated)
    }

    @Test("a body that is not an object, or has no messages, counts the reply priming and says why")
    func notABody() {
        let array = PromptCounting.count(body: .array([]), with: counter, settings: settings)
        #expect(array.problems.map(\.description) == ["body: expected a JSON object, got an array"])
        #expect(array.total == 3 + counter.count("[]"))
        let empty = count("{}")
        #expect(empty.problems.map(\.description) == ["messages: missing; expected an array of messages"])
        #expect(empty.total == 3)
    }

    @Test("tool-call arguments sent as an object are counted as JSON text and named")
    func objectArguments() {
        let result = count(
            #"{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":{"a":1}}}]}]}"#
        )
        #expect(result.problems.map(\.description) == ["messages[0].tool_calls[0].function.arguments: expected a JSON string, got an object"])
        #expect(result.breakdown.toolCalls == counter.count("f") + counter.count(#"{"a":1}"#))
    }

    @Test("only exact tokenizers and published formulas make a tokenizer-exact count; everything else is an estimate")
    func whatIsEstimated() {
        let flatTool =
            #"{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"x":{"type":"string"}}}}}]}"#
        #expect(count(flatTool).tokenSource(countedWith: counter) == .tokenizer)
        #expect(count(flatTool, with: PromptFixtures.deepseek).tokenSource(countedWith: PromptFixtures.deepseek) == .estimate)
        #expect(
            count(#"{"messages":[{"role":"user","content":"Hi"}]}"#, with: PromptFixtures.claude).tokenSource(countedWith: PromptFixtures.claude)
                == .estimate
        )
        #expect(
            count(#"{"messages":[{"role":"user","content":"Hi"}]}"#, with: PromptFixtures.deepseek).tokenSource(countedWith: PromptFixtures.deepseek)
                == .tokenizer
        )
        for estimated in [
            #"{"messages":[],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}}}}}}}]}"#,
            #"{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]}"#,
            #"{"messages":[{"role":"assistant","function_call":{"name":"f","arguments":"{}"}}]}"#,
            #"{"messages":[{"role":"assistant","content":"4","reasoning_content":"2 + 2"}]}"#,
            #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}"#,
        ] {
            #expect(count(estimated).tokenSource(countedWith: counter) == .estimate, "\(estimated)")
        }
    }

    @Test("settlement keeps an upstream prompt count below a worst-case estimate: the estimate's source stops the under-report rule")
    func estimateNeverOverrulesUpstream() throws {
        let result = count(#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/small.png"}}]}]}"#)
        let local = try TokenUsage(inputTokens: result.total, outputTokens: 10)
        let upstream = UpstreamUsage(inputTokens: 262, outputTokens: 10)  // a small image: one tile
        let billed = UpstreamUsageRule.billed(upstream: upstream, local: local, localSource: result.tokenSource(countedWith: counter))
        #expect(billed.usage.inputTokens == 262 && billed.source == .upstream && billed.check == nil)
        // Recorded as exact, the same estimate would have overruled the upstream: why the source matters.
        #expect(UpstreamUsageRule.billed(upstream: upstream, local: local, localSource: .tokenizer).check == .underReported)
    }

    @Test("a huge body counts every message once: 20 000 messages and a 4 MB image")
    func hugeBody() {
        let message = #"{"role":"user","content":"The quick brown fox jumps over the lazy dog."}"#
        let image = PromptFixtures.dataURL(PromptFixtures.png(width: 1024, height: 1024) + Array(repeating: 0x5A, count: 3_000_000))
        let json =
            #"{"messages":["# + Array(repeating: message, count: 20_000).joined(separator: ",")
            + #",{"role":"user","content":\#(PromptFixtures.imagePart(image))}]}"#
        let result = count(json)
        let perMessage = 3 + counter.count("user") + counter.count("The quick brown fox jumps over the lazy dog.")
        #expect(result.total == 3 + 20_000 * perMessage + 3 + counter.count("user") + 765)
    }
}

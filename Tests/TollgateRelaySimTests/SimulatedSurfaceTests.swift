import Foundation
import Testing
import TollgateRelaySim
import TollgateTestSupport

/// The simulator's own OpenAI surface: what a request asks for, it produces as valid OpenAI
/// chunks and bodies (decoded here by the official Python SDK), with usage that adds up.
@Suite("Generated OpenAI surface")
struct SimulatedSurfaceTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Python/sim_surface_flow.py")

    static let pythonReady: Bool = {
        guard let result = try? ChildProcess.run(["python3", "-c", "import openai, pydantic"]) else { return false }
        return result.status == 0
    }()

    private static func count(_ text: String) -> Int { SimulatedText.defaultTokenCount(model: "gpt-4.1", text: text) }

    /// Completion and reasoning tokens of a decoded case, recounted from what the SDK decoded.
    private static func recount(_ choices: [[String: Any]]) -> (completion: Int, reasoning: Int) {
        var completion = 0
        var reasoning = 0
        for choice in choices {
            let thought = count(choice["reasoning"] as? String ?? "")
            reasoning += thought
            completion += thought + count(choice["content"] as? String ?? "") + count(choice["refusal"] as? String ?? "")
            for call in choice["tool_calls"] as? [[String: Any]] ?? [] {
                completion += count(call["name"] as? String ?? "") + count(call["arguments"] as? String ?? "")
            }
        }
        return (completion, reasoning)
    }

    @Test(.enabled(if: pythonReady, "python3 with the openai module is required: pip install openai"))
    func theOpenAISDKDecodesEveryGeneratedFeatureAndEveryRecording() async throws {
        try await withRelaySimulator(configuration: RecordedReplayTests.configuration) { port in
            let result = try await ChildProcess.runOffPool(
                [
                    "python3", Self.script.path, "--base-url", "http://127.0.0.1:\(port)/v1",
                    "--replay",
                ] + RecordedReplayTests.streamed
            )
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let prompt = "developer: Be brief.\nuser: Weather in Paris?"
            for (name, value) in output where name.hasSuffix("_stream") || name.hasSuffix("_body") || name == "agent_loop_answer" {
                let decoded = try #require(value as? [String: Any])
                let choices = try #require(decoded["choices"] as? [[String: Any]])
                let usage = try #require(decoded["usage"] as? [String: Any], "\(name) has no usage")
                let (completion, reasoning) = Self.recount(choices)
                #expect(usage["completion_tokens"] as? Int == completion, "\(name): completion_tokens")
                // The agent loop's answer is plain text: the simulator's original usage, without details.
                guard name != "agent_loop_answer" else { continue }
                // Tool definitions are billed as input too (SimulatedToolTokens; exact against admission in the gateway suite).
                if name.contains("tool_call") {
                    #expect((usage["prompt_tokens"] as? Int ?? 0) > Self.count(prompt) + 12, "\(name): prompt_tokens count the tools")
                } else {
                    #expect(usage["prompt_tokens"] as? Int == Self.count(prompt), "\(name): prompt_tokens")
                }
                #expect((usage["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int == reasoning, "\(name)")
            }
            func choices(_ name: String) -> [[String: Any]] { (output[name] as? [String: Any])?["choices"] as? [[String: Any]] ?? [] }
            func calls(_ name: String) -> [[String: Any]] { choices(name).first?["tool_calls"] as? [[String: Any]] ?? [] }
            #expect(calls("tool_call_stream").map { $0["name"] as? String } == ["get_weather"])
            #expect(calls("tool_call_body").map { $0["arguments"] as? String } == calls("tool_call_stream").map { $0["arguments"] as? String })
            #expect(calls("parallel_tool_calls_stream").map { $0["name"] as? String } == ["get_weather", "get_stock"])
            #expect(choices("tool_call_stream").first?["finish"] as? String == "tool_calls")
            #expect((choices("reasoning_stream").first?["reasoning"] as? String)?.isEmpty == false)
            #expect(choices("reasoning_body").first?["reasoning"] as? String == choices("reasoning_stream").first?["reasoning"] as? String)
            #expect(choices("refusal_stream").first?["refusal"] as? String == "I'm sorry, but I can't help with that request.")
            #expect(choices("refusal_stream").first?["content"] as? String == "")
            #expect(choices("n3_stream").count == 3)
            #expect(Set(choices("n3_stream").map { $0["content"] as? String ?? "" }).count == 3, "each choice has its own text")
            #expect((choices("logprobs_stream").first?["logprobs"] as? Int ?? 0) > 0)
            #expect(choices("logprobs_body").first?["logprobs"] as? Int == choices("logprobs_stream").first?["logprobs"] as? Int)
            #expect(calls("agent_loop_answer").isEmpty)
            #expect((choices("agent_loop_answer").first?["content"] as? String)?.isEmpty == false)
            let parsedTool = try #require(output["parsed_tool_arguments"] as? [String: Any])
            #expect(Set(parsedTool.keys) == ["city", "country", "units"])
            let parsed = try #require(output["parsed_answer"] as? [String: Any])
            #expect(parsed["count"] as? Int == 1)
            #expect(parsed["done"] as? Bool == true)
            #expect(output["stream_helper_parsed"] as? NSDictionary == parsed as NSDictionary)
            let replays = try #require(output["replays"] as? [String: [String: Any]])
            #expect(Set(replays.keys) == Set(RecordedReplayTests.streamed))
            func replayed(_ name: String) -> [[String: Any]] { replays[name]?["choices"] as? [[String: Any]] ?? [] }
            #expect(replayed("openai-n3").count == 3)
            #expect((replayed("openai-parallel-tool-calls").first?["tool_calls"] as? [[String: Any]])?.count == 2)
            #expect((replayed("openai-tool-call").first?["tool_calls"] as? [[String: Any]])?.count == 1)
            #expect((replayed("deepseek-reasoning").first?["reasoning"] as? String)?.isEmpty == false)
            #expect((replayed("deepseek-reasoning-tool-call").first?["tool_calls"] as? [[String: Any]])?.count == 1)
            #expect((replayed("openai-refusal").first?["refusal"] as? String)?.isEmpty == false)
            #expect((replayed("openai-refusal-logprobs").first?["logprobs"] as? Int ?? 0) > 0)
            #expect((replayed("openai-logprobs").first?["logprobs"] as? Int ?? 0) > 0)
            #expect((replayed("openai-audio-transcript").first?["transcript"] as? String) == "Hello there! How can I help you today?")
            for (name, replay) in replays {
                #expect(replay["usage"] is [String: Any], "\(name): the recorded usage reaches the SDK")
            }
            let rateLimit = try #require(output["rate_limit"] as? [String: Any])
            #expect(rateLimit["status"] as? Int == 429)
            #expect(rateLimit["retry_after"] as? String == "3")
            #expect(rateLimit["code"] as? String == "rate_limit_exceeded")
            #expect(rateLimit["remaining_requests"] as? String == "0")
        }
    }

    @Test(
        "an error status answers with OpenAI's body and headers",
        arguments: [
            (400, "invalid_request_error", nil), (401, "invalid_request_error", "invalid_api_key"),
            (403, "request_forbidden", "unsupported_country_region_territory"), (404, "invalid_request_error", "model_not_found"),
            (429, "tokens", "rate_limit_exceeded"), (500, "server_error", nil), (503, "server_error", nil),
        ] as [(Int, String, String?)]
    )
    func errorStatus(status: Int, type: String, code: String?) async throws {
        try await withRelaySimulator { port in
            for streaming in [false, true] {
                let answer = try await SimulatorHTTP.post(
                    port,
                    SimulatorHTTP.body(
                        #""tollgate_sim":{"status":\#(status),"retry_after":7}"#,
                        stream: streaming
                    )
                )
                #expect(answer.status == status)
                #expect(answer.header("content-type") == "application/json")
                #expect(answer.header("x-request-id")?.hasPrefix("req_") == true)
                let error = try #require(answer.json["error"] as? [String: Any])
                #expect(error["type"] as? String == type)
                #expect(error["code"] as? String == code)
                #expect(error["param"] is NSNull)
                #expect((error["message"] as? String)?.isEmpty == false)
                #expect(answer.header("retry-after") == (status == 429 || status == 503 ? "7" : nil))
                #expect(answer.header("x-ratelimit-reset-tokens") == (status == 429 ? "7s" : nil))
            }
            let header = try await SimulatorHTTP.post(port, SimulatorHTTP.body(), headers: [("X-Sim-Status", "\(status)")])
            #expect(header.status == status)
        }
    }

    @Test func usageReportsReasoningAndCachedTokens() async throws {
        try await withRelaySimulator { port in
            let answer = try await SimulatorHTTP.post(
                port,
                SimulatorHTTP.body(#""tollgate_sim":{"reasoning_tokens":9}"#),
                headers: [("X-Sim-Cached-Tokens", "3")]
            )
            let usage = try #require(answer.json["usage"] as? [String: Any])
            let message = try #require(((answer.json["choices"] as? [[String: Any]])?.first)?["message"] as? [String: Any])
            let reasoning = Self.count(message["reasoning_content"] as? String ?? "")
            #expect(reasoning == 9)
            #expect((usage["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int == 9)
            #expect((usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int == 3)
            #expect(usage["completion_tokens"] as? Int == 9 + 32)
            #expect(usage["total_tokens"] as? Int == (usage["prompt_tokens"] as? Int ?? 0) + 41)
        }
    }

    @Test func maxTokensCutsReasoningFirst() async throws {
        try await withRelaySimulator { port in
            let answer = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""max_completion_tokens":4,"tollgate_sim":{"reasoning_tokens":10}"#))
            let choice = try #require((answer.json["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(choice["finish_reason"] as? String == "length")
            #expect(Self.count(message["reasoning_content"] as? String ?? "") == 4)
            #expect(message["content"] as? String == "")
        }
    }

    @Test func streamedToolArgumentsArriveInPieces() async throws {
        try await withRelaySimulator { port in
            let answer = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""tollgate_sim":{"tool_calls":1}"#, stream: true))
            let pieces = answer.text.components(separatedBy: "\n\n").filter { $0.contains(#""function":{"arguments":"#) }
            #expect(pieces.count > 3)
            #expect(answer.text.contains(#""name":"lookup""#))
            #expect(answer.text.hasSuffix("data: [DONE]\n\n"))
            #expect(!answer.text.contains("\"usage\""), "usage only when stream_options.include_usage asks for it")
        }
    }

    @Test func garbageEndsAStreamWithALineThatIsNotJSON() async throws {
        try await withRelaySimulator { port in
            let answer = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""tollgate_sim":{"garbage_after":2}"#, stream: true))
            #expect(answer.status == 200)
            let events = answer.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            // The opening chunk, two output chunks, then the garbage line; no [DONE].
            #expect(events.count == 4)
            #expect(events.last == "data: <html><head><title>502 Bad Gateway</title></head>")
            let body = try await SimulatorHTTP.post(port, SimulatorHTTP.body(), headers: [("X-Sim-Garbage-After", "0")])
            #expect(body.status == 200)
            #expect(body.header("content-type") == "text/html")
            #expect(body.json.isEmpty)
        }
    }

    @Test func jsonModeAnswersWithAJSONObject() async throws {
        try await withRelaySimulator { port in
            let answer = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""response_format":{"type":"json_object"}"#))
            let content = try #require(((answer.json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String)
            let object = try JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any]
            #expect(object?["answer"] is String)
        }
    }

    @Test("every valid body is answered: developer and tool roles, parts, null content with tool calls")
    func everyValidBodyIsAnswered() async throws {
        let messages = #"""
            [{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"w","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"sunny"}]
            """#
        try await withRelaySimulator { port in
            let answer = try await SimulatorHTTP.post(port, #"{"model":"gpt-4.1","messages":\#(messages),"future_field":{"x":1}}"#)
            #expect(answer.status == 200)
            let content = ((answer.json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String
            let prompt = "developer: Be brief.\nuser: Weather?\nassistant: \ntool: sunny"
            #expect(content == SimulatedText.generate(model: "gpt-4.1", prompt: prompt, seed: 0, pieceCount: 32).joined())
        }
    }

    @Test(
        "a bad simulator control is 400 saying what is wrong",
        arguments: [
            (#""tollgate_sim":{"reasoning":5}"#, "'reasoning' is not a simulator control"),
            (#""tollgate_sim":{"tool_calls":"two"}"#, "'tool_calls' takes a whole number from 0 to 16"),
            (#""tollgate_sim":{"status":200}"#, "'status' takes a whole number from 400 to 599"),
            (#""tollgate_sim":{"refusal":"yes"}"#, "'refusal' takes true or false"),
            (#""tollgate_sim":{"replay":1}"#, "'replay' takes a fixture name"),
            (#""tollgate_sim":"replay""#, "'tollgate_sim' must be an object"),
        ]
    )
    func badControl(fields: String, message: String) async throws {
        try await withRelaySimulator { port in
            let answer = try await SimulatorHTTP.post(port, SimulatorHTTP.body(fields))
            #expect(answer.status == 400)
            #expect(answer.text.contains(message), "\(answer.text)")
        }
    }
}

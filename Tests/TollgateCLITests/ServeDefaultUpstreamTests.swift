import Foundation
import Testing
import TollgateCore
import TollgateLedger

/// `tollgate serve` with no upstream configured, driven as a new user would: the built-in simulator
/// is reached over OpenAI SSE, so the official OpenAI SDK's agent loop, `n=2` and reasoning work on
/// the default path, and the relay WebSocket endpoint still streams text through the same upstream.
@Suite(
    "tollgate serve: the default upstream",
    .enabled(if: Curl.available, "curl is required to talk to the served gateway")
)
struct ServeDefaultUpstreamTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appending(path: "Python")

    /// Starts a first-run `serve` (no upstream), returns it, its port and the demo key it printed.
    private func serve(_ cli: CLIRunner) async throws -> (ServeProcess, Int, String) {
        let serve = try ServeProcess([], environment: ["TOLLGATE_DB": cli.db, "TOLLGATE_UPSTREAM_KEY": ServeCommandTests.upstreamKey])
        let port = try await serve.port()
        let key = try #require(
            serve.output.split(separator: "\n").first { $0.hasPrefix("  ") && !$0.contains("curl") && !$0.contains("-d ") }?
                .trimmingCharacters(in: .whitespaces)
        )
        return (serve, port, key)
    }

    @Test(
        "the Anthropic SDK against the default serve: /v1/messages streams through the simulator's Messages API and is billed",
        .enabled(if: Process.python3Has("anthropic"), "python3 with the anthropic package is required: pip install anthropic")
    )
    func anthropicMessages() async throws {
        let cli = try CLIRunner()
        let (serve, port, key) = try await serve(cli)
        var outputs: [[String: Any]] = []
        for scenario in ["stream_helper", "tool_roundtrip"] {
            let (status, output) = try await Curl.runCapturing([
                "python3", Self.scripts.appending(path: "anthropic_messages_flow.py").path,
                "--base-url", "http://127.0.0.1:\(port)", "--key", key, "--scenario", scenario,
            ])
            #expect(status == 0, "\(output)\n\(serve.errors)")
            outputs.append(try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)"))
        }
        #expect(try await serve.terminate() == 0)
        #expect(outputs[0]["ok"] as? Bool == true && !(outputs[0]["text"] as? String ?? "").isEmpty, "\(outputs[0])")
        #expect(outputs[1]["first_stop"] as? String == "tool_use" && outputs[1]["second_stop"] as? String == "end_turn", "\(outputs[1])")
        let ledger = try SQLiteLedger(path: cli.db)
        let entries = try await ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
        #expect(entries.map(\.outcome) == ["completed", "completed", "completed"])
        #expect(entries.allSatisfy { $0.model?.rawValue == "claude-sonnet-4.5" && $0.tokenSource == .upstream && $0.chargeUSD.nanos > 0 })
    }

    @Test(
        "the OpenAI SDK against the default serve: a tool-call agent loop (streamed and not), n=2 (streamed and not), reasoning; each billed",
        .enabled(if: Process.python3Has("openai"), "python3 with the openai package is required: pip install openai")
    )
    func openAISurface() async throws {
        let cli = try CLIRunner()
        let (serve, port, key) = try await serve(cli)
        #expect(serve.errors.contains("OpenAI SSE at http://127.0.0.1:"), "\(serve.errors)")
        let (status, output) = try await Curl.runCapturing([
            "python3", Self.scripts.appending(path: "serve_default_flow.py").path,
            "--base-url", "http://127.0.0.1:\(port)/v1", "--key", key,
        ])
        #expect(try await serve.terminate() == 0)
        #expect(status == 0, "\(output)\n\(serve.errors)")
        let flow = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        func choices(_ name: String) -> [[String: Any]] { ((flow[name] as? [String: Any])?["choices"] as? [[String: Any]]) ?? [] }
        func usage(_ name: String) -> [String: Any] { ((flow[name] as? [String: Any])?["usage"] as? [String: Any]) ?? [:] }

        for name in ["agent_call", "agent_call_stream"] {
            let call = try #require(choices(name).first, "\(name): \(output)")
            #expect(call["finish"] as? String == "tool_calls", "\(name)")
            let calls = call["tool_calls"] as? [[String: Any]] ?? []
            #expect(calls.count == 1 && calls.first?["name"] as? String == "get_weather", "\(name): \(calls)")
            let arguments = try #require(calls.first?["arguments"] as? String)
            #expect((try? JSONSerialization.jsonObject(with: Data(arguments.utf8))) is [String: Any], "\(name): arguments are JSON: \(arguments)")
        }
        for name in ["agent_answer", "agent_answer_stream"] {
            let answer = try #require(choices(name).first, "\(name): \(output)")
            #expect(answer["finish"] as? String == "stop", "\(name): after the tool's result the model answers")
            #expect(!(answer["content"] as? String ?? "").isEmpty, "\(name)")
        }
        for name in ["n2", "n2_stream"] {
            let both = choices(name)
            #expect(both.count == 2, "\(name): \(both)")
            #expect(both.allSatisfy { !($0["content"] as? String ?? "").isEmpty }, "\(name): each choice has its text")
        }
        let reasoning = choices("reasoning_stream").first?["reasoning"] as? String ?? ""
        #expect(!reasoning.isEmpty, "reasoning_content reaches the client")

        // Every request settled completed, in the script's order, never below the upstream's usage: the
        // tool-call arguments and both choices are billed, not 0 or one choice. (The simulator's
        // prompt_tokens leave out tool definitions, which Tollgate counts, so a request with tools is
        // billed on Tollgate's own count as an under-report; the others on the upstream's.)
        let entries = try await SQLiteLedger(path: cli.db).entries(teamID: nil, from: nil, to: nil, limit: 100).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        #expect(entries.count == 7, "\(entries.map(\.outcome))")
        #expect(entries.allSatisfy { $0.outcome == "completed" }, "\(entries.map(\.outcome))")
        let order = ["agent_call", "agent_answer", "agent_call_stream", "agent_answer_stream", "n2", "n2_stream", "reasoning_stream"]
        for (name, entry) in zip(order, entries) {
            let completion = try #require(usage(name)["completion_tokens"] as? Int, "\(name): the SDK decoded usage")
            #expect(completion > 0)
            if entry.tokenSource == .upstream {
                #expect(entry.usage.outputTokens == completion, "\(name): billed \(entry.usage.outputTokens), the upstream said \(completion)")
            } else {
                #expect(
                    entry.usageCheck == .underReported && entry.usage.outputTokens >= completion,
                    "\(name): billed \(entry.usage.outputTokens) (\(String(describing: entry.usageCheck))), the upstream said \(completion)"
                )
            }
        }
        for text in [serve.output, serve.errors, output] { #expect(!text.contains(ServeCommandTests.upstreamKey)) }
    }

    @Test(
        "the relay WebSocket endpoint still streams text on the default serve (its turns carried over the simulator's SSE)",
        .enabled(if: Curl.pythonWebSocketReady, "python3 with the websocket-client module is required: pip install websocket-client")
    )
    func webSocketTurn() async throws {
        let cli = try CLIRunner()
        let (serve, port, key) = try await serve(cli)
        let (status, output) = try await Curl.runCapturing([
            "python3", Self.scripts.appending(path: "seed_ws_flow.py").path,
            "--url", "ws://127.0.0.1:\(port)/v1/ws/stream", "--key", key,
        ])
        #expect(try await serve.terminate() == 0)
        #expect(status == 0, "\(output)\n\(serve.errors)")
        let flow = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        #expect(!(flow["text"] as? String ?? "").isEmpty, "\(output)")
        let entries = try await SQLiteLedger(path: cli.db).entries(teamID: nil, from: nil, to: nil, limit: 10)
        #expect(entries.map(\.outcome) == ["completed"])
        #expect((entries.first?.usage.outputTokens ?? 0) > 0)
    }
}

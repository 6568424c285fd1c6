import Foundation
import Testing

@Suite("tollgate tokens prompt: a request body counted as admission counts it")
struct TokensPromptTests {
    static let cookbook = #"""
        {"model":"gpt-4.1","messages":[
          {"role":"system","content":"You are a helpful assistant that can answer to questions about the weather."},
          {"role":"user","content":"What's the weather like in San Francisco?"}],
         "tools":[{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather in a given location",
           "parameters":{"type":"object","properties":{
             "location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
             "unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}},
           "required":["location"]}}}]}
        """#

    @Test("the body's model counts it: OpenAI's cookbook example is 101 tokens, with the tool definitions apart")
    func cookbook() async throws {
        let cli = try CLIRunner()
        let result = try await cli.run(["tokens", "prompt"], stdin: Self.cookbook)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "101 prompt tokens")
        #expect(lines.contains { $0.hasPrefix("  tool_definitions") })
        #expect(lines.last == "output: 1 choice")
    }

    @Test("a file, --model, an image, n and an estimated model say so")
    func estimates() async throws {
        let cli = try CLIRunner()
        let file = cli.folder.appending(path: "body.json")
        try Data(#"{"n":2,"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"#.utf8)
            .write(to: file)
        let result = try await cli.run(["tokens", "prompt", "--model", "claude-sonnet-4.5", "--file", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("prompt tokens (parts estimated; claude-sonnet-4.5 tokens estimated from o200k_base)"))
        #expect(result.stdout.contains("  images            1445"))
        #expect(result.stdout.contains("output: 2 choices"))
    }

    @Test("wrong shapes are warnings naming the path; the count still includes them")
    func warnings() async throws {
        let cli = try CLIRunner()
        let result = try await cli.run(["tokens", "prompt", "--model", "gpt-4.1"], stdin: #"{"messages":[{"role":"user","content":5}]}"#)
        #expect(result.status == 0)
        #expect(
            result.stderr.contains(
                "warning: messages[0].content: expected a string, an array of content parts, or null, got a number (counted as its JSON text)"
            )
        )
        #expect(result.stdout.contains("  unrecognized      1"))
    }

    @Test(
        "bad input is an error that says what to pass",
        arguments: [
            (["tokens", "prompt"], "not json", "the body is not JSON: pass a Chat Completions request body"),
            (["tokens", "prompt"], #"{"messages":[]}"#, "no model: pass --model (e.g. --model gpt-4.1) or put \"model\" in the body"),
            (
                ["tokens", "prompt", "--model", "gpt-4.1"], #"{"n":0,"messages":[]}"#,
                "n must be a positive integer (the number of choices to generate), got 0: fix \"n\" in the body"
            ),
            (["tokens", "prompt", "--file", "/nonexistent/body.json"], "", "cannot read '/nonexistent/body.json': check the path"),
        ]
    )
    func errors(arguments: [String], stdin: String, message: String) async throws {
        let cli = try CLIRunner()
        let result = try await cli.run(arguments, stdin: stdin)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

import Foundation
import TollgateCore
import TollgateDefaults
import TollgateMetering
import TollgateStreaming
import TollgateTokenizers

/// `tollgate-bench prompt-count`: what counting a whole Chat Completions body costs at admission,
/// per body shape, beside the cost of tokenizing the same text alone (the walker's overhead is the
/// difference). Bodies are built in memory; the time excludes JSON parsing, which the gateway does
/// once for forwarding anyway.
public enum PromptCountingBench {
    /// Runs each shape `runs` times with the built-in o200k_base (gpt-4.1) and returns Markdown.
    public static func run(runs: Int) throws -> String {
        let counter = try TokenizerRegistry(locator: .builtIn).counter(forModel: "gpt-4.1", in: try PricingTable.shipped().catalog)
        var lines = [
            "# Prompt counting benchmark", "", "gpt-4.1 (o200k_base, built in). Median of \(runs) runs, single thread.", "",
            "| body | JSON bytes | tokens | count (median) | text alone | MB/s |", "|---|---|---|---|---|---|",
        ]
        for shape in shapes() {
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(shape.json.utf8))
            var samples: [Duration] = []
            var textSamples: [Duration] = []
            var tokens = 0
            let clock = ContinuousClock()
            for _ in 0..<runs {
                samples.append(clock.measure { tokens = PromptCounting.count(body: body, with: counter).total })
                textSamples.append(clock.measure { _ = counter.count(shape.text) })
            }
            let median = samples.sorted()[runs / 2]
            let textMedian = textSamples.sorted()[runs / 2]
            lines.append(
                "| \(shape.name) | \(shape.json.utf8.count) | \(tokens) | \(String(format: "%.1f", microseconds(median))) µs | \(String(format: "%.1f", microseconds(textMedian))) µs "
                    + "| \(String(format: "%.1f", Double(shape.json.utf8.count) / microseconds(median))) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    private struct Shape {
        let name: String
        let json: String
        /// The body's text alone, concatenated: what tokenizing without the walker costs.
        let text: String
    }

    private static func shapes() -> [Shape] {
        let sentence = "The quick brown fox jumps over the lazy dog, then checks the weather in Paris. "
        let tool =
            #"{"type":"function","function":{"name":"get_weather","description":"Get the weather.","parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name."},"unit":{"type":"string","enum":["c","f"]}}}}}"#
        let agentMessages = (0..<10).map { index in
            #"{"role":"user","content":"\#(sentence)"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_\#(index)","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call_\#(index)","content":"18 C, cloudy"}"#
        }
        let agent =
            #"{"model":"gpt-4.1","messages":[{"role":"system","content":"\#(sentence)"},"# + agentMessages.joined(separator: ",")
            + #"],"tools":["# + Array(repeating: tool, count: 4).joined(separator: ",") + "]}"
        let longText = String(repeating: sentence, count: 12_500)
        let long = #"{"model":"gpt-4.1","messages":[{"role":"user","content":"\#(longText)"}]}"#
        let manyMessages =
            #"{"model":"gpt-4.1","messages":["# + Array(repeating: #"{"role":"user","content":"\#(sentence)"}"#, count: 10_000).joined(separator: ",")
            + "]}"
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 4, 0, 0, 0, 3, 0]
        png += Array(repeating: 0x5A, count: 8_000_000)
        let image =
            #"{"model":"gpt-4.1","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,\#(Data(png).base64EncodedString())"}}]}]}"#
        return [
            Shape(name: "agent loop: 31 messages, 10 tool calls, 4 tools", json: agent, text: String(repeating: sentence, count: 11)),
            Shape(name: "one 1 MB user message", json: long, text: longText),
            Shape(name: "10 000 short messages", json: manyMessages, text: String(repeating: sentence, count: 10_000)),
            Shape(name: "an 8 MB PNG data URL", json: image, text: "What is this?"),
        ]
    }
}

import ArgumentParser
import Foundation
import TollgateMetering
import TollgateStreaming
import TollgateTokenizers

/// `tollgate tokens prompt [--model MODEL] [--file BODY.json]` (stdin otherwise): a Chat Completions
/// request body's prompt, counted as admission counts it, part by part.
struct TokensPrompt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Count a Chat Completions request body's prompt as admission does, with a breakdown.",
        discussion:
            "Reads the JSON body from --file or stdin; the model is --model, else the body's \"model\". Prints the total, the non-zero parts and the output multiplier (n, prediction); values of the wrong shape are warnings on stderr. README \"How prompts are counted\" states the formulas."
    )

    @OptionGroup var tokenizers: TokenizerOptions
    @OptionGroup var pricing: PricingOptions
    @Option(help: "Model id (default: the body's \"model\").") var model: String?
    @Option(help: "Read the body from this file instead of stdin.") var file: String?

    func run() async throws {
        let data: Data
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read '\(file)': check the path") }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        let body: JSONValue
        do {
            body = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw CLIError(
                "the body is not JSON: pass a Chat Completions request body, e.g. {\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
            )
        }
        guard let model = model ?? Self.model(of: body) else {
            throw CLIError("no model: pass --model (e.g. --model gpt-4.1) or put \"model\" in the body")
        }
        let counter = try tokenizers.registry().counter(forModel: model, in: try pricing.load().catalog)
        let count = PromptCounting.count(body: body, with: counter)
        let multiplier: OutputMultiplier
        do { multiplier = try OutputMultiplier.of(body: body, with: counter) } catch { throw CLIError("\(error): fix \"n\" in the body") }
        for problem in count.problems {
            FileHandle.standardError.write(Data("warning: \(problem) (counted as its JSON text)\n".utf8))
        }
        print(Self.render(count, multiplier: multiplier, counter: counter), terminator: "")
    }

    static func model(of body: JSONValue) -> String? {
        guard case .object(let fields) = body, case .string(let model)? = fields["model"] else { return nil }
        return model
    }

    /// `N prompt tokens` (with why it is an estimate, if it is), then one line per non-zero part.
    static func render(_ count: PromptCount, multiplier: OutputMultiplier, counter: ModelTokenCounter) -> String {
        var notes: [String] = []
        if count.estimated { notes.append("parts estimated") }
        if counter.source == .estimate { notes.append("\(counter.model) tokens estimated from \(counter.encoding.rawValue)") }
        var lines = ["\(count.total) prompt tokens" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")]
        let parts: [(String, Int)] = [
            ("framing", count.breakdown.framing), ("text", count.breakdown.text), ("names", count.breakdown.names),
            ("tool_calls", count.breakdown.toolCalls), ("tool_definitions", count.breakdown.toolDefinitions),
            ("response_format", count.breakdown.responseFormat), ("images", count.breakdown.images), ("audio", count.breakdown.audio),
            ("files", count.breakdown.files), ("unrecognized", count.breakdown.unrecognized),
        ]
        for (name, tokens) in parts where tokens != 0 {
            lines.append("  " + name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(tokens))
        }
        lines.append(
            "output: \(multiplier.choices) choice\(multiplier.choices == 1 ? "" : "s")"
                + (multiplier.predictionTokens > 0 ? ", up to \(multiplier.predictionTokens) prediction tokens each" : "")
        )
        return lines.joined(separator: "\n") + "\n"
    }
}

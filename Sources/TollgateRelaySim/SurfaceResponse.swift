/// Everything the simulator sends for a request that asks for the OpenAI surface (see
/// ``SimulatedSurface``), computed before any I/O: per choice its reasoning, its answer (text,
/// structured JSON, refusal or tool calls) in streamed pieces, and the token counts usage reports.
struct SurfaceResponse: Sendable {
    struct ToolCall: Sendable {
        let id: String
        let name: String
        /// The arguments JSON in the pieces it streams in.
        let argumentPieces: [String]
        var arguments: String { argumentPieces.joined() }
    }

    struct Choice: Sendable {
        let index: Int
        /// `reasoning_content` pieces.
        let reasoning: [String]
        /// `content` pieces (empty for a refusal or tool calls).
        let content: [String]
        /// `refusal` pieces.
        let refusal: [String]
        let toolCalls: [ToolCall]
        let finishReason: String
        /// Tokens of the reasoning, per the injected counter.
        let reasoningTokens: Int
        /// Tokens of everything else the choice outputs: content or refusal, tool names and arguments.
        let answerTokens: Int
    }

    let choices: [Choice]
    let inputTokens: Int

    /// Completion tokens over every choice: reasoning plus answers, as OpenAI bills them.
    var outputTokens: Int { choices.reduce(0) { $0 + $1.reasoningTokens + $1.answerTokens } }
    /// The reasoning part of ``outputTokens`` (`completion_tokens_details.reasoning_tokens`).
    var reasoningTokens: Int { choices.reduce(0) { $0 + $1.reasoningTokens } }

    /// The refusal every refusing choice gives.
    static let refusalText = "I'm sorry, but I can't help with that request."

    init(request: SimulatorRequest, surface: SimulatedSurface, scenario: SimulatedScenario, tokenCounter: SimulatorTokenCounter) {
        let model = request.model
        let prompt = request.promptText
        let seed = request.seed ?? scenario.seed ?? 0
        inputTokens = tokenCounter(model, prompt) + request.definitionTokens(tokenCounter)
        choices = (0..<surface.choiceCount).map { index in
            let choiceSeed = seed &+ Int64(index)
            var budget = request.maxTokens.map { max(0, $0) + scenario.overshoot } ?? Int.max
            var finishReason = "stop"
            let reasoningCount = min(surface.reasoningTokens, budget)
            if reasoningCount < surface.reasoningTokens { finishReason = "length" }
            budget -= reasoningCount
            let reasoningPieces = SimulatedText.generate(
                model: model,
                prompt: "reasoning\u{0}" + prompt,
                seed: choiceSeed,
                pieceCount: reasoningCount
            )
            var content: [String] = []
            var refusal: [String] = []
            var calls: [ToolCall] = []
            if surface.refusal {
                refusal = Self.pieces(of: Self.refusalText)
            } else if !surface.toolCalls.isEmpty, finishReason == "stop" {
                calls = surface.toolCalls.enumerated().map { number, tool in
                    let arguments = SchemaExample(root: tool.parameters, seed: choiceSeed &* 31 &+ Int64(number)).value().serialized
                    return ToolCall(
                        id: Self.callID(seed: choiceSeed, prompt: prompt, number: number),
                        name: tool.name,
                        argumentPieces: Self.pieces(of: arguments)
                    )
                }
                finishReason = "tool_calls"
            } else if let schema = surface.responseSchema {
                content = Self.pieces(of: SchemaExample(root: schema, seed: choiceSeed).value().serialized)
            } else {
                var count = scenario.outputTokens
                if request.maxTokens != nil, budget < count {
                    count = budget
                    finishReason = "length"
                }
                content = SimulatedText.generate(model: model, prompt: prompt, seed: choiceSeed, pieceCount: count)
            }
            let answerTokens =
                (content + refusal).isEmpty && calls.isEmpty
                ? 0
                : tokenCounter(model, (content + refusal).joined())
                    + calls.reduce(0) { $0 + tokenCounter(model, $1.name) + tokenCounter(model, $1.arguments) }
            return Choice(
                index: index,
                reasoning: Self.grouped(reasoningPieces, by: scenario.chunkSize),
                content: Self.grouped(content, by: scenario.chunkSize),
                refusal: Self.grouped(refusal, by: scenario.chunkSize),
                toolCalls: calls,
                finishReason: finishReason,
                reasoningTokens: reasoningPieces.isEmpty ? 0 : tokenCounter(model, reasoningPieces.joined()),
                answerTokens: answerTokens
            )
        }
    }

    /// Splits text where a run of letters and digits meets a run of other characters, a space
    /// joining the piece after it (`"{\"city\""` → `{"`, `city`, `"`): roughly how tokens stream.
    static func pieces(of text: String) -> [String] {
        enum Kind { case space, word, symbol }
        var pieces: [String] = []
        var current = ""
        var previous = Kind.space
        for character in text {
            let kind: Kind = character.isWhitespace ? .space : (character.isLetter || character.isNumber ? .word : .symbol)
            if !current.isEmpty,
                kind == .space ? previous != .space : (previous != .space && (kind != previous || (kind == .symbol && current.count >= 2)))
            {
                pieces.append(current)
                current = ""
            }
            current.append(character)
            previous = kind
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    private static func grouped(_ pieces: [String], by size: Int) -> [String] {
        guard size > 1 else { return pieces }
        return stride(from: 0, to: pieces.count, by: size).map { pieces[$0..<min($0 + size, pieces.count)].joined() }
    }

    private static func callID(seed: Int64, prompt: String, number: Int) -> String {
        "call_sim" + String(SimulatedText.fnv1a("\(seed)\u{0}\(number)\u{0}\(prompt)"), radix: 36)
    }
}

import TollgateStreaming
import TollgateTokenizers

/// Output counted per choice: each choice (`n` > 1) is its own text, tokenized apart as the
/// upstream bills it, and the total over all of them is what the hold must cover. Each tool call
/// adds ``toolCallTokens``: the format tokens around its name and arguments.
struct OutputCounters {
    private let model: ModelTokenCounter
    /// Choice 0, and every text delta of a translated stream.
    var first: IncrementalTokenCounter
    private var others: [Int: IncrementalTokenCounter] = [:]
    private var othersTotal = 0
    /// Format tokens of the tool calls started so far.
    private var callsTotal = 0
    /// The reasoning text of each choice, counted apart (it is in the choice's text too): what the
    /// ledger records as reasoning when the upstream reports no split. Made on a choice's first
    /// reasoning, so a stream without any pays nothing.
    private var reasoningCounters: [Int: IncrementalTokenCounter] = [:]
    /// Reasoning tokens over every choice.
    private(set) var reasoningTotal = 0
    /// Tokens an upstream bills per tool call beyond its name and arguments (see ``toolCallTokens(_:)``).
    let toolCallTokens: Int

    init(model: ModelTokenCounter) {
        self.model = model
        first = model.makeIncrementalCounter()
        toolCallTokens = Self.toolCallTokens(model.encoding)
    }

    /// Output tokens over every choice.
    var total: Int { first.count + othersTotal + callsTotal }

    /// Tokens billed per tool call beyond the tokens of its name and arguments: the call's format
    /// (special tokens, the function's namespace, the JSON wrapper), which no published formula
    /// gives, so these are measured from recorded answers (Tests/Fixtures/openai-chat): OpenAI's
    /// `completion_tokens` exceed name + arguments by 7 for one call (and by 22 for two parallel
    /// calls, the wrapper around them included), DeepSeek's by 36 for one call (reasoning counted
    /// exactly). An estimate, used only when the upstream reports no usage; models estimated from
    /// another encoding take OpenAI's.
    static func toolCallTokens(_ encoding: TokenEncoding) -> Int {
        switch encoding {
        case .deepseekV3: 36
        case .o200kBase, .cl100kBase: 7
        }
    }

    /// Counts the output of one relayed payload.
    mutating func append(_ output: [ChoiceOutput]) {
        for choice in output {
            callsTotal += choice.toolCalls * toolCallTokens
            if !choice.reasoning.isEmpty { countReasoning(choice) }
            guard choice.index != 0 else {
                first.append(choice.text)
                continue
            }
            var counter = others.removeValue(forKey: choice.index) ?? model.makeIncrementalCounter()
            let before = counter.count
            counter.append(choice.text)
            othersTotal += counter.count - before
            others[choice.index] = counter
        }
    }

    private mutating func countReasoning(_ choice: ChoiceOutput) {
        var counter = reasoningCounters.removeValue(forKey: choice.index) ?? model.makeIncrementalCounter()
        let before = counter.count
        counter.append(choice.reasoning)
        reasoningTotal += counter.count - before
        reasoningCounters[choice.index] = counter
    }
}

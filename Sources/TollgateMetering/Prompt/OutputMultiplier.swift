import TollgateStreaming
import TollgateTokenizers

/// What multiplies the output a Chat Completions request can be billed for, beyond one choice's
/// token limit: admission reserves ``worstCaseOutputTokens(perChoice:)``, not the limit alone.
///
/// - `n` (default 1): the upstream generates, and bills, that many choices, each up to the limit.
/// - `prediction` (Predicted Outputs): predicted tokens the model rejects are billed as output
///   on top of what it generates, so each choice may also cost the prediction's tokens.
///
/// Reasoning tokens need no term: `max_completion_tokens` bounds them with the visible output.
public struct OutputMultiplier: Sendable, Hashable {
    /// Choices generated (`n`).
    public var choices: Int
    /// Tokens of the `prediction` content, billable per choice when rejected.
    public var predictionTokens: Int

    /// Creates a multiplier.
    public init(choices: Int = 1, predictionTokens: Int = 0) {
        self.choices = choices
        self.predictionTokens = predictionTokens
    }

    /// The most output tokens the request can be billed for when each choice is limited to
    /// `perChoice`: choices × (perChoice + prediction), saturating at `Int.max` instead of overflowing.
    public func worstCaseOutputTokens(perChoice: Int) -> Int {
        let (sum, sumOverflow) = perChoice.addingReportingOverflow(predictionTokens)
        let (product, productOverflow) = sum.multipliedReportingOverflow(by: choices)
        return sumOverflow || productOverflow ? Int.max : product
    }

    /// The multiplier of a Chat Completions body, or an error naming the field when `n` is not a
    /// positive integer (the upstream would refuse it; admitting it as 1 could under-reserve).
    public static func of(body: JSONValue, with counter: ModelTokenCounter) throws(RequestBodyError) -> OutputMultiplier {
        guard case .object(let fields) = body else { return OutputMultiplier() }
        var multiplier = OutputMultiplier()
        switch fields["n"] {
        case nil, .null?: break
        case .integer(let n)? where n >= 1 && n <= Int64(Int32.max): multiplier.choices = Int(n)
        // `2.0` is the integer 2 in JSON's number model; a client may well send it so.
        case .number(let n)? where n >= 1 && n <= Double(Int32.max) && n.rounded() == n: multiplier.choices = Int(n)
        case let other?: throw RequestBodyError.invalidChoiceCount(PromptWalker.jsonText(other))
        }
        if case .object(let prediction)? = fields["prediction"] {
            switch prediction["content"] {
            case .string(let text)?: multiplier.predictionTokens = counter.count(text)
            case .array(let parts)?:
                multiplier.predictionTokens = parts.reduce(0) { total, part in
                    total + (PromptWalker.string(PromptWalker.object(part)?["text"]).map(counter.count) ?? 0)
                }
            default: break
            }
        }
        return multiplier
    }
}

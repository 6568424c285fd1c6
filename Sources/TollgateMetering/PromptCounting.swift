import TollgateStreaming
import TollgateTokenizers

/// Counts a chat prompt the way providers bill it: each message's role and content, plus a fixed
/// overhead per message and for the reply (the formula OpenAI documents for its chat format).
///
/// Upstream-reported usage replaces this count when the upstream sends one; this count is what
/// admission reserves against, so it errs on the side of the overhead rather than below it.
enum PromptCounting {
    static func count(_ messages: [ChatMessage], with counter: ModelTokenCounter, settings: MeteringSettings) -> Int {
        var total = settings.replyPrimingTokens
        for message in messages {
            total += settings.tokensPerMessage + counter.count(message.role.rawValue) + counter.count(message.content)
        }
        return total
    }
}

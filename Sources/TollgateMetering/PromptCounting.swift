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

extension PromptCounting {
    /// Counts a client's whole body (``ChatRequestBody``), for requests relayed to an
    /// OpenAI-compatible upstream: every message's role, `name` and text (string content, `text`
    /// parts, an assistant's tool-call names and arguments), plus the per-message and reply
    /// overheads. Images, audio, tool definitions and schemas are not counted yet (the full
    /// formula is issue #18's prompt-counting part); upstream usage replaces this count anyway.
    static func count(body: ChatRequestBody, with counter: ModelTokenCounter, settings: MeteringSettings) -> Int {
        guard case .array(let messages)? = body.json["messages"] else { return settings.replyPrimingTokens }
        var total = settings.replyPrimingTokens
        for case .object(let message) in messages {
            total += settings.tokensPerMessage
            for text in texts(in: message) { total += counter.count(text) }
        }
        return total
    }

    /// The text a message carries.
    private static func texts(in message: [String: JSONValue]) -> [String] {
        var texts: [String] = []
        for field in ["role", "name", "content"] {
            switch message[field] {
            case .string(let text)?: texts.append(text)
            case .array(let parts)?:
                for case .object(let part) in parts { if case .string(let text)? = part["text"] { texts.append(text) } }
            default: break
            }
        }
        if case .array(let calls)? = message["tool_calls"] {
            for case .object(let call) in calls {
                guard case .object(let function)? = call["function"] else { continue }
                for field in ["name", "arguments"] { if case .string(let text)? = function[field] { texts.append(text) } }
            }
        }
        return texts
    }
}

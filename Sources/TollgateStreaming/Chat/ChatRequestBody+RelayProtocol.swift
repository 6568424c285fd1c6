extension ChatRequestBody {
    /// Top-level fields the relay WebSocket protocol cannot carry: a request using one is refused
    /// there rather than silently sent without it.
    static let fieldsBeyondRelayProtocol = ["tools", "tool_choice", "functions", "function_call", "audio", "modalities", "prediction"]

    /// The conversation as the relay WebSocket protocol (the seed's) carries it: text messages of
    /// role system, user or assistant. `developer` is sent as `system` (what it replaced), and
    /// `content` as an array of `text` parts is joined.
    ///
    /// - Throws: ``StreamingError/invalidRequest`` naming what that protocol cannot carry: tools
    ///   or functions, `n` > 1, audio output, a `tool` / `function` message, an assistant turn with
    ///   `tool_calls`, a non-text part (an image, audio, a file).
    public func relayProtocolMessages() throws -> [ChatMessage] {
        for field in Self.fieldsBeyondRelayProtocol where json[field] != nil && json[field] != .null {
            throw Self.beyond("'\(field)'")
        }
        if choiceCount > 1 { throw Self.beyond("n > 1 (it streams one answer)") }
        guard case .array(let messages)? = json["messages"] else { return [] }
        return try messages.enumerated().map { index, message in
            guard case .object(let fields) = message, case .string(let roleName)? = fields["role"] else {
                throw StreamingError(.invalidRequest, message: "messages.\(index) has no role: send {\"role\": \"user\", \"content\": ...}")
            }
            let role: ChatRole
            switch roleName {
            case "developer": role = .system
            case let name:
                guard let known = ChatRole(rawValue: name) else { throw Self.beyond("a '\(name)' message (messages.\(index))") }
                role = known
            }
            for field in ["tool_calls", "function_call"] where fields[field] != nil && fields[field] != .null {
                throw Self.beyond("an assistant '\(field)' (messages.\(index))")
            }
            return ChatMessage(role: role, content: try Self.text(fields["content"], at: index))
        }
    }

    private static func text(_ content: JSONValue?, at index: Int) throws -> String {
        switch content {
        case .string(let text)?: return text
        case .null?, nil: return ""
        case .array(let parts)?:
            return try parts.map { part in
                guard case .object(let fields) = part, fields["type"] == .string("text"), case .string(let text)? = fields["text"] else {
                    let kind: String
                    if case .object(let fields) = part, case .string(let type)? = fields["type"] { kind = type } else { kind = "non-text" }
                    throw beyond("a '\(kind)' content part (messages.\(index))")
                }
                return text
            }.joined()
        default:
            throw StreamingError(.invalidRequest, message: "messages.\(index).content must be a string or an array of content parts")
        }
    }

    private static func beyond(_ what: String) -> StreamingError {
        StreamingError(
            .invalidRequest,
            message: "this gateway's upstream is a relay WebSocket, whose protocol carries text conversations only: it cannot carry \(what). "
                + "Send text messages only, or ask the operator for an OpenAI-compatible (http/https) upstream"
        )
    }
}

/// The author of a chat message, as the relay protocols spell it.
public enum ChatRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Instructions that frame the conversation.
    case system
    /// The end user's turn.
    case user
    /// A previous model answer, sent back as history.
    case assistant
}

/// One message of a chat conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who wrote the message.
    public var role: ChatRole
    /// The message text.
    public var content: String

    /// Creates a message.
    public init(role: ChatRole, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { .init(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { .init(role: .user, content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { .init(role: .assistant, content: content) }
}

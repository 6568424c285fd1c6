/// The wire API a client's body speaks, which decides the upstream path, its headers and how the
/// answer is read. Tollgate relays either one; it never translates between them.
public enum ChatAPI: Sendable, Hashable {
    /// OpenAI's `POST /v1/chat/completions`.
    case chatCompletions
    /// Anthropic's `POST /v1/messages`.
    case anthropicMessages
}

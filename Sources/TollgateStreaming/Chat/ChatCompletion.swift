/// A complete, non-streamed chat response.
public struct ChatCompletion: Sendable, Hashable {
    /// The upstream's response id, when sent.
    public var id: String?
    /// The model that answered.
    public var model: String
    /// The generated text.
    public var text: String
    /// Why generation stopped (`stop`, `length`, ...).
    public var finishReason: String?
    /// Token counts, when the upstream reported them.
    public var usage: UpstreamUsage?

    /// Creates a completion.
    public init(id: String?, model: String, text: String, finishReason: String?, usage: UpstreamUsage?) {
        self.id = id
        self.model = model
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
    }
}

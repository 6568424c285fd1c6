/// A chat request, independent of the transport that carries it.
///
/// The same value drives the WebSocket relay client (either request shape) and the
/// OpenAI-compatible `/v1/chat/completions` client, so metering code never depends on the transport.
public struct ChatRequest: Sendable, Hashable {
    /// The relay's model identifier, for example `gpt-4.1` or `deepseek-v3.2`.
    public var model: String
    /// The conversation, oldest first.
    public var messages: [ChatMessage]
    /// Upper bound on generated tokens; `nil` leaves it to the upstream.
    public var maxTokens: Int?
    /// Sampling temperature; `nil` leaves it to the upstream.
    public var temperature: Double?
    /// Nucleus sampling; `nil` leaves it to the upstream.
    public var topP: Double?
    /// Provider-specific fields passed through verbatim (for example `seed`, `presence_penalty`).
    ///
    /// Extras never override the fields above: a key that collides with a modelled field is ignored.
    public var extras: [String: JSONValue]
    /// The client's own `/v1/chat/completions` body, when it sent one: an OpenAI-compatible
    /// upstream receives these bytes (see ``ChatRequestBody/upstreamBytes(outputLimit:)``) and the
    /// fields above are only a text view of them, for the relay WebSocket protocol. With a body,
    /// ``maxTokens`` is set only when admission lowered the client's limit.
    public var body: ChatRequestBody?
    /// Output choices the upstream generates (`n`); the hold covers every one.
    public var choices: Int
    /// Client headers the upstream must see as sent (Anthropic's `anthropic-version` and
    /// `anthropic-beta`), by lower-case name.
    public var forwardedHeaders: [String: String] = [:]

    /// Creates a request.
    public init(
        model: String,
        messages: [ChatMessage],
        maxTokens: Int? = nil,
        temperature: Double? = nil,
        topP: Double? = nil,
        extras: [String: JSONValue] = [:],
        body: ChatRequestBody? = nil,
        choices: Int = 1
    ) {
        self.body = body
        self.choices = choices
        self.model = model
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.extras = extras
    }
}

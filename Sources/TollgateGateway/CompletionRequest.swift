import Foundation
import TollgateStreaming

/// A decoded `POST /v1/chat/completions` body and the transport-independent request it asks for.
struct CompletionRequest: Sendable {
    let wire: ChatCompletionsRequestBody
    let chatRequest: ChatRequest

    /// Decodes and checks a body; every problem is an `invalid_request` refusal that says what to send.
    init(_ data: Data) throws {
        let wire: ChatCompletionsRequestBody
        do {
            wire = try JSONDecoder().decode(ChatCompletionsRequestBody.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw GatewayRefusal.invalidRequest("missing field '\(key.stringValue)': send {\"model\": ..., \"messages\": [{\"role\": \"user\", \"content\": ...}]}")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw GatewayRefusal.invalidRequest("field '\(field)' is invalid (\(context.debugDescription)): roles are system, user or assistant and content is a string")
        } catch {
            throw GatewayRefusal.invalidRequest("the body is not JSON: send a chat completion request object")
        }
        guard !wire.messages.isEmpty else {
            throw GatewayRefusal.invalidRequest("'messages' is empty: send at least one {\"role\": \"user\", \"content\": ...} message")
        }
        var extras = wire.extras
        var maxTokens = wire.maxTokens
        // Newer OpenAI clients send `max_completion_tokens`; it bounds the reservation the same way.
        if let newer = extras.removeValue(forKey: "max_completion_tokens")?.integerValue, maxTokens == nil {
            maxTokens = Int(newer)
        }
        if let maxTokens, maxTokens < 1 {
            throw GatewayRefusal.invalidRequest("max_tokens must be at least 1 (got \(maxTokens)); omit it to allow the model's maximum")
        }
        self.wire = wire
        chatRequest = ChatRequest(
            model: wire.model, messages: wire.messages, maxTokens: maxTokens, temperature: wire.temperature, topP: wire.topP, extras: extras
        )
    }
}

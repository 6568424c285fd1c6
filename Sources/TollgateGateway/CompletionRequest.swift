import Foundation
import TollgateStreaming

/// A decoded `POST /v1/chat/completions` body and the transport-independent request it asks for.
struct CompletionRequest: Sendable {
    let wire: ChatCompletionsRequestBody
    let chatRequest: ChatRequest

    /// Decodes and checks a body (``ChatRequestRules``); every problem is an `invalid_request`
    /// refusal that says what to send.
    init(_ data: Data) throws {
        let wire: ChatCompletionsRequestBody
        do {
            wire = try JSONDecoder().decode(ChatCompletionsRequestBody.self, from: data)
        } catch let error as DecodingError {
            throw ChatRequestRules.refusal(error, in: data) ?? GatewayRefusal.invalidRequest("the body is not JSON: send a chat completion request object")
        } catch {
            throw GatewayRefusal.invalidRequest("the body is not JSON: send a chat completion request object")
        }
        self.wire = wire
        chatRequest = try ChatRequestRules.request(
            model: wire.model, messages: wire.messages, maxTokens: wire.maxTokens, temperature: wire.temperature, topP: wire.topP, extras: wire.extras
        )
    }
}

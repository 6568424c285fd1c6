import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Client for an OpenAI-compatible `/v1/chat/completions` endpoint, streaming (SSE) or not.
///
/// Resources: the client borrows an `HTTPClient` and never shuts it down. The default is
/// `HTTPClient.shared`, which lives for the whole process; pass your own to control pooling and
/// shut it down yourself after the last request.
public struct ChatCompletionsClient: ChatStreamingClient {
    /// The full endpoint URL, for example `https://api.holysheep.ai/v1/chat/completions`.
    public let url: String
    /// The Anthropic Messages endpoint of the same upstream: given, or `url` with its
    /// `/chat/completions` replaced by `/messages` (relays serve both APIs from one base).
    public let messagesURL: String
    /// Deadlines and headers.
    public let configuration: Configuration
    let apiKey: String
    let httpClient: HTTPClient
    let logger: Logger

    /// Creates a client for `url` authenticating with `apiKey`.
    public init(
        url: String,
        apiKey: String,
        configuration: Configuration = Configuration(),
        httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "tollgate.streaming.sse"),
        messagesURL: String? = nil
    ) {
        self.url = url
        self.messagesURL = messagesURL ?? Self.messagesURL(besides: url)
        self.apiKey = apiKey
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Streams the response with `stream: true` and `stream_options.include_usage`.
    ///
    /// A request carrying the client's own body (``ChatRequest/body``) is relayed, not translated:
    /// the body goes upstream as ``ChatRequestBody/upstreamBytes(outputLimit:)`` gives it (with
    /// ``ChatRequest/maxTokens`` written when it differs from the client's own limit), streaming or not as the client
    /// asked, and the answer comes back as ``ChatEvent/relayed(_:)`` events.
    public func stream(_ request: ChatRequest) -> ChatEventStream {
        let httpRequest: HTTPClient.Request
        let mode: ChatCompletionsExchange.Mode = request.body.map { $0.isStreaming ? .relayingStream : .relayingBody } ?? .translating
        let api = request.body?.api ?? .chatCompletions
        let url = api == .anthropicMessages ? messagesURL : url
        do {
            let (headers, body) = try requestParts(request, stream: mode != .relayingBody)
            httpRequest = try HTTPClient.Request(url: url, method: .POST, headers: headers, body: .byteBuffer(body))
        } catch let error as StreamingError {
            return .failing(error)
        } catch {
            return .failing(StreamingError(.invalidRequest, message: "could not build the request to \(url): \(error)"))
        }
        return ChatEventStream { [self] in
            ChatCompletionsExchange(
                request: httpRequest,
                url: url,
                httpClient: httpClient,
                configuration: configuration,
                logger: logger,
                mode: mode,
                api: api
            )
        }.scrubbing(SecretScrubber(secrets: [apiKey]))
    }

    /// Sends the request with `stream: false` and returns the whole response.
    public func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        let httpRequest = try makeRequest(request, stream: false)
        let expiry = CompletionExpiry()
        let watchdog = StreamWatchdog(on: httpClient.eventLoopGroup.any()) { expiry.expire($0) }
        let work = Task {
            defer { watchdog.stop() }
            return try await self.collect(httpRequest, watchdog: watchdog)
        }
        expiry.attach(work)
        do {
            return try await withTaskCancellationHandler {
                try await work.value
            } onCancel: {
                work.cancel()
            }
        } catch {
            let failure = expiry.error ?? error
            guard let streaming = failure as? StreamingError else { throw failure }
            throw SecretScrubber(secrets: [apiKey]).scrub(streaming)
        }
    }

    private func collect(_ httpRequest: HTTPClientRequest, watchdog: StreamWatchdog) async throws -> ChatCompletion {
        let response = try await head(httpRequest, watchdog: watchdog)
        watchdog.arm(configuration.firstByteTimeout, waitingFor: "response body")
        let body = try await response.body.collect(upTo: configuration.maxBodySize)
        watchdog.disarm()
        let decoded: ChatCompletionsResponseBody
        do {
            decoded = try JSONDecoder().decode(ChatCompletionsResponseBody.self, from: Data(body.readableBytesView))
        } catch {
            throw StreamingError(.protocolViolation, message: "the chat completion body could not be decoded: \(error)")
        }
        let choice = decoded.choices.first
        return ChatCompletion(
            id: decoded.id,
            model: decoded.model,
            text: choice?.message.content ?? "",
            finishReason: choice?.finishReason,
            usage: decoded.usage?.tokenUsage
        )
    }

    /// Sends the request and waits for a successful head; error statuses become typed errors.
    private func head(_ request: HTTPClientRequest, watchdog: StreamWatchdog) async throws -> HTTPClientResponse {
        watchdog.armConnect(configuration.connectTimeout)
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, deadline: .distantFuture, logger: logger)
        } catch {
            throw Self.failure(error, answered: false, url: url)
        }
        watchdog.disarm()
        guard response.status == .ok else {
            watchdog.arm(configuration.firstByteTimeout, waitingFor: "error body")
            let body = try? await response.body.collect(upTo: Self.errorBodyLimit)
            watchdog.disarm()
            let status = Int(response.status.code)
            throw StreamingError.fromHTTP(
                status: status,
                message: Self.errorMessage(body),
                reply: UpstreamReply(status: status, headers: response.headers, body: body)
            )
        }
        return response
    }

    private func makeRequest(_ request: ChatRequest, stream: Bool) throws -> HTTPClientRequest {
        let (headers, body) = try requestParts(request, stream: stream)
        var httpRequest = HTTPClientRequest(url: url)
        httpRequest.method = .POST
        httpRequest.headers = headers
        httpRequest.body = .bytes(body)
        return httpRequest
    }

    private func requestParts(_ request: ChatRequest, stream: Bool) throws -> (HTTPHeaders, ByteBuffer) {
        try RelayWebSocketClient.validate(request, apiKey: apiKey)
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        if request.body?.api == .anthropicMessages {
            headers.add(contentsOf: Self.anthropicHeaders(apiKey: apiKey, forwarded: request.forwardedHeaders))
        }
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: stream ? "text/event-stream" : "application/json")
        for (name, value) in configuration.additionalHeaders {
            headers.add(name: name, value: value)
        }
        if let body = request.body {
            // The body already holds the client's own limit: only a lowered one is written.
            let lowered = request.maxTokens.flatMap { $0 == body.clientOutputLimit ? nil : $0 }
            return (headers, ByteBuffer(bytes: body.upstreamBytes(outputLimit: lowered)))
        }
        let body = try JSONEncoder().encode(ChatCompletionsRequestBody(request, stream: stream))
        return (headers, ByteBuffer(bytes: body))
    }

    /// Largest error body read for its message, in bytes.
    static let errorBodyLimit = 64 << 10

    /// What the consumer is told when the request itself failed: before the response head
    /// (`answered` false) the relay was not reached; after it, the stream broke off.
    static func failure(_ error: any Error, answered: Bool, url: String) -> any Error {
        switch error {
        case let error as StreamingError: return error
        case let error as HTTPClientError where error == .cancelled: return CancellationError()
        case is CancellationError: return CancellationError()
        default:
            return answered
                ? StreamingError(.upstreamClosedBeforeDone, message: "the event stream broke off: \(error)")
                : StreamingError(.connectionFailed, message: "could not reach \(url): \(error)")
        }
    }

    /// The upstream's `error.message`, or the raw body when it is not the usual JSON.
    static func errorMessage(_ body: ByteBuffer?) -> String? {
        guard let body, body.readableBytes > 0 else { return nil }
        let data = Data(body.readableBytesView)
        if let decoded = try? JSONDecoder().decode(ChatCompletionsErrorBody.self, from: data) {
            return decoded.error.message
        }
        return String(decoding: data.prefix(500), as: UTF8.self)
    }
}

/// The deadline that cut a non-streamed completion, and the task it cancelled.
private final class CompletionExpiry: Sendable {
    private let state = Mutex<(error: StreamingError?, task: Task<ChatCompletion, any Error>?)>((nil, nil))

    /// The deadline error, once one passed.
    var error: StreamingError? { state.withLock { $0.error } }

    func attach(_ task: Task<ChatCompletion, any Error>) {
        let expired = state.withLock { state -> Bool in
            state.task = task
            return state.error != nil
        }
        if expired { task.cancel() }
    }

    func expire(_ error: StreamingError) {
        state.withLock { state in
            state.error = error
            return state.task
        }?.cancel()
    }
}

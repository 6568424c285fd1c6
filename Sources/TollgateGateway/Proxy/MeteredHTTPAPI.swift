import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateCore
import TollgateMetering
import TollgateStorage
import TollgateStreaming

/// One HTTP API of the metering proxy — Chat Completions or Messages — as the admission frame and
/// the streamed write loop it shares with the other see it (`MeteredHTTPAPI+Admission`,
/// `MeteredHTTPAPI+Streaming`): how a caller and a body are read, how a stream is framed for the
/// client, and the shape its errors take. Everything else (authentication against the team keys,
/// admission, metering, settlement, the ending of a stream) is the one implementation.
protocol MeteredHTTPAPI: Sendable {
    /// The checked request body.
    associatedtype Body: MeteredRequestBody
    /// The per-stream state of a streamed answer's framing.
    associatedtype Framing: SSEFraming

    /// Admits, meters and relays.
    var metering: MeteredClient { get }
    /// Body size limit and the rest of the gateway's settings.
    var settings: GatewaySettings { get }
    /// Open streams, refusals and cutoffs for the dashboard and alerts.
    var observers: GatewayObservers { get }
    /// When streams still open are cut at shutdown.
    var shutdown: ShutdownDeadline { get }
    /// The `protocol` label of its metrics.
    var label: MeteredProtocol { get }

    /// The caller's team and key, from the headers this API sends them in.
    func authenticate(_ headers: HTTPFields) async throws -> (team: Team, key: APIKeyRecord)
    /// Reads and checks a body; a problem is a ``GatewayRefusal`` that says what to send.
    func body(_ data: Data, headers: HTTPFields) throws -> Body
    /// The framing of a streamed answer to `body`.
    func framing(for body: Body, admission: MeteredAdmission) -> Framing
    /// A refusal in this API's error shape.
    func response(for refusal: GatewayRefusal) -> Response
    /// An upstream failure before any output: the upstream's own reply when it has one, else the
    /// refusal in this API's error shape (``GatewayRefusal/upstreamResponse(_:error:requestID:anthropic:)``).
    func upstreamResponse(_ refusal: GatewayRefusal, error: any Error, requestID: String) -> Response
    /// Runs a non-streamed answer to its end and answers one body.
    func collected(_ stream: MeteredStream, body: Body, team: Team, headers: HTTPFields) async -> Response
}

/// What the shared admission frame reads from a checked body.
protocol MeteredRequestBody: Sendable {
    /// What admission and the upstream get.
    var chatRequest: ChatRequest { get }
    /// The model the client asked for.
    var model: String { get }
    /// Whether the client asked for a stream.
    var isStreaming: Bool { get }
}

extension CompletionRequest: MeteredRequestBody {}
extension MessagesRequest: MeteredRequestBody {}

/// How one API frames a metered stream for its client: the state the shared write loop keeps
/// between events. The loop owns the endings' order (batching, settlement, cut, shutdown,
/// failure, disconnect); a framing says only which bytes each of them is.
protocol SSEFraming: Sendable {
    /// The client's lines for one event of the chat, or nil (an event it doesn't see, or one held).
    mutating func lines(for event: ChatEvent) throws -> ByteBuffer?
    /// After settlement: what was held for the receipt, then `cut` (the budget cut's refusal,
    /// already counted) when the budget cut the stream; nil when there is nothing to send.
    mutating func settled(_ summary: MeteredSummary, cut: GatewayRefusal?) throws -> ByteBuffer?
    /// A stream Tollgate ends itself (shutdown, an upstream failure): what was held, then the
    /// error; `summary` when the stream was settled.
    mutating func ending(_ refusal: GatewayRefusal, summary: MeteredSummary?) throws -> ByteBuffer
    /// Written last however the stream ended (OpenAI's `data: [DONE]`), or nil.
    var closing: ByteBuffer? { get }
}

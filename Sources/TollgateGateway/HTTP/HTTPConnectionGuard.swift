import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Deadlines and parse errors of one gateway connection, where Hummingbird's upgradable pipeline
/// has none: it sits right after the WebSocket upgrade handler, so it sees the decoder's errors and
/// every request part once the connection turns out to be plain HTTP.
///
/// - Until the first request head arrives: the head deadline (a socket that sends nothing, or its
///   headers a byte at a time, is answered `408` and closed). Later heads on a keep-alive connection
///   are Hummingbird's idle timeout's job.
/// - From each head to the end of its body: the body deadline (`408`, or a plain close once the
///   response has started).
/// - A parse error (garbage request line, bad header bytes, `Content-Length` with
///   `Transfer-Encoding`, a head over the limits): `400 malformed_request`, then a close. Before
///   this, the error went nowhere until the first head, and the socket stayed open for good.
/// - On a WebSocket upgrade it puts ``MaskedClientFrames`` after the frame decoder and leaves:
///   from then on the connection carries frames, not HTTP parts.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: ServerLimits
    private var deadline: Scheduled<Void>?
    private var sawHead = false
    /// A response head went out and its end has not: too late for a `4xx` of our own.
    private var responding = false
    /// The connection is being closed: what the client still sends is discarded.
    private var closing = false

    init(limits: ServerLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armHeadDeadline(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armHeadDeadline(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch Self.unwrapInboundIn(data) {
        case .head:
            sawHead = true
            arm(context, limits.bodyTimeout) { $0.refuse($1, .requestTimeout("body", within: $0.limits.bodyTimeout)) }
        case .body:
            break
        case .end:
            cancelDeadline()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responding = true
        case .end: responding = false
        default: break
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // After the decision to close, the decoder reports every further byte as an error: drop them.
        guard !closing else { return }
        switch error {
        case is HTTPParserError, is NIOWebSocketUpgradeError, is HTTPServerUpgradeErrors:
            refuse(context, .malformedRequest(error, limits: limits))
        default:
            context.fireErrorCaught(error)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if closing, LingeringClose.isInputClosed(event) {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
        if case .upgradeComplete? = event as? HTTPServerUpgradeEvents {
            cancelDeadline()
            let pipeline = context.pipeline.syncOperations
            if let decoder = try? pipeline.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self) {
                try? pipeline.addHandler(MaskedClientFrames(), position: .after(decoder))
            }
            // Buffered frames are replayed right after this event: by then this handler must be gone.
            pipeline.removeHandler(self, promise: nil)
        }
    }

    private func armHeadDeadline(_ context: ChannelHandlerContext) {
        guard !sawHead, deadline == nil else { return }
        arm(context, limits.requestHeadTimeout) { $0.refuse($1, .requestTimeout("head", within: $0.limits.requestHeadTimeout)) }
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: Duration, _ expired: @escaping (HTTPConnectionGuard, ChannelHandlerContext) -> Void)
    {
        cancelDeadline()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            deadline = nil
            expired(self, context)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }

    /// Answers `refusal` (unless a response is already under way) and closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ refusal: GatewayRefusal) {
        guard !closing else { return }
        closing = true
        cancelDeadline()
        guard !responding else {
            context.close(promise: nil)
            return
        }
        let (head, body) = refusal.closingResponse
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.write(Self.wrapOutboundOut(.end(nil)), promise: nil)
        LingeringClose.start(context)
    }
}

@available(*, unavailable)
extension HTTPConnectionGuard: Sendable {}

import NIOCore
import NIOWebSocket

/// Refuses unmasked client frames with close code `1002 protocol error` (RFC 6455 §5.1: "a server
/// MUST close the connection upon receiving a frame that is not masked").
///
/// swift-nio's frame decoder accepts both, and the WebSocket library above it only sees unmasked
/// payloads, so the check sits between the two (``HTTPConnectionGuard`` installs it on upgrade).
final class MaskedClientFrames: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard Self.unwrapInboundIn(data).maskKey != nil else {
            refused = true
            var reason = context.channel.allocator.buffer(capacity: 64)
            reason.write(webSocketErrorCode: .protocolError)
            reason.writeString("client frames must be masked (RFC 6455 section 5.1)")
            let channel = context.channel
            context.writeAndFlush(Self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reason)))
                .whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension MaskedClientFrames: Sendable {}

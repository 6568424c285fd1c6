import NIOCore
import NIOHTTP1

/// The whole pipeline of a connection over the cap: answers `503 too_many_connections` at once,
/// discards whatever the client sends, and closes (see ``LingeringClose``).
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let refusal: GatewayRefusal
    private var answered = false

    init(maximum: Int) {
        refusal = .tooManyConnections(maximum)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if LingeringClose.isInputClosed(event) { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let (head, body) = refusal.closingResponse
        var bytes = context.channel.allocator.buffer(capacity: 256 + body.readableBytes)
        bytes.writeString("HTTP/1.1 \(head.status.code) \(head.status.reasonPhrase)\r\n")
        for (name, value) in head.headers { bytes.writeString("\(name): \(value)\r\n") }
        bytes.writeString("\r\n")
        bytes.writeImmutableBuffer(body)
        context.write(Self.wrapOutboundOut(bytes), promise: nil)
        LingeringClose.start(context)
    }
}

@available(*, unavailable)
extension ConnectionRefusal: Sendable {}

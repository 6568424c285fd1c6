import NIOCore

/// Closes a connection after a final answer without the answer being lost.
///
/// Closing a socket with unread request bytes in its receive buffer makes the kernel send a reset,
/// and a client that sees the reset first never reads the answer (a `400` for a 1 MiB header, a
/// `503` for a connection over the cap). So the gateway shuts its side for writing once the answer
/// is flushed, discards what the client still sends, and closes when the client does or after
/// `linger`, whichever comes first.
enum LingeringClose {
    /// How long a refused client gets to read the answer and close.
    static let linger: TimeAmount = .seconds(2)

    /// Flushes what was written on `context`, then half-closes and schedules the full close.
    static func start(_ context: ChannelHandlerContext) {
        let loop = context.eventLoop.assumeIsolated()
        let channel = context.channel
        context.flush()
        // Writes go out in order, so the output is shut once the answer has been flushed.
        channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
        loop.scheduleTask(in: linger) { channel.close(promise: nil) }
    }

    /// Whether `event` says the client closed its side: the moment to close ours.
    static func isInputClosed(_ event: Any) -> Bool {
        (event as? ChannelEvent) == .inputClosed
    }
}

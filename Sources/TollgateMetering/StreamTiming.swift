import CoreMetrics

/// Time to first chunk and time between chunks of one stream, recorded as the deltas arrive.
/// The histograms are looked up once per stream, not per delta.
struct StreamTiming {
    private let firstChunk: Timer
    private let betweenChunks: Timer
    private var openedAt: ContinuousClock.Instant?
    private var lastChunkAt: ContinuousClock.Instant?

    init(metrics: MeteringMetrics, model: String) {
        firstChunk = metrics.timer(.timeToFirstChunk, MeteringMetrics.operation, model)
        betweenChunks = metrics.timer(.timePerOutputChunk, MeteringMetrics.operation, model)
    }

    /// The upstream is being opened: the clock for the first chunk starts.
    mutating func opened() { openedAt = .now }

    /// A text delta arrived.
    mutating func chunk() {
        let now = ContinuousClock.now
        if let lastChunkAt {
            betweenChunks.recordNanoseconds(MeteringMetrics.nanoseconds(now - lastChunkAt))
        } else if let openedAt {
            firstChunk.recordNanoseconds(MeteringMetrics.nanoseconds(now - openedAt))
        }
        lastChunkAt = now
    }
}

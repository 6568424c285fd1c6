import CoreMetrics

/// The ledger writer's health: commit latency and size, failures, open holds, settlements waiting.
/// Made once per writer, so every series exists (at zero) from the start.
struct LedgerWriterMetrics: Sendable {
    let commitDuration: Timer
    let batchSize: Recorder
    let failures: Counter
    let reservationsOpen: Gauge
    let pendingSettlements: Gauge

    init(_ metrics: MeteringMetrics) {
        commitDuration = metrics.timer(.commitDuration)
        batchSize = metrics.histogram(.commitBatchSize)
        failures = metrics.counter(.commitFailures)
        reservationsOpen = metrics.gauge(.reservationsOpen)
        pendingSettlements = metrics.gauge(.pendingSettlements)
        reservationsOpen.record(0)
        pendingSettlements.record(0)
    }
}

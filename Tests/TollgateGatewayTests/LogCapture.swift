import Logging
import Synchronization

/// Every log line of a test's gateway, relay clients and simulator, kept in memory at trace level,
/// so a test can assert what was (and was not) logged.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger writing here.
    var logger: Logger {
        var logger = Logger(label: "tollgate.gateway.tests") { label in Handler(label: label, capture: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Everything logged so far, one line per message with its metadata.
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let label: String
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append("\(event.level) \(label): \(event.message) \(merged)")
        }
    }
}

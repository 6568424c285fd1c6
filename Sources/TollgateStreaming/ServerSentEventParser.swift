/// An incremental parser for `text/event-stream` (the WHATWG server-sent events format).
///
/// Bytes may arrive split anywhere, including inside a CRLF pair or a UTF-8 sequence. Handles
/// LF, CR and CRLF line ends, comments (`:` lines), multi-line `data`, and the optional space after
/// the colon. Per the spec an event is dispatched at a blank line, and an unfinished event at the
/// end of the stream is discarded.
public struct ServerSentEventParser: Sendable {
    /// One dispatched event.
    public struct Event: Sendable, Hashable {
        /// The `event:` field, when present.
        public var type: String?
        /// The `data:` lines joined with `\n`.
        public var data: String
        /// Creates an event.
        public init(type: String? = nil, data: String) {
            self.type = type
            self.data = data
        }
    }

    private var line: [UInt8] = []
    private var dataLines: [String] = []
    private var eventType: String?
    private var skipLineFeed = false

    /// Creates a parser at the start of a stream.
    public init() {}

    /// Consumes bytes and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            if skipLineFeed {
                skipLineFeed = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                endLine(into: &events)
            case UInt8(ascii: "\r"):
                skipLineFeed = true
                endLine(into: &events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine(into events: inout [Event]) {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            if !dataLines.isEmpty {
                events.append(Event(type: eventType, data: dataLines.joined(separator: "\n")))
            }
            dataLines.removeAll(keepingCapacity: true)
            eventType = nil
            return
        }
        if line.first == UInt8(ascii: ":") { return }
        let field: String
        var value: Substring = ""
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: line[..<colon], as: UTF8.self)
            var start = line.index(after: colon)
            if start < line.endIndex, line[start] == UInt8(ascii: " ") { start = line.index(after: start) }
            value = Substring(String(decoding: line[start...], as: UTF8.self))
        } else {
            field = String(decoding: line, as: UTF8.self)
        }
        switch field {
        case "data": dataLines.append(String(value))
        case "event": eventType = String(value)
        default: break
        }
    }
}

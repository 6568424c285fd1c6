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
        let fed: Void? = bytes.withContiguousStorageIfAvailable { feed(contiguous: $0, into: &events) }
        if fed == nil {
            for byte in bytes { feed(contiguous: CollectionOfOne(byte), into: &events) }
        }
        return events
    }

    /// Copies each line's bytes in one piece up to its line end: this runs for every upstream chunk,
    /// and a byte-at-a-time append was a visible part of the gateway's per-chunk CPU.
    private mutating func feed(contiguous bytes: some RandomAccessCollection<UInt8>, into events: inout [Event]) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if skipLineFeed {
                skipLineFeed = false
                if bytes[index] == UInt8(ascii: "\n") {
                    index = bytes.index(after: index)
                    continue
                }
            }
            guard let end = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
                line.append(contentsOf: bytes[index...])
                return
            }
            line.append(contentsOf: bytes[index..<end])
            skipLineFeed = bytes[end] == UInt8(ascii: "\r")
            endLine(into: &events)
            index = bytes.index(after: end)
        }
    }

    private mutating func endLine(into events: inout [Event]) {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            if !dataLines.isEmpty {
                events.append(Event(type: eventType, data: dataLines.count == 1 ? dataLines[0] : dataLines.joined(separator: "\n")))
            }
            dataLines.removeAll(keepingCapacity: true)
            eventType = nil
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        var valueStart = colon
        if valueStart < line.endIndex {
            valueStart += 1
            if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        }
        let field = line[..<colon]
        if field.elementsEqual("data".utf8) {
            dataLines.append(String(decoding: line[valueStart...], as: UTF8.self))
        } else if field.elementsEqual("event".utf8) {
            eventType = String(decoding: line[valueStart...], as: UTF8.self)
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A client's `/v1/chat/completions` body as it arrived: its bytes, forwarded to an
/// OpenAI-compatible upstream, and its parse, read by admission (prompt counting, `n`, limits).
///
/// Tollgate is a metering proxy, not a translator: every field the client sent — roles, part
/// arrays, tools, `name`, numbers with their exact text, fields Tollgate has never heard of —
/// reaches the upstream as the client wrote it. ``upstreamBytes(outputLimit:)`` changes only what
/// metering must (see there).
public struct ChatRequestBody: Sendable, Hashable {
    /// The body exactly as the client sent it.
    public let bytes: [UInt8]
    /// The same body parsed. Numbers read as `Double` here are never written back: the bytes are.
    public let json: [String: JSONValue]
    /// The API the body speaks: the upstream gets it on that API's path.
    public let api: ChatAPI
    /// The bytes with every lone surrogate escape read as `\ufffd` (``LoneSurrogates``), for the
    /// readers only; `nil` when the body has none. Same length, so every offset is the original's.
    private let readable: [UInt8]?

    /// Parses `bytes`; throws ``StreamingError/invalidRequest`` when they are not a JSON object.
    ///
    /// A string with an escaped lone surrogate (`"\ud800"`, which Python's `json.dumps` writes for
    /// such a `str`) is valid JSON that upstreams accept, but neither `JSONDecoder` nor a Swift
    /// string holds one: the parse (what metering reads) sees U+FFFD in its place, and the bytes
    /// forwarded stay the client's.
    public init(bytes: [UInt8], api: ChatAPI = .chatCompletions) throws {
        self.bytes = bytes
        self.api = api
        // The scanner reads the usual body (~4 % of the gateway's CPU per stream in `JSONDecoder`);
        // anything it is not certain of, `JSONDecoder` reads or rejects as before.
        if let json = bytes.withUnsafeBufferPointer(JSONScanner.object) {
            self.json = json
            readable = nil
            return
        }
        let invalid = StreamingError(.invalidRequest, message: "the body is not a JSON object: send a chat completion request object")
        do {
            json = try JSONDecoder().decode([String: JSONValue].self, from: Data(bytes))
            readable = nil
        } catch {
            guard let replaced = LoneSurrogates.replaced(in: bytes),
                let json = try? JSONDecoder().decode([String: JSONValue].self, from: Data(replaced))
            else { throw invalid }
            self.json = json
            readable = replaced
        }
    }

    /// `stream: true`: the upstream is asked for a stream too; otherwise it answers one body.
    public var isStreaming: Bool { json["stream"] == .bool(true) }

    /// Whether the client itself asked for the usage chunk (`stream_options.include_usage`).
    public var clientAsksForUsage: Bool {
        guard case .object(let options)? = json["stream_options"] else { return false }
        return options["include_usage"] == .bool(true)
    }

    /// The output limit the client sent: `max_tokens`, else `max_completion_tokens` (the bound
    /// admission holds for, per choice); `nil` when it sent neither.
    public var clientOutputLimit: Int? {
        for field in ["max_tokens", "max_completion_tokens"] {
            if let value = json[field]?.integerValue { return Int(clamping: value) }
        }
        return nil
    }

    /// Output choices the upstream generates (`n`, default 1).
    public var choiceCount: Int {
        guard let value = json["n"]?.integerValue, value >= 1 else { return 1 }
        return Int(clamping: value)
    }

    /// The bytes to send upstream: the client's, with exactly two documented changes.
    ///
    /// - `outputLimit` (set only when admission lowered the client's limit: a `clamp` policy, a
    ///   limit above the model's maximum, or a non-streamed request a `soft` budget cannot afford)
    ///   replaces the value of every token-limit field the client sent (`max_tokens`,
    ///   `max_completion_tokens`); when it sent neither, `max_tokens` is added, the field every
    ///   OpenAI-compatible relay reads. Without a lowered limit nothing is added: the upstream
    ///   enforces its own maximum, which the reservation already assumed.
    /// - A streaming request gets `stream_options.include_usage: true`, so the upstream's usage
    ///   report can be billed; whether the client sees the usage chunk follows what it asked.
    ///
    /// An Anthropic Messages body (``api``) gets only the first change, in `max_tokens` (which
    /// Anthropic requires, so the client always sent it): its stream reports usage unasked.
    ///
    /// Everything else, whitespace and key order included, is the client's bytes.
    public func upstreamBytes(outputLimit: Int?) -> [UInt8] {
        // Read where the parse read (a lone surrogate, even in a key, as U+FFFD), edit the client's bytes.
        (readable ?? bytes).withUnsafeBufferPointer { readable in
            bytes.withUnsafeBufferPointer { buffer in edited(outputLimit: outputLimit, reading: readable, writing: buffer) }
        }
    }

    private func edited(outputLimit: Int?, reading scan: UnsafeBufferPointer<UInt8>, writing buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        // The reader decodes keys as `JSONScanner` does: every escape `JSONDecoder` accepts, so
        // any body that parsed is read.
        guard let top = JSONMembers.read(scan, at: 0) else { return bytes }
        var edits: [JSONMembers.Edit] = []
        if api == .anthropicMessages {
            guard let outputLimit, let sent = top.members.last(where: { $0.key == "max_tokens" }) else { return bytes }
            return JSONMembers.apply([JSONMembers.Edit(range: sent.value, replacement: Array(String(outputLimit).utf8))], to: buffer)
        }
        if let outputLimit {
            let limit = Array(String(outputLimit).utf8)
            let sent = top.members.filter { ($0.key == "max_tokens" || $0.key == "max_completion_tokens") && !top.isNull($0, in: scan) }
            if sent.isEmpty {
                edits.append(top.appending(#""max_tokens":"# + String(outputLimit)))
            } else {
                edits += sent.map { JSONMembers.Edit(range: $0.value, replacement: limit) }
            }
        }
        if isStreaming { edits.append(includeUsage(top, in: scan)) }
        return JSONMembers.apply(edits, to: buffer)
    }

    private func includeUsage(_ top: JSONMembers, in buffer: UnsafeBufferPointer<UInt8>) -> JSONMembers.Edit {
        let forced = #"{"include_usage":true}"#
        guard let options = top.members.last(where: { $0.key == "stream_options" }) else {
            return top.appending(#""stream_options":"# + forced)
        }
        guard let inner = JSONMembers.read(buffer, at: options.value.lowerBound) else {
            // `null` (or anything not an object): the whole value becomes the forced object.
            return JSONMembers.Edit(range: options.value, replacement: Array(forced.utf8))
        }
        if let member = inner.members.last(where: { $0.key == "include_usage" }) {
            return JSONMembers.Edit(range: member.value, replacement: Array("true".utf8))
        }
        return inner.appending(#""include_usage":true"#)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Recorded upstream answers the simulator replays byte for byte: the surface nobody here wrote.
///
/// A replay folder holds, per fixture `NAME`, any of:
/// - `NAME.sse` — a streamed answer as received on the wire (`data: …` events, blank-line
///   separated, usually ending `data: [DONE]`): sent exactly as stored, one write per event;
/// - `NAME.chunks.txt` — one chunk JSON per line, as the Vercel AI SDK records streams: each line
///   sent as `data: LINE` + blank line, then `data: [DONE]`;
/// - `NAME.json` — a non-streamed body, sent exactly as stored.
/// A streaming request (`"stream": true`) replays `NAME.sse` or `NAME.chunks.txt`; any other
/// replays `NAME.json`.
///
/// Usage is replayed when the request asked for it (`stream_options.include_usage`, for streams)
/// and did not turn it off (`tollgate_sim.usage: false`, `X-Sim-Usage: off`). Without usage, an
/// event that only carries usage (`"choices":[]`, OpenAI's final chunk) is left out, and a usage
/// riding on a chunk with choices (DeepSeek's last chunk) or on a body has its value replaced by
/// `null`; every other byte is as recorded.
public enum RecordedReplay {
    /// How a fixture file is stored.
    public enum Format: String, Sendable, CaseIterable {
        /// Raw server-sent events.
        case sse = "sse"
        /// One chunk JSON per line.
        case chunkLines = "chunks.txt"
        /// A non-streamed JSON body.
        case json = "json"
    }

    /// Why a replay cannot be served; the simulator answers 400 with this message.
    public struct Failure: Error, CustomStringConvertible {
        /// The machine-readable code of the error body.
        public let code: String
        /// What is wrong and what to do.
        public let description: String
    }

    /// The fixture file for `name` in `directory`, for a streaming request or not.
    public static func locate(name: String, directory: String?, streaming: Bool) throws -> (url: URL, format: Format) {
        guard let directory else {
            throw Failure(
                code: "replay_unavailable",
                description: "This relay simulator has no recorded streams to replay '\(name)': "
                    + "start it with --replay DIR (RelaySimulatorConfiguration.replayDirectory)."
            )
        }
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw Failure(code: "replay_not_found", description: "'\(name)' is not a fixture name: use a file name without its extension.")
        }
        let formats: [Format] = streaming ? [.sse, .chunkLines] : [.json]
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        for format in formats {
            let url = folder.appendingPathComponent("\(name).\(format.rawValue)")
            if FileManager.default.fileExists(atPath: url.path) { return (url, format) }
        }
        let available = names(in: directory, streaming: streaming)
        throw Failure(
            code: "replay_not_found",
            description: "No \(streaming ? "streamed" : "non-streamed") fixture '\(name)' in \(directory) "
                + "(looked for \(formats.map { "\(name).\($0.rawValue)" }.joined(separator: ", "))). "
                + "Available \(streaming ? "with \"stream\": true" : "without \"stream\": true"): \(available.joined(separator: ", "))."
        )
    }

    /// The fixture names a streaming (or non-streaming) request can replay from `directory`.
    public static func names(in directory: String, streaming: Bool) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let formats: [Format] = streaming ? [.sse, .chunkLines] : [.json]
        return Set(
            files.compactMap { file in
                formats.lazy.compactMap { file.hasSuffix(".\($0.rawValue)") ? String(file.dropLast($0.rawValue.count + 1)) : nil }.first
            }
        ).sorted()
    }

    /// The SSE events to send for a stored stream, each with its terminating blank line.
    public static func events(of contents: [UInt8], format: Format, usage: Bool) -> [[UInt8]] {
        var events: [[UInt8]]
        switch format {
        case .sse:
            events = []
            var start = 0
            var index = 0
            while index + 1 < contents.count {
                if contents[index] == 0x0A, contents[index + 1] == 0x0A {
                    events.append(Array(contents[start...(index + 1)]))
                    index += 2
                    start = index
                } else {
                    index += 1
                }
            }
            if start < contents.count { events.append(Array(contents[start...])) }
        case .chunkLines:
            events = contents.split(separator: 0x0A, omittingEmptySubsequences: true).map { Array("data: ".utf8) + $0 + [0x0A, 0x0A] }
            events.append(Array("data: [DONE]\n\n".utf8))
        case .json:
            events = [contents]
        }
        guard !usage else { return events }
        return events.compactMap(withoutUsage)
    }

    /// The events of a stored Anthropic Messages stream (`event: NAME` + `data: JSON`, blank-line
    /// separated), each with its terminating blank line. Recordings fed to an SDK line by line
    /// often end without the final blank line (the last event then ends at its `}`): it is
    /// appended, so the last event is complete on the wire; every other byte is as stored.
    public static func messagesEvents(of contents: [UInt8]) -> [[UInt8]] {
        var events = Self.events(of: contents, format: .sse, usage: true)
        guard var last = events.popLast() else { return [] }
        while last.count < 2 || last[last.count - 2] != 0x0A || last[last.count - 1] != 0x0A { last.append(0x0A) }
        events.append(last)
        return events
    }

    /// The bytes of a stored non-streamed body, usage replaced by `null` when turned off.
    public static func body(of contents: [UInt8], usage: Bool) -> [UInt8] {
        usage ? contents : (withoutUsage(contents) ?? contents)
    }

    /// The event (or body) without its usage: nil when the event only carried usage.
    private static func withoutUsage(_ event: [UInt8]) -> [UInt8]? {
        guard let object = event.firstIndex(of: UInt8(ascii: "{")),
            let members = TopLevelMembers(event, objectStart: object)
        else { return event }
        guard let usage = members.value(of: "usage"), event[usage] != Array("null".utf8)[...] else { return event }
        if let choices = members.value(of: "choices"), event[choices].filter({ ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == Array("[]".utf8) {
            return nil
        }
        return Array(event[..<usage.lowerBound]) + Array("null".utf8) + Array(event[usage.upperBound...])
    }
}

/// The top-level members of a JSON object in a byte buffer: where each value starts and ends.
/// Just enough scanning for ``RecordedReplay`` to find `usage` and `choices`; nil if malformed.
private struct TopLevelMembers {
    private var values: [String: Range<Int>] = [:]

    init?(_ bytes: [UInt8], objectStart: Int) {
        var index = objectStart + 1
        func skipSpace() { while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 } }
        func skipString() -> Bool {
            index += 1
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    return true
                }
                index += 1
            }
            return false
        }
        func skipValue() -> Bool {
            skipSpace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""): return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        if !skipString() { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
                return true
            }
        }
        while true {
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "\"") else { return nil }
            let keyStart = index + 1
            guard skipString() else { return nil }
            let key = String(decoding: bytes[keyStart..<(index - 1)], as: UTF8.self)
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            let valueStart = index
            guard skipValue() else { return nil }
            values[key] = valueStart..<index
        }
    }

    func value(of key: String) -> Range<Int>? { values[key] }
}

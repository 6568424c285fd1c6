#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RelayServerFrame {
    /// Decodes one relay frame: the hand-written scanner for the usual shapes, `JSONDecoder` for
    /// anything else (the same contract as ``ChatCompletionsChunk/decode(_:decoder:)``: the scanner
    /// answers only when its answer is what `JSONDecoder` would give).
    package static func decode(_ text: String, decoder: JSONDecoder) throws -> RelayServerFrame {
        if let frame = scanned(text) { return frame }
        return try decoder.decode(RelayServerFrame.self, from: Data(text.utf8))
    }

    /// The frame when the fast scanner reads all of it, else `nil`.
    package static func scanned(_ text: String) -> RelayServerFrame? {
        JSONScanner.scan(text) { scanner in
            var type: String?
            var frame = RelayServerFrame(type: "")
            var seen: UInt32 = 0
            let complete = scanner.object { key, scanner in
                switch key {
                case "type":
                    guard JSONScanner.firstTime(0, &seen), let value = scanner.string() else { return false }
                    type = value
                    return true
                case "session_id": return JSONScanner.firstTime(1, &seen) && scanner.optionalString(into: &frame.sessionID)
                case "model": return JSONScanner.firstTime(2, &seen) && scanner.optionalString(into: &frame.model)
                case "index": return JSONScanner.firstTime(3, &seen) && scanner.optionalInteger(into: &frame.index)
                case "finish_reason": return JSONScanner.firstTime(4, &seen) && scanner.optionalString(into: &frame.finishReason)
                case "message": return JSONScanner.firstTime(5, &seen) && scanner.optionalString(into: &frame.message)
                case "code": return JSONScanner.firstTime(6, &seen) && scanner.optionalString(into: &frame.code)
                case "status": return JSONScanner.firstTime(7, &seen) && scanner.optionalInteger(into: &frame.status)
                case "delta": return JSONScanner.firstTime(8, &seen) && scanDelta(&scanner, into: &frame.delta)
                case "usage": return JSONScanner.firstTime(9, &seen) && scanUsage(&scanner, into: &frame.usage)
                default: return scanner.skipValue()
                }
            }
            guard complete, let type else { return nil }
            frame.type = type
            return frame
        }
    }

    private static func scanDelta(_ scanner: inout JSONScanner, into delta: inout Delta?) -> Bool {
        if scanner.consumeNull() { return true }
        var content: String?
        var seen: UInt32 = 0
        let complete = scanner.object { key, scanner in
            key == "content" ? JSONScanner.firstTime(0, &seen) && scanner.optionalString(into: &content) : scanner.skipValue()
        }
        delta = Delta(content: content)
        return complete
    }

    private static func scanUsage(_ scanner: inout JSONScanner, into usage: inout Usage?) -> Bool {
        if scanner.consumeNull() { return true }
        var input: Int?
        var output: Int?
        var seen: UInt32 = 0
        let complete = scanner.object { key, scanner in
            switch key {
            case "input_tokens":
                guard JSONScanner.firstTime(0, &seen), let value = scanner.integer() else { return false }
                input = value
                return true
            case "output_tokens":
                guard JSONScanner.firstTime(1, &seen), let value = scanner.integer() else { return false }
                output = value
                return true
            default:
                return scanner.skipValue()
            }
        }
        guard complete, let input, let output else { return false }
        usage = Usage(inputTokens: input, outputTokens: output)
        return true
    }
}

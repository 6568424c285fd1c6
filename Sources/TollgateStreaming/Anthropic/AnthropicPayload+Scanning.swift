/// The fast path for the events a Messages stream is made of: the deltas, `ping`, the stops, and
/// also `message_start`, `content_block_start` and `message_delta` (once per stream or block, but
/// a `JSONDecoder` each was most of what the Messages path still cost per stream over Chat
/// Completions). Read with ``JSONScanner``; any member it doesn't know at the top, a repeated key,
/// or a value of an unusual shape (a float or a boolean in `usage`, a tool block's non-empty
/// `input`) gives `nil`, and `JSONDecoder` reads the event as before, so both paths agree on every
/// event the scanner reads.
extension AnthropicPayload {
    static func scanned(_ text: String) -> AnthropicPayload? {
        JSONScanner.scan(text) { scanner -> AnthropicPayload? in
            var payload = AnthropicPayload()
            var seen: UInt32 = 0
            let complete = scanner.object { key, scanner in
                switch key {
                case "type": return JSONScanner.firstTime(0, &seen) && scanner.optionalString(into: &payload.type)
                case "index": return JSONScanner.firstTime(1, &seen) && scanner.skipValue()
                case "delta":
                    guard JSONScanner.firstTime(2, &seen), let delta = Delta.scanned(&scanner) else { return false }
                    payload.delta = delta
                    return true
                case "message":
                    guard JSONScanner.firstTime(3, &seen), let message = Message.scanned(&scanner) else { return false }
                    payload.message = message
                    return true
                case "content_block":
                    guard JSONScanner.firstTime(4, &seen), let block = Block.scanned(&scanner) else { return false }
                    payload.contentBlock = block
                    return true
                case "usage":
                    guard JSONScanner.firstTime(5, &seen), let usage = scannedUsage(&scanner) else { return false }
                    payload.usage = usage
                    return true
                default: return false
                }
            }
            return complete ? payload : nil
        }
    }

    /// A `usage` object of whole numbers, strings, nulls and objects of those (`cache_creation`,
    /// `server_tool_use`), the scanner at its `{`; `nil` for anything else.
    static func scannedUsage(_ scanner: inout JSONScanner, depth: Int = 0) -> [String: JSONValue]? {
        var usage: [String: JSONValue] = [:]
        let complete = scanner.object { key, scanner in
            // A repeated key: JSONDecoder decides which one counts.
            guard usage[key] == nil else { return false }
            if scanner.consumeNull() {
                usage[key] = .null
            } else if let text = scanner.string() {
                usage[key] = .string(text)
            } else if let number = scanner.integer() {
                usage[key] = .integer(Int64(number))
            } else if depth == 0, let nested = scannedUsage(&scanner, depth: 1) {
                usage[key] = .object(nested)
            } else {
                return false
            }
            return true
        }
        return complete ? usage : nil
    }
}

extension AnthropicPayload.Message {
    /// A `message` object (of `message_start`), the scanner at its `{`: its `usage`, every other member skipped.
    static func scanned(_ scanner: inout JSONScanner) -> Self? {
        var message = Self()
        var seen: UInt32 = 0
        let complete = scanner.object { key, scanner in
            guard key == "usage" else { return scanner.skipValue() }
            guard JSONScanner.firstTime(0, &seen), let usage = AnthropicPayload.scannedUsage(&scanner) else { return false }
            message.usage = usage
            return true
        }
        return complete ? message : nil
    }
}

extension AnthropicPayload.Block {
    /// A `content_block` object, the scanner at its `{`; `nil` for a block whose `input` is not
    /// the `{}` a streamed tool block starts with.
    static func scanned(_ scanner: inout JSONScanner) -> Self? {
        var block = Self()
        var seen: UInt32 = 0
        let complete = scanner.object { key, scanner in
            switch key {
            case "type": return JSONScanner.firstTime(0, &seen) && scanner.optionalString(into: &block.type)
            case "text": return JSONScanner.firstTime(1, &seen) && scanner.optionalString(into: &block.text)
            case "thinking": return JSONScanner.firstTime(2, &seen) && scanner.optionalString(into: &block.thinking)
            case "name": return JSONScanner.firstTime(3, &seen) && scanner.optionalString(into: &block.name)
            case "input":
                guard JSONScanner.firstTime(4, &seen), scanner.object({ _, _ in false }) else { return false }
                block.input = .object([:])
                return true
            default: return scanner.skipValue()
            }
        }
        return complete ? block : nil
    }
}

extension AnthropicPayload.Delta {
    /// A `delta` object, the scanner at its `{`; `nil` when it is not one the fast path reads.
    static func scanned(_ scanner: inout JSONScanner) -> Self? {
        var delta = Self()
        var seen: UInt32 = 0
        let complete = scanner.object { key, scanner in
            switch key {
            case "type": return JSONScanner.firstTime(0, &seen) && scanner.optionalString(into: &delta.type)
            case "text": return JSONScanner.firstTime(1, &seen) && scanner.optionalString(into: &delta.text)
            case "thinking": return JSONScanner.firstTime(2, &seen) && scanner.optionalString(into: &delta.thinking)
            case "partial_json": return JSONScanner.firstTime(3, &seen) && scanner.optionalString(into: &delta.partialJSON)
            case "stop_reason": return JSONScanner.firstTime(4, &seen) && scanner.optionalString(into: &delta.stopReason)
            default: return scanner.skipValue()
            }
        }
        return complete ? delta : nil
    }
}

/// The fast path for the events a Messages stream is mostly made of (`content_block_delta`,
/// `content_block_stop`, `ping`, `message_stop`): read with ``JSONScanner`` instead of building a
/// `JSONDecoder` per event. Any other member, a repeated key or an unusual shape gives `nil`, and
/// `JSONDecoder` reads the event as before, so both paths agree on every event the scanner reads.
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
                default: return false
                }
            }
            return complete ? payload : nil
        }
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

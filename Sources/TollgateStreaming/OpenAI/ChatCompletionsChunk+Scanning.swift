#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ChatCompletionsChunk {
    /// Decodes one `data:` payload: the hand-written scanner for the usual shape, `JSONDecoder`
    /// for anything else.
    ///
    /// Foundation's decoder was ~8 % of the gateway's CPU per relayed chunk. The scanner reads the
    /// same fields with the same rules (unknown members skipped, `null` as absent) and gives up on
    /// anything it does not read with certainty — a non-`null` `usage` or `error`, a repeated
    /// key, an unknown role, a number that is not a plain integer — so the result is always what
    /// `JSONDecoder` would return, and malformed text gets `JSONDecoder`'s error.
    package static func decode(_ text: String, decoder: JSONDecoder) throws -> ChatCompletionsChunk {
        if let chunk = scanned(text) { return chunk }
        return try decoder.decode(ChatCompletionsChunk.self, from: Data(text.utf8))
    }

    /// The chunk when the fast scanner reads all of it, else `nil`.
    package static func scanned(_ text: String) -> ChatCompletionsChunk? {
        JSONScanner.scan(text) { scanner in
            var chunk = ChatCompletionsChunk(id: nil, model: nil, created: nil, choices: [])
            chunk.object = nil
            chunk.choices = nil
            var seen: UInt32 = 0
            let complete = scanner.object { key, scanner in
                switch key {
                case "id": JSONScanner.firstTime(0, &seen) && scanner.optionalString(into: &chunk.id)
                case "object": JSONScanner.firstTime(1, &seen) && scanner.optionalString(into: &chunk.object)
                case "model": JSONScanner.firstTime(2, &seen) && scanner.optionalString(into: &chunk.model)
                case "created": JSONScanner.firstTime(3, &seen) && scanner.optionalInteger(into: &chunk.created)
                case "choices": JSONScanner.firstTime(4, &seen) && scanChoices(&scanner, into: &chunk.choices)
                // Usage and errors come once per stream at most: JSONDecoder reads them.
                case "usage", "error": scanner.consumeNull() && JSONScanner.firstTime(key == "usage" ? 5 : 6, &seen)
                default: scanner.skipValue()
                }
            }
            return complete ? chunk : nil
        }
    }

    private static func scanChoices(_ scanner: inout JSONScanner, into choices: inout [Choice]?) -> Bool {
        if scanner.consumeNull() { return true }
        var scanned: [Choice] = []
        let complete = scanner.array { scanner in
            guard let choice = scanChoice(&scanner) else { return false }
            scanned.append(choice)
            return true
        }
        choices = scanned
        return complete
    }

    private static func scanChoice(_ scanner: inout JSONScanner) -> Choice? {
        var index: Int?
        var delta: Choice.Delta?
        var finishReason: String?
        var seen: UInt32 = 0
        let complete = scanner.object { key, scanner in
            switch key {
            case "index":
                guard JSONScanner.firstTime(0, &seen), let value = scanner.integer() else { return false }
                index = value
                return true
            case "delta":
                guard JSONScanner.firstTime(1, &seen), let value = scanDelta(&scanner) else { return false }
                delta = value
                return true
            case "finish_reason":
                return JSONScanner.firstTime(2, &seen) && scanner.optionalString(into: &finishReason)
            default:
                return scanner.skipValue()
            }
        }
        guard complete, let index, let delta else { return nil }
        return Choice(index: index, delta: delta, finishReason: finishReason)
    }

    private static func scanDelta(_ scanner: inout JSONScanner) -> Choice.Delta? {
        var delta = Choice.Delta()
        var seen: UInt32 = 0
        let complete = scanner.object { key, scanner in
            switch key {
            case "content":
                return JSONScanner.firstTime(0, &seen) && scanner.optionalString(into: &delta.content)
            case "role":
                guard JSONScanner.firstTime(1, &seen) else { return false }
                if scanner.consumeNull() { return true }
                guard let raw = scanner.string(), let role = ChatRole(rawValue: raw) else { return false }
                delta.role = role
                return true
            default:
                return scanner.skipValue()
            }
        }
        return complete ? delta : nil
    }
}

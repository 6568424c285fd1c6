import Foundation
import TollgateVocabularyTables

extension TiktokenEngine {
    /// Parses a `*.tiktoken` rank file: one `base64-token SP rank` per line.
    ///
    /// Hand-rolled base64 and integer parsing keep o200k (200k lines, 3.6 MB) well under the load
    /// budget; any malformed line is reported with its 1-based line number.
    static func load(_ data: Data, pattern: Pattern, fileDescription: String) throws -> TiktokenEngine {
        let table = ByteRankTable.sized(forTiktokenFileOf: data.count)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var decoded = [UInt8](repeating: 0, count: 1024)
            var lineStart = 0
            var lineNumber = 0
            while lineStart < bytes.count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                var contentEnd = lineEnd
                if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                if contentEnd == lineStart { continue }
                func fail(_ reason: String) -> TokenizerError {
                    TokenizerError(
                        .malformedVocabulary,
                        facts: "\(fileDescription): line \(lineNumber): \(reason); expected '<base64 token> <rank>'. ",
                        remedy: .redownload
                    )
                }
                var space = lineStart
                while space < contentEnd, bytes[space] != 0x20 { space += 1 }
                guard space < contentEnd, space > lineStart else { throw fail("no space between token and rank") }
                guard let rank = parseRank(bytes, from: space + 1, to: contentEnd) else {
                    throw fail("rank is not a non-negative integer")
                }
                let decodedCount = try decoded.withUnsafeMutableBufferPointer { output -> Int in
                    guard let count = Base64.decode(bytes, from: lineStart, to: space, into: output), count > 0 else {
                        throw fail("token is not valid base64")
                    }
                    return count
                }
                _ = decoded.withUnsafeBufferPointer { token in
                    table.insert(UnsafeBufferPointer(rebasing: token[0..<decodedCount]), rank: rank)
                }
            }
            guard table.count > 0 else {
                throw TokenizerError(.malformedVocabulary, facts: "\(fileDescription): contains no tokens. ", remedy: .redownload)
            }
        }
        return TiktokenEngine(ranks: table, pattern: pattern)
    }

    private static func parseRank(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt32? {
        guard start < end, end - start <= 9 else { return nil }
        var value: UInt32 = 0
        for index in start..<end {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + UInt32(digit)
        }
        return value
    }
}

/// Standard base64 (with padding), decoding into a caller's buffer without allocating.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()

    /// Decodes `bytes[start..<end]`; nil if it is not valid base64 or does not fit `output`.
    static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        to end: Int,
        into output: UnsafeMutableBufferPointer<UInt8>
    ) -> Int? {
        var end = end
        guard (end - start) % 4 == 0 else { return nil }
        var padding = 0
        while end > start, bytes[end - 1] == 0x3D, padding < 2 {
            end -= 1
            padding += 1
        }
        var accumulator: UInt32 = 0
        var bits = 0
        var written = 0
        for index in start..<end {
            let value = values[Int(bytes[index])]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                guard written < output.count else { return nil }
                output[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                written += 1
            }
        }
        return written
    }
}

/// Finds Hugging Face "added tokens" (`<｜begin▁of▁sentence｜>`, `<think>`, …) in text.
///
/// `tokenizers` extracts them before pre-tokenization even with `add_special_tokens=False`
/// (that flag only controls the post-processor), matching leftmost-longest, first the tokens with
/// `normalized: false` over the raw text, then the `normalized: true` ones inside the remaining gaps.
struct AddedTokenMatcher: Sendable {
    /// One trie per matching pass: transitions keyed by `node << 8 | byte`.
    struct Trie: Sendable {
        fileprivate var transitions: [UInt64: Int32] = [:]
        fileprivate var tokenID: [Int32] = [-1]
        fileprivate var hasChildren: [Bool] = [false]
        fileprivate var firstBytes = [Bool](repeating: false, count: 256)
        /// Longest token in bytes.
        fileprivate(set) var longest = 0

        mutating func insert(_ bytes: [UInt8], id: Int32) {
            guard let first = bytes.first else { return }
            firstBytes[Int(first)] = true
            longest = max(longest, bytes.count)
            var node: Int32 = 0
            for byte in bytes {
                let key = UInt64(node) << 8 | UInt64(byte)
                if let child = transitions[key] {
                    node = child
                } else {
                    let child = Int32(tokenID.count)
                    tokenID.append(-1)
                    hasChildren.append(false)
                    hasChildren[Int(node)] = true
                    transitions[key] = child
                    node = child
                }
            }
            if tokenID[Int(node)] < 0 { tokenID[Int(node)] = id }
        }

        /// The longest token starting at `start` and ending by `end`: its end and id.
        @inline(__always)
        func longestMatch(_ base: UnsafePointer<UInt8>, at start: Int, end: Int) -> (end: Int, id: Int32)? {
            var node: Int32 = 0
            var best: (end: Int, id: Int32)?
            var position = start
            while position < end, let child = transitions[UInt64(node) << 8 | UInt64(base[position])] {
                node = child
                position += 1
                if tokenID[Int(node)] >= 0 { best = (position, tokenID[Int(node)]) }
            }
            return best
        }

        /// The leftmost-longest token in `base[start..<end]`.
        func firstMatch(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> AddedTokenMatch? {
            guard longest > 0 else { return nil }
            var position = start
            while position < end {
                if firstBytes[Int(base[position])], let match = longestMatch(base, at: position, end: end) {
                    return AddedTokenMatch(start: position, end: match.end, id: match.id)
                }
                position += 1
            }
            return nil
        }

        /// Whether `base[start..<end]` is a prefix of some token that a longer text could complete.
        func couldGrow(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
            var node: Int32 = 0
            for position in start..<end {
                guard let child = transitions[UInt64(node) << 8 | UInt64(base[position])] else { return false }
                node = child
            }
            return hasChildren[Int(node)]
        }
    }

    /// Tokens matched on the raw text (`normalized: false`).
    var raw = Trie()
    /// Tokens matched after normalization (`normalized: true`); DeepSeek-V3 has no normalizer.
    var normalized = Trie()

    /// Offset of the earliest suffix of `base[0..<end]` that could still become an added token once
    /// more text arrives (`end` if none): text from there on is not yet final.
    func pendingStart(_ base: UnsafePointer<UInt8>, end: Int) -> Int {
        let longest = max(raw.longest, normalized.longest)
        guard longest > 0 else { return end }
        for start in max(0, end - longest + 1)..<end
        where raw.firstBytes[Int(base[start])] || normalized.firstBytes[Int(base[start])] {
            if raw.couldGrow(base, from: start, to: end) || normalized.couldGrow(base, from: start, to: end) {
                return start
            }
        }
        return end
    }
}

/// An added token found in text.
struct AddedTokenMatch {
    /// Byte range of the token in the text.
    let start: Int, end: Int
    /// Its token id.
    let id: Int32
}

/// Counts the tokens of a text that arrives in deltas, e.g. a streamed completion.
///
/// `count` always equals the tokenizer's count of everything appended so far — not the sum of the
/// deltas' counts, which is wrong whenever a delta splits a word, a number or a whitespace run.
/// Only the tail since the last pre-token boundary that no future text can move is kept and
/// recounted; everything before it is folded into a running total.
public struct IncrementalTokenCounter {
    private let tokenizer: Tokenizer
    private let scale: TokenEstimate?
    /// UTF-8 of the text after the last certain boundary.
    private var pending: [UInt8] = []
    private var settledTokens = 0
    private var pendingTokens = 0

    init(tokenizer: Tokenizer, scale: TokenEstimate? = nil) {
        self.tokenizer = tokenizer
        self.scale = scale
        pending.reserveCapacity(256)
    }

    /// Tokens in all the text appended so far (for an estimating model counter, the estimate).
    public var count: Int {
        let exact = settledTokens + pendingTokens
        return scale?.apply(to: exact) ?? exact
    }

    /// Appends the next piece of text. Deltas may split words, numbers, grapheme clusters or
    /// combining sequences anywhere; Swift strings always hold whole scalars, and the pre-tokenizers
    /// work on scalars, so any split is handled.
    public mutating func append(_ delta: String) {
        guard !delta.isEmpty else { return }
        pending.append(contentsOf: delta.utf8)
        // The cache is borrowed from the tokenizer per append, not owned: an open stream holds no cache.
        let result = tokenizer.incrementalCaches.withCache { cache in
            pending.withUnsafeBufferPointer { tokenizer.stableCount(utf8: $0, cache: cache) }
        }
        settledTokens += result.stableTokens
        pendingTokens = result.totalTokens - result.stableTokens
        if result.stableEnd > 0 { pending.removeFirst(result.stableEnd) }
    }
}

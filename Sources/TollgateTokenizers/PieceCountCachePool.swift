import Synchronization

/// The pre-token count caches of one tokenizer's incremental counters, lent out per `append`.
///
/// A cache per counter cost 10 KiB for every open stream (most of it for streams that only ever see
/// a few deltas); one shared by all of them would need a lock per lookup. Instead a counter borrows a
/// cache for one `append` and returns it: no more caches exist than appends run at the same moment
/// (about one per core), and each is warmed by every stream of the tokenizer, not just one.
final class PieceCountCachePool: Sendable {
    /// Slots per cache: shared by every stream, so larger than one stream's cache used to be.
    static let slots = 1024
    /// Caches kept for reuse; more only exist while more appends than this run at once.
    static let kept = 64

    private let idle = Mutex<[LentCache]>([])

    /// Runs `body` with a cache no other caller uses until `body` returns.
    func withCache<Result>(_ body: (PieceCountCache) -> Result) -> Result {
        let lent = idle.withLock { $0.popLast() } ?? LentCache(PieceCountCache(slots: Self.slots))
        defer {
            idle.withLock { idle in
                if idle.count < Self.kept { idle.append(lent) }
            }
        }
        return body(lent.cache)
    }
}

/// A cache in transit between the pool and one borrower.
// @unchecked Sendable: `PieceCountCache` is not thread-safe, but the pool hands each one to a single
// borrower at a time (popped under the pool's lock, pushed back only after the borrower is done).
private struct LentCache: @unchecked Sendable {
    let cache: PieceCountCache
    init(_ cache: PieceCountCache) { self.cache = cache }
}

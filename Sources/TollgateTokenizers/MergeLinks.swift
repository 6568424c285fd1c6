/// Scratch state for the heap-based merge of long pieces: a doubly linked list of parts over the
/// piece's positions, each part's current pair rank, and a binary min-heap of `rank << 32 | position`
/// (so ties go to the leftmost pair, as in the reference implementations).
struct MergeLinks {
    /// Index of the following part, `count` after the last one.
    let next: UnsafeMutablePointer<Int32>
    /// Index of the preceding part, -1 before the first one.
    let previous: UnsafeMutablePointer<Int32>
    /// The rank (or merge priority) of the pair starting at each part.
    let rank: UnsafeMutablePointer<UInt32>
    /// Whether a position still starts a part.
    let alive: UnsafeMutablePointer<Bool>
    /// Candidate merges; entries made stale by later merges are skipped when popped.
    var heap: MinHeap
    private let count: Int

    init(count: Int) {
        self.count = count
        next = .allocate(capacity: count + 1)
        previous = .allocate(capacity: count + 1)
        rank = .allocate(capacity: count + 1)
        alive = .allocate(capacity: count + 1)
        for index in 0...count {
            next[index] = Int32(index + 1)
            previous[index] = Int32(index - 1)
            alive[index] = true
        }
        heap = MinHeap(capacity: count * 3 + 4)
    }

    /// Joins the part after `node` into `node`.
    @inline(__always)
    mutating func removeNext(of node: Int) {
        let removed = Int(next[node])
        let after = Int(next[removed])
        alive[removed] = false
        next[node] = Int32(after)
        previous[after] = Int32(node)
    }

    func deallocate() {
        next.deallocate()
        previous.deallocate()
        rank.deallocate()
        alive.deallocate()
        heap.deallocate()
    }
}

/// A fixed-capacity binary min-heap of `UInt64` keys.
struct MinHeap {
    private let storage: UnsafeMutablePointer<UInt64>
    private let capacity: Int
    private var size = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    @inline(__always)
    mutating func push(_ key: UInt64) {
        precondition(size < capacity, "MinHeap over capacity")
        var index = size
        size += 1
        while index > 0 {
            let parent = (index - 1) >> 1
            guard storage[parent] > key else { break }
            storage[index] = storage[parent]
            index = parent
        }
        storage[index] = key
    }

    @inline(__always)
    mutating func pop() -> UInt64? {
        guard size > 0 else { return nil }
        let top = storage[0]
        size -= 1
        let last = storage[size]
        var index = 0
        while true {
            var child = index * 2 + 1
            guard child < size else { break }
            if child + 1 < size, storage[child + 1] < storage[child] { child += 1 }
            guard storage[child] < last else { break }
            storage[index] = storage[child]
            index = child
        }
        storage[index] = last
        return top
    }

    func deallocate() { storage.deallocate() }
}

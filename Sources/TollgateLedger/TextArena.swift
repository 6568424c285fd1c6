import GRDB
import GRDBSQLite

/// The UTF-8 bytes of one statement's text parameters, laid end to end, and where each one lies, so
/// they can be bound without copies (SQLITE_STATIC) from one buffer: letting SQLite copy each value
/// cost a malloc and a free per text column per row. See `EntryInsertion`, `HoldInsertion` and `HoldRemoval`.
struct TextArena {
    struct Slot {
        let index: Int32
        let offset: Int
        let length: Int32
    }

    var bytes: [UInt8] = []
    var slots: [Slot] = []

    /// Records `value` for parameter `index`, or binds NULL to it right away when there is none.
    mutating func add(_ index: Int32, _ value: String?, or handle: SQLiteStatement) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        let offset = bytes.count
        bytes.append(contentsOf: value.utf8)
        slots.append(Slot(index: index, offset: offset, length: Int32(bytes.count - offset)))
        // A terminator after every value keeps the buffer non-empty even when the values are all
        // empty strings, so it always has an address and "" never becomes NULL.
        bytes.append(0)
    }

    /// Binds the recorded values to `handle` without copies, runs `body` (which steps it), then
    /// resets the statement and clears its bindings before the buffer goes, so GRDB's later use of
    /// the cached statement finds it as it left it.
    func withBound<Result>(_ handle: SQLiteStatement, _ body: () throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBufferPointer { buffer in
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            for slot in slots {
                sqlite3_bind_text(
                    handle,
                    slot.index,
                    buffer.baseAddress.map { UnsafeRawPointer($0 + slot.offset).assumingMemoryBound(to: CChar.self) },
                    slot.length,
                    nil
                )
            }
            return try body()
        }
    }
}

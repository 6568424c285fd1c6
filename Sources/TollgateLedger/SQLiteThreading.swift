import CSQLiteThreading

/// Puts the SQLite library in multi-thread mode before the first connection opens.
///
/// Why: Debian's libsqlite3 defaults to serialized mode, which takes a mutex around every API call —
/// measured at ~16 % of ledger append time, and its memory statistics add a global mutex per allocation. GRDB never uses one connection from two threads at once
/// (every connection sits behind its own serial queue), which is exactly what multi-thread mode
/// requires, so those mutexes buy nothing. The switch only works before SQLite initializes; if
/// something opened a database first, it fails harmlessly and serialized mode stays.
enum SQLiteThreading {
    /// Whether multi-thread mode took effect; evaluated once, on first use.
    static let isMultiThread: Bool = tollgate_sqlite_use_multithread_mode() == 0
}

#ifndef TOLLGATE_CSQLITETHREADING_H
#define TOLLGATE_CSQLITETHREADING_H

/// Switches the SQLite library to multi-thread mode (SQLITE_CONFIG_MULTITHREAD) and turns off its
/// memory statistics (SQLITE_CONFIG_MEMSTATUS), whose global mutex is taken on every allocation. Must run before
/// SQLite initializes; returns SQLITE_OK (0) on success, SQLITE_MISUSE when it is too late.
/// Swift cannot call the variadic sqlite3_config itself, hence this one-function C target.
int tollgate_sqlite_use_multithread_mode(void);

#endif

#include <sqlite3.h>
#include "CSQLiteThreading.h"

int tollgate_sqlite_use_multithread_mode(void) {
    int code = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (code != SQLITE_OK) return code;
    // Memory statistics take a global mutex on every allocation; Tollgate never reads them.
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

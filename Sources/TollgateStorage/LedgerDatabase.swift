/// A whole ledger database: the ledger itself (`LedgerStore`), the sums reports read
/// (`ReportStore`) and the budget alert outbox (`AlertOutbox`). SQLite and PostgreSQL are both one;
/// whatever needs all three (team administration, the gateway, the CLI) takes this, so no caller
/// has to find a capability by casting.
public protocol LedgerDatabase: ReportStore, AlertOutbox {}

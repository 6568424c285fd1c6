import GRDB

/// What one admission transaction carries from one request to the next: what it has read
/// (`AdmissionSnapshot`), what its holds change in the open-hold totals (`HoldTotals`, written
/// before anything in the transaction reads them, and at its end), and its prepared hold insert.
struct AdmissionBatch {
    var snapshot = AdmissionSnapshot()
    var totals = HoldTotals()
    private var insertion: HoldInsertion?

    /// The transaction's hold insert, prepared on first use.
    mutating func holdInsertion(_ db: Database) throws -> HoldInsertion {
        if let insertion { return insertion }
        let prepared = try HoldInsertion(database: db)
        insertion = prepared
        return prepared
    }
}

/// What one admission transaction carries from one request to the next: what it has read
/// (`AdmissionSnapshot`) and what its holds change in the open-hold totals (`HoldTotals`, written
/// before anything in the transaction reads them, and at its end).
struct AdmissionBatch {
    var snapshot = AdmissionSnapshot()
    var totals = HoldTotals()
}

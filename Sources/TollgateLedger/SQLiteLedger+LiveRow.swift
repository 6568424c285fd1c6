import GRDB

extension SQLiteLedger {
    /// The first row of `statement`, decoded where the cursor stands, or `nil` when there is none.
    ///
    /// Why not `Row.fetchOne`: it returns a copy of the row, and a copied row finds each column by
    /// lowercasing every column name, while the live row finds it with one lookup in the
    /// statement's index (the key lookup measured ~1.5 % of the gateway's CPU per stream for it).
    /// The cursor goes when this returns, which resets the statement, as `fetchOne` did.
    static func firstRow<Value>(
        _ statement: Statement,
        arguments: StatementArguments,
        _ decode: (Row) throws -> Value
    ) throws -> Value? {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        return try rows.next().map(decode)
    }
}

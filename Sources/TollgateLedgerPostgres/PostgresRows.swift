import Foundation
import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and collects its rows (ledger queries return few rows, or are paged by `LIMIT`).
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    /// Runs a statement that returns no rows.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}

extension PostgresRandomAccessRow {
    func int64(_ column: String) throws -> Int64 { try self[column].decode(Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    func optionalInt(_ column: String) throws -> Int? { try optionalInt64(column).map(Int.init) }
    func text(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalText(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func bool(_ column: String) throws -> Bool { try self[column].decode(Bool.self) }
    func data(_ column: String) throws -> Data { try self[column].decode(Data.self) }
}

extension PostgresQuery {
    /// A query from SQL with `$n` placeholders and its values in order.
    static func sql(_ sql: String, _ build: (inout PostgresBindings) throws -> Void = { _ in }) rethrows -> PostgresQuery {
        var binds = PostgresBindings()
        try build(&binds)
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}

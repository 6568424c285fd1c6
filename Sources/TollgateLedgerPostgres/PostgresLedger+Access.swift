import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    /// Runs `body` on a pooled connection, within the deadline.
    func read<T: Sendable>(
        _ action: String,
        deadline: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withDeadline(action, deadline: deadline) { [client] in
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// Runs `body` in one transaction (READ COMMITTED), within the deadline. A deadlock or
    /// serialization failure between replicas rolls back and runs `body` again: nothing of a
    /// rolled-back attempt is kept.
    func transaction<T: Sendable>(
        _ action: String,
        deadline: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withDeadline(action, deadline: deadline) { [client, logger] in
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try await client.withConnection { connection in
                        try await connection.run("BEGIN", logger: logger)
                        do {
                            let value = try await body(connection)
                            try await connection.run("COMMIT", logger: logger)
                            return value
                        } catch {
                            try? await connection.run("ROLLBACK", logger: logger)
                            throw error
                        }
                    }
                } catch let error as PSQLError where PostgresFailure.isRetryable(error) && attempt < 8 {
                    try await Task.sleep(for: .milliseconds(attempt * 3))
                }
            }
        }
    }

    /// Runs `body`, failing with `ledger_unavailable` when the database doesn't answer in time or the
    /// connection fails, and translating what the database refused into `ledger_rejected`.
    func withDeadline<T: Sendable>(_ action: String, deadline: Duration? = nil, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = deadline ?? self.deadline
        do {
            // Not a task group: it would wait for a request that ignores cancellation (DeadlineRace).
            return try await DeadlineRace.run(deadline: deadline, timedOut: PostgresFailure.timedOut, body)
        } catch PostgresFailure.timedOut {
            throw LedgerError(
                .unavailable,
                "PostgreSQL at \(location) did not answer (\(action)) within \(deadline): check that the database is running and reachable; nothing is admitted until it answers"
            )
        } catch let error as PSQLError {
            throw PostgresFailure.translate(error, action: action, location: location)
        } catch let error as LedgerError {
            throw error
        } catch let error as BudgetError {
            // A domain refusal decided inside the body (an unknown key, say) is the caller's answer.
            throw error
        } catch let error as PostgresDecodingError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PostgresFailure.transport(error, action: action, location: location)
        }
    }
}

/// What went wrong talking to PostgreSQL, sorted into the ledger's errors.
enum PostgresFailure: Error {
    case timedOut

    /// The SQLSTATE of a server error, if it is one.
    static func sqlState(_ error: any Error) -> String? {
        guard let error = error as? PSQLError, error.code == .server else { return nil }
        return error.serverInfo?[.sqlState]
    }

    /// Deadlocks and serialization failures: another replica won a race, try again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        ["40P01", "40001"].contains(sqlState(error) ?? "")
    }

    /// Anything else the client throws while talking to the database is the connection's failure,
    /// not the data's: PostgresNIO passes some pool errors through unwrapped (its circuit breaker,
    /// for one), and NIO channel errors can surface the same way. Calling them unavailable keeps
    /// admission failing closed and, above all, keeps the ledger writer retrying a settlement for
    /// its outage window instead of giving up after a burst of quick attempts.
    static func transport(_ error: any Error, action: String, location: String) -> LedgerError {
        LedgerError(
            .unavailable,
            "PostgreSQL at \(location) could not be used (\(action): \(error)): check that the database is running and reachable; nothing is admitted until it answers"
        )
    }

    static func translate(_ error: PSQLError, action: String, location: String) -> LedgerError {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            return LedgerError(
                .unavailable,
                "PostgreSQL at \(location) is unreachable (\(action): \(error.code)): check that the database is running; nothing is admitted until it answers"
            )
        }
        let message = error.serverInfo?[.message] ?? "error \(state)"
        switch state.prefix(2) {
        case "08", "57", "53":
            return LedgerError(
                .unavailable,
                "PostgreSQL at \(location) cannot serve requests (\(action): \(message)): check the database; nothing is admitted until it answers"
            )
        case "28", "3D":
            return LedgerError(
                .unavailable,
                "PostgreSQL at \(location) refused the connection (\(message)): check the user, password and database name in the URL"
            )
        default:
            return LedgerError(.rejected, "the ledger refused the write, nothing was written (\(action)): \(message)")
        }
    }
}

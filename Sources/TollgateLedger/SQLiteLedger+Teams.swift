import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger {
    public func createTeam(name: String, budget: Budget, at instant: Date) async throws -> Team {
        let now = Timestamp.millis(instant)
        do {
            let id = try await pool.write { db -> Int64 in
                try db.execute(
                    sql: """
                        INSERT INTO teams (name, budget_nanos, currency, period, soft_limit_percent, on_exhausted,
                                           time_zone, hold_policy, disabled, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                        """,
                    arguments: [
                        name, budget.limit.nanos, budget.limit.currency.rawValue, budget.period.rawValue,
                        budget.softLimitPercent, budget.onExhausted.rawValue, budget.timeZone.identifier, budget.hold.rawValue, now, now,
                    ]
                )
                return db.lastInsertedRowID
            }
            return Team(id: id, name: name, budget: budget, disabled: false, createdAt: Timestamp.date(now))
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw BudgetError.duplicateTeam(name)
        }
    }

    public func team(named name: String) async throws -> Team {
        let team = try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM teams WHERE name = ?", arguments: [name]).map(Self.team)
        }
        guard let team else {
            throw BudgetError.unknownTeam(name)
        }
        return team
    }

    public func team(id: Int64) async throws -> Team {
        let team = try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM teams WHERE id = ?", arguments: [id]).map(Self.team)
        }
        guard let team else { throw BudgetError(.unknownTeam, "no team with id \(id)") }
        return team
    }

    public func teams() async throws -> [Team] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM teams ORDER BY name").map(Self.team) }
    }

    public func updateBudget(teamID: Int64, budget: Budget, at instant: Date) async throws -> Team {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE teams SET budget_nanos = ?, currency = ?, period = ?, soft_limit_percent = ?,
                                     on_exhausted = ?, time_zone = ?, hold_policy = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    budget.limit.nanos, budget.limit.currency.rawValue, budget.period.rawValue, budget.softLimitPercent,
                    budget.onExhausted.rawValue, budget.timeZone.identifier, budget.hold.rawValue, Timestamp.millis(instant), teamID,
                ]
            )
        }
        return try await team(id: teamID)
    }

    public func setDisabled(teamID: Int64, _ disabled: Bool, at instant: Date) async throws -> Team {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE teams SET disabled = ?, updated_at = ? WHERE id = ?",
                arguments: [disabled, Timestamp.millis(instant), teamID]
            )
        }
        return try await team(id: teamID)
    }

    public func renameTeam(teamID: Int64, to name: String, at instant: Date) async throws -> Team {
        do {
            try await pool.write { db in
                try db.execute(sql: "UPDATE teams SET name = ?, updated_at = ? WHERE id = ?", arguments: [name, Timestamp.millis(instant), teamID])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw BudgetError.duplicateTeam(name)
        }
        return try await team(id: teamID)
    }

    static func team(_ row: Row) throws -> Team {
        let currency = try Currency(code: row["currency"])
        let budget = try Budget(
            limit: Money(nanos: row["budget_nanos"], currency),
            period: BudgetPeriod(name: row["period"]),
            softLimitPercent: row["soft_limit_percent"],
            onExhausted: ExhaustionPolicy(name: row["on_exhausted"]),
            timeZone: TimeZone(identifier: row["time_zone"]) ?? .gmt,
            hold: HoldPolicy(name: row["hold_policy"])
        )
        return Team(
            id: row["id"],
            name: row["name"],
            budget: budget,
            disabled: row["disabled"],
            createdAt: Timestamp.date(row["created_at"]),
            limits: RateLimits(requestsPerMinute: row["rpm_limit"], tokensPerMinute: row["tpm_limit"], concurrentStreams: row["stream_limit"])
        )
    }
}

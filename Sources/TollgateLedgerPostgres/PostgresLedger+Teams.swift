import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    public func createTeam(name: String, budget: Budget, at instant: Date) async throws -> Team {
        let now = Timestamp.millis(instant)
        do {
            let id = try await read("creating a team") { [logger] connection in
                let query = PostgresQuery.sql(
                    """
                    INSERT INTO teams (name, budget_nanos, currency, period, soft_limit_percent, on_exhausted, time_zone, disabled, created_at, updated_at, hold_policy)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $8, $9) RETURNING id
                    """
                ) {
                    $0.append(name)
                    $0.append(budget.limit.nanos)
                    $0.append(budget.limit.currency.rawValue)
                    $0.append(budget.period.rawValue)
                    $0.append(budget.softLimitPercent.map(Int64.init))
                    $0.append(budget.onExhausted.rawValue)
                    $0.append(budget.timeZone.identifier)
                    $0.append(now)
                    $0.append(budget.hold.rawValue)
                }
                return try await connection.rows(query, logger: logger)[0].int64("id")
            }
            return Team(id: id, name: name, budget: budget, disabled: false, createdAt: Timestamp.date(now))
        } catch let error as LedgerError where error.code == .rejected && error.description.contains("teams_name_key") {
            throw BudgetError.duplicateTeam(name)
        }
    }

    public func team(named name: String) async throws -> Team {
        guard let team = try await teams(where: "name = $1", { $0.append(name) }).first else {
            throw BudgetError.unknownTeam(name)
        }
        return team
    }

    public func team(id: Int64) async throws -> Team {
        guard let team = try await teams(where: "id = $1", { $0.append(id) }).first else {
            throw BudgetError(.unknownTeam, "no team with id \(id)")
        }
        return team
    }

    public func teams() async throws -> [Team] {
        try await teams(where: "TRUE", { _ in })
    }

    private func teams(where condition: String, _ bind: @escaping @Sendable (inout PostgresBindings) -> Void) async throws -> [Team] {
        try await read("reading teams") { [logger] connection in
            try await connection.rows(.sql("SELECT * FROM teams WHERE \(condition) ORDER BY name", bind), logger: logger).map(Self.team)
        }
    }

    public func updateBudget(teamID: Int64, budget: Budget, at instant: Date) async throws -> Team {
        try await read("updating a budget") { [logger] connection in
            try await connection.run(
                .sql(
                    """
                    UPDATE teams SET budget_nanos = $1, currency = $2, period = $3, soft_limit_percent = $4, on_exhausted = $5,
                                     time_zone = $6, updated_at = $7, hold_policy = $9
                    WHERE id = $8
                    """
                ) {
                    $0.append(budget.limit.nanos)
                    $0.append(budget.limit.currency.rawValue)
                    $0.append(budget.period.rawValue)
                    $0.append(budget.softLimitPercent.map(Int64.init))
                    $0.append(budget.onExhausted.rawValue)
                    $0.append(budget.timeZone.identifier)
                    $0.append(Timestamp.millis(instant))
                    $0.append(teamID)
                    $0.append(budget.hold.rawValue)
                },
                logger: logger
            )
        }
        return try await team(id: teamID)
    }

    public func setDisabled(teamID: Int64, _ disabled: Bool, at instant: Date) async throws -> Team {
        try await read("disabling a team") { [logger] connection in
            try await connection.run(
                .sql("UPDATE teams SET disabled = $1, updated_at = $2 WHERE id = $3") {
                    $0.append(disabled)
                    $0.append(Timestamp.millis(instant))
                    $0.append(teamID)
                },
                logger: logger
            )
        }
        return try await team(id: teamID)
    }

    public func renameTeam(teamID: Int64, to name: String, at instant: Date) async throws -> Team {
        do {
            try await read("renaming a team") { [logger] connection in
                try await connection.run(
                    .sql("UPDATE teams SET name = $1, updated_at = $2 WHERE id = $3") {
                        $0.append(name)
                        $0.append(Timestamp.millis(instant))
                        $0.append(teamID)
                    },
                    logger: logger
                )
            }
        } catch let error as LedgerError where error.code == .rejected && error.description.contains("teams_name_key") {
            throw BudgetError.duplicateTeam(name)
        }
        return try await team(id: teamID)
    }

    static func team(_ row: PostgresRandomAccessRow) throws -> Team {
        let currency = try Currency(code: try row.text("currency"))
        let budget = try Budget(
            limit: Money(nanos: try row.int64("budget_nanos"), currency),
            period: BudgetPeriod(name: try row.text("period")),
            softLimitPercent: try row.optionalInt("soft_limit_percent"),
            onExhausted: ExhaustionPolicy(name: try row.text("on_exhausted")),
            timeZone: TimeZone(identifier: try row.text("time_zone")) ?? .gmt,
            hold: HoldPolicy(name: try row.text("hold_policy"))
        )
        return Team(
            id: try row.int64("id"),
            name: try row.text("name"),
            budget: budget,
            disabled: try row.bool("disabled"),
            createdAt: Timestamp.date(try row.int64("created_at")),
            limits: try Self.limits(row, prefix: "")
        )
    }
}

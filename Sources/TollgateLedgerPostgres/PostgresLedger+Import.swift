import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

/// Bulk loading for `tollgate ledger migrate-to-postgres`: rows keep their ids, so keys, entries
/// and holds still point at the same teams, and request ids stay unique.
extension PostgresLedger {
    /// Long enough for one bulk statement on a large ledger.
    static let bulkDeadline: Duration = .seconds(600)

    /// Whether the database holds no team (a copy only goes into an empty ledger).
    package func isEmpty() async throws -> Bool {
        try await read("checking the target is empty") { [logger] connection in
            try await connection.rows("SELECT COUNT(*) AS n FROM teams", logger: logger)[0].int64("n") == 0
        }
    }

    /// Inserts teams and keys with their ids, in one transaction.
    package func importTeams(_ teams: [Team], keys: [APIKeyRecord]) async throws {
        try await transaction("copying teams and keys", deadline: Self.bulkDeadline) { [logger] connection in
            for team in teams {
                let budget = team.budget
                try await connection.run(
                    .sql(
                        """
                        INSERT INTO teams (id, name, budget_nanos, currency, period, soft_limit_percent, on_exhausted, time_zone, disabled, created_at, updated_at, hold_policy,
                                           rpm_limit, tpm_limit, stream_limit)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14)
                        """
                    ) {
                        $0.append(team.id)
                        $0.append(team.name)
                        $0.append(budget.limit.nanos)
                        $0.append(budget.limit.currency.rawValue)
                        $0.append(budget.period.rawValue)
                        $0.append(budget.softLimitPercent.map(Int64.init))
                        $0.append(budget.onExhausted.rawValue)
                        $0.append(budget.timeZone.identifier)
                        $0.append(team.disabled)
                        $0.append(Timestamp.millis(team.createdAt))
                        $0.append(budget.hold.rawValue)
                        $0.append(team.limits.requestsPerMinute.map(Int64.init))
                        $0.append(team.limits.tokensPerMinute.map(Int64.init))
                        $0.append(team.limits.concurrentStreams.map(Int64.init))
                    },
                    logger: logger
                )
            }
            for key in keys {
                try await connection.run(
                    .sql(
                        """
                        INSERT INTO api_keys (id, team_id, prefix, key_hash, label, created_at, revoked_at, budget_nanos, budget_currency, budget_period,
                                              rpm_limit, tpm_limit, stream_limit)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                        """
                    ) {
                        $0.append(key.id)
                        $0.append(key.teamID)
                        $0.append(key.prefix)
                        try $0.append(key.hash)
                        $0.append(key.label)
                        $0.append(Timestamp.millis(key.createdAt))
                        $0.append(key.revokedAt.map(Timestamp.millis))
                        $0.append(key.budget?.limit.nanos)
                        $0.append(key.budget?.limit.currency.rawValue)
                        $0.append(key.budget?.period.rawValue)
                        $0.append(key.limits.requestsPerMinute.map(Int64.init))
                        $0.append(key.limits.tokensPerMinute.map(Int64.init))
                        $0.append(key.limits.concurrentStreams.map(Int64.init))
                    },
                    logger: logger
                )
            }
        }
    }

    /// Inserts entries with their ids, without touching rollups or counters (`finishImport` builds them).
    package func importEntries(_ entries: [LedgerEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await transaction("copying entries", deadline: Self.bulkDeadline) { [logger] connection in
            // The id, then every entry column `bind` writes: counted from the column list, so a new
            // column can't leave the copy one placeholder short again.
            let width = 1 + Self.entryColumns.split(separator: ",").count
            for start in stride(from: 0, to: entries.count, by: 1000) {
                let chunk = entries[start..<min(start + 1000, entries.count)]
                var binds = PostgresBindings(capacity: chunk.count * width)
                var values: [String] = []
                for (row, entry) in chunk.enumerated() {
                    values.append("(" + (1...width).map { "$\(row * width + $0)" }.joined(separator: ", ") + ")")
                    binds.append(entry.id)
                    Self.bind(entry, into: &binds)
                }
                try await connection.run(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO ledger_entries (id, \(Self.entryColumns)) VALUES \(values.joined(separator: ", "))",
                        binds: binds
                    ),
                    logger: logger
                )
            }
        }
    }

    /// Inserts open holds as they are, so a replica reclaims or settles them as SQLite would have.
    package func importReservations(_ holds: [OpenReservation]) async throws {
        guard !holds.isEmpty else { return }
        try await transaction("copying open holds", deadline: Self.bulkDeadline) { [logger] connection in
            for hold in holds {
                let draft = hold.draft
                try await connection.run(
                    .sql(
                        """
                        INSERT INTO reservations (id, team_id, key_id, model, held_nanos, currency, state, admission, price_version, fx_version,
                            input_tokens, cached_input_tokens, output_tokens, token_source, occurred_at, progress_at, lease_expires_at, created_at,
                            cache_write_5m_tokens, cache_write_1h_tokens)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $15, $18, $19)
                        """
                    ) {
                        $0.append(draft.id)
                        $0.append(draft.teamID)
                        $0.append(draft.keyID)
                        $0.append(draft.model.rawValue)
                        $0.append(hold.held.nanos)
                        $0.append(hold.held.currency.rawValue)
                        $0.append(hold.state.rawValue)
                        $0.append(hold.admission)
                        $0.append(draft.priceVersion)
                        $0.append(draft.fxVersion)
                        $0.append(Int64(draft.prompt.inputTokens))
                        $0.append(Int64(draft.prompt.cachedInputTokens))
                        $0.append(Int64(hold.outputTokens))
                        $0.append(draft.tokenSource.rawValue)
                        $0.append(Timestamp.millis(draft.occurredAt))
                        $0.append(hold.progressAt.map(Timestamp.millis))
                        $0.append(Timestamp.millis(hold.leaseExpiresAt))
                        $0.append(Int64(draft.prompt.cacheWrite5mTokens))
                        $0.append(Int64(draft.prompt.cacheWrite1hTokens))
                    },
                    logger: logger
                )
            }
        }
    }

    /// Builds the rollup from the copied entries and moves the id sequences past the copied ids.
    package func finishImport() async throws {
        try await transaction("building the rollup", deadline: Self.bulkDeadline) { [logger] connection in
            try await connection.run(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO usage_rollups (\(PostgresRollup.columns))
                        SELECT bucket_start, team_id, model, kind, price_version, fx_version, \(PostgresRollup.rawTotalsColumns)
                        FROM \(PostgresRollup.rawEntries) e GROUP BY 1, 2, 3, 4, 5, 6
                        """
                ),
                logger: logger
            )
            for table in ["teams", "api_keys", "ledger_entries"] {
                try await connection.run(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)
                            """
                    ),
                    logger: logger
                )
            }
        }
    }

    /// Row counts and per-team sums, to compare with the source of a copy.
    package func ledgerTotals() async throws -> LedgerTotals {
        try await read("totalling the ledger", deadline: Self.bulkDeadline) { [logger] connection in
            var totals = LedgerTotals()
            func count(_ table: String) async throws -> Int {
                Int(try await connection.rows(PostgresQuery(unsafeSQL: "SELECT COUNT(*) AS n FROM \(table)"), logger: logger)[0].int64("n"))
            }
            totals.teams = try await count("teams")
            totals.keys = try await count("api_keys")
            totals.openReservations = try await count("reservations")
            for row in try await connection.rows(
                "SELECT currency, SUM(held_nanos)::BIGINT AS held FROM reservations GROUP BY currency",
                logger: logger
            ) {
                totals.heldNanos[try row.text("currency")] = try row.int64("held")
            }
            for row in try await connection.rows(
                """
                SELECT team_id, COUNT(*)::BIGINT, SUM(input_tokens)::BIGINT, SUM(output_tokens)::BIGINT, SUM(charge_usd_nanos)::BIGINT,
                       SUM(charge_cny_nanos)::BIGINT, SUM(official_usd_nanos)::BIGINT, SUM(baseline_cny_nanos)::BIGINT,
                       SUM(cached_input_tokens)::BIGINT, SUM(cache_write_5m_tokens)::BIGINT, SUM(cache_write_1h_tokens)::BIGINT,
                       SUM(reasoning_tokens)::BIGINT
                FROM ledger_entries GROUP BY team_id
                """,
                logger: logger
            ) {
                func value(_ index: Int) throws -> Int64 { try row[index].decode(Int64.self) }
                totals.byTeam[try value(0)] = LedgerTotals.teamSums(
                    try value(1),
                    try value(2),
                    try value(3),
                    try value(4),
                    try value(5),
                    try value(6),
                    try value(7),
                    parts: (try value(8), try value(9), try value(10), try value(11))
                )
            }
            return totals
        }
    }
}

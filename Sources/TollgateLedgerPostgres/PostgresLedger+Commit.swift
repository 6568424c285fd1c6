import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    /// One transaction per group commit, as with SQLite. Any replica may have reclaimed a hold
    /// first: the settlement's `DELETE ... RETURNING` then returns nothing for it and its entry is
    /// not written, so nothing is billed twice. Row ids are sorted so two replicas lock rows in the
    /// same order; a deadlock that still happens is retried by `transaction`.
    public func commit(_ batch: LedgerCommit) async throws -> LedgerCommitResult {
        guard !batch.isEmpty else { return LedgerCommitResult() }
        return try await transaction("committing progress and settlements") { [logger] connection in
            let lease = Timestamp.millis(batch.leaseExpiresAt)
            var latest: [String: (tokens: Int64, at: Int64)] = [:]
            for record in batch.progress {
                let previous = latest[record.reservationID]?.tokens ?? 0
                latest[record.reservationID] = (max(previous, Int64(record.outputTokens)), Timestamp.millis(record.at))
            }
            if !latest.isEmpty {
                let ids = latest.keys.sorted()
                try await connection.run(
                    .sql(
                        """
                        UPDATE reservations r SET output_tokens = GREATEST(r.output_tokens, u.tokens), progress_at = u.at,
                                                  state = 'streaming', lease_expires_at = $4
                        FROM unnest($1::TEXT[], $2::BIGINT[], $3::BIGINT[]) AS u(id, tokens, at)
                        WHERE r.id = u.id
                        """
                    ) {
                        $0.append(ids)
                        $0.append(ids.map { latest[$0]!.tokens })
                        $0.append(ids.map { latest[$0]!.at })
                        $0.append(lease)
                    },
                    logger: logger
                )
            }
            if !batch.renewals.isEmpty {
                try await connection.run(
                    .sql("UPDATE reservations SET lease_expires_at = GREATEST(lease_expires_at, $1) WHERE id = ANY($2)") {
                        $0.append(lease)
                        $0.append(Array(Set(batch.renewals)).sorted())
                    },
                    logger: logger
                )
            }
            var result = LedgerCommitResult()
            var entries: [LedgerEntry] = []
            if !batch.settlements.isEmpty {
                let deleted = Set(
                    try await connection.rows(
                        .sql("DELETE FROM reservations WHERE id = ANY($1) RETURNING id") {
                            $0.append(batch.settlements.map(\.reservationID).sorted())
                        },
                        logger: logger
                    ).map { try $0.text("id") }
                )
                for settlement in batch.settlements {
                    if deleted.contains(settlement.reservationID), !result.settled.contains(settlement.reservationID) {
                        entries.append(settlement.entry)
                        result.settled.insert(settlement.reservationID)
                    } else {
                        result.alreadySettled.insert(settlement.reservationID)
                    }
                }
            }
            if !batch.releases.isEmpty {
                try await connection.run(.sql("DELETE FROM reservations WHERE id = ANY($1)") { $0.append(batch.releases.sorted()) }, logger: logger)
            }
            try await Self.insert(entries, on: connection, logger: logger)
            return result
        }
    }

    public func openReservations(teamID: Int64?) async throws -> [OpenReservation] {
        try await read("listing open holds") { [logger] connection in
            try await connection.rows(
                .sql("SELECT * FROM reservations WHERE $1::BIGINT IS NULL OR team_id = $1 ORDER BY created_at, id") {
                    $0.append(teamID)
                },
                logger: logger
            ).map(Self.reservation)
        }
    }

    /// Any replica may run this: two reclaimers racing for a hold both `DELETE` it, the row lock
    /// makes the second wait, and its re-check finds the row gone, so each hold is settled once; a
    /// lease renewed meanwhile fails the re-checked `lease_expires_at < $1` and the hold stays.
    public func reclaimExpired(at instant: Date, settle: @escaping @Sendable (OpenReservation) throws -> LedgerEntry) async throws -> [LedgerEntry] {
        let cutoff = Timestamp.millis(instant)
        return try await transaction("reclaiming expired holds") { [logger] connection in
            let teams = try await connection.rows(
                .sql("SELECT DISTINCT team_id FROM reservations WHERE lease_expires_at < $1 ORDER BY team_id") {
                    $0.append(cutoff)
                },
                logger: logger
            ).map { try $0.int64("team_id") }
            guard !teams.isEmpty else { return [] }
            try await connection.run(.sql("SELECT id FROM teams WHERE id = ANY($1) ORDER BY id FOR SHARE") { $0.append(teams) }, logger: logger)
            let expired = try await connection.rows(
                .sql(
                    """
                    DELETE FROM reservations WHERE id IN (
                        SELECT id FROM reservations WHERE lease_expires_at < $1 AND team_id = ANY($2) ORDER BY id FOR UPDATE)
                    RETURNING *
                    """
                ) {
                    $0.append(cutoff)
                    $0.append(teams)
                },
                logger: logger
            )
            .map(Self.reservation).sorted { ($0.leaseExpiresAt, $0.draft.id) < ($1.leaseExpiresAt, $1.draft.id) }
            let reclaimed = try expired.map(settle)
            try await Self.insert(reclaimed, on: connection, logger: logger)
            return reclaimed
        }
    }

    static func reservation(_ row: PostgresRandomAccessRow) throws -> OpenReservation {
        let draft = ReservationDraft(
            id: try row.text("id"),
            teamID: try row.int64("team_id"),
            keyID: try row.optionalInt64("key_id"),
            model: ModelID(rawValue: try row.text("model")),
            priceVersion: try row.text("price_version"),
            fxVersion: try row.text("fx_version"),
            prompt: try TokenUsage(
                inputTokens: try row.int("input_tokens"),
                cachedInputTokens: try row.int("cached_input_tokens"),
                cacheWrite5mTokens: try row.int("cache_write_5m_tokens"),
                cacheWrite1hTokens: try row.int("cache_write_1h_tokens"),
                outputTokens: 0
            ),
            tokenSource: TokenSource(rawValue: try row.text("token_source")) ?? .tokenizer,
            occurredAt: Timestamp.date(try row.int64("occurred_at")),
            leaseExpiresAt: Timestamp.date(try row.int64("lease_expires_at"))
        )
        return OpenReservation(
            draft: draft,
            held: Money(nanos: try row.int64("held_nanos"), try Currency(code: try row.text("currency"))),
            state: Reservation.State(rawValue: try row.text("state")) ?? .reserved,
            admission: try row.text("admission"),
            outputTokens: try row.int("output_tokens"),
            progressAt: try row.optionalInt64("progress_at").map(Timestamp.date),
            leaseExpiresAt: Timestamp.date(try row.int64("lease_expires_at"))
        )
    }
}

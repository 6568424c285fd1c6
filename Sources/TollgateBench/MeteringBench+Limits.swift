import Foundation
import TollgateCore
import TollgateLedger
import TollgateMetering
import TollgateStorage

extension MeteringBench {
    /// Reserve+settle ops/s through keyed requests with limits off and on, interleaved in one run
    /// (off, each on-variant, off, …) on one SQLite ledger, so machine noise hits all alike.
    /// Variants: no limits (a key with no budget: one extra key read); a key budget + a stream limit
    /// on team and key (no per-minute window); and requests/tokens per minute too (high enough
    /// never to refuse, so every entry of the last minute is in the window).
    public static func limitsAB(operations: Int, concurrency: Int, rounds: Int = 3) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-limits-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        let pricing = try PricingTable.shipped()
        let writer = LedgerWriter(store: ledger, metrics: MeteringMetrics())
        let writing = Task { try await writer.run() }
        defer { writing.cancel() }
        let huge = Int(Int32.max)
        let variants: [(name: String, team: RateLimits, key: RateLimits, keyBudget: Bool)] = [
            ("off", .none, .none, false),
            ("key budget + streams", RateLimits(concurrentStreams: huge), RateLimits(concurrentStreams: huge), true),
            (
                "key budget + streams + rpm + tpm", RateLimits(requestsPerMinute: huge, tokensPerMinute: huge, concurrentStreams: huge),
                RateLimits(requestsPerMinute: huge, tokensPerMinute: huge, concurrentStreams: huge), true
            ),
        ]
        var teams: [(team: Team, key: Int64)] = []
        for (index, variant) in variants.enumerated() {
            var team = try await ledger.createTeam(
                name: "bench-\(index)",
                budget: try Budget(limit: Money(parsing: "1000000", .cny), period: .monthly),
                at: Date()
            )
            team = try await ledger.setRateLimits(teamID: team.id, variant.team, at: Date())
            let key = try await ledger.addKey(teamID: team.id, prefix: "tg_bench\(index)", hash: Data([UInt8(index)]), label: nil, at: Date())
            _ = try await ledger.setRateLimits(keyPrefix: key.prefix, variant.key, at: Date())
            if variant.keyBudget {
                _ = try await ledger.setKeyBudget(
                    prefix: key.prefix,
                    budget: try KeyBudget(limit: Money(parsing: "1000000", .cny), period: .monthly),
                    at: Date()
                )
            }
            teams.append((team, key.id))
        }
        var totals = Array(repeating: (ops: 0, seconds: 0.0), count: variants.count)
        let perRound = max(1, operations / rounds)
        for round in 0..<rounds {
            for (index, entry) in teams.enumerated() {
                let seconds = try await reserveSettleTimed(
                    ledger: ledger,
                    pricing: pricing,
                    team: entry.team,
                    keyID: entry.key,
                    writer: writer,
                    operations: perRound,
                    concurrency: concurrency,
                    idPrefix: "r\(round)-v\(index)"
                )
                totals[index].ops += perRound
                totals[index].seconds += seconds
            }
        }
        let base = Double(totals[0].ops) / totals[0].seconds
        var report =
            "### Admission with limits off vs on (SQLite, keyed requests, \(rounds) interleaved rounds of \(perRound), concurrency \(concurrency))\n\n"
        report += "| variant | ops | wall | ops/s | vs off |\n|---|---:|---:|---:|---:|\n"
        for (index, variant) in variants.enumerated() {
            let rate = Double(totals[index].ops) / totals[index].seconds
            report +=
                "| \(variant.name) | \(totals[index].ops) | \(String(format: "%.2f", totals[index].seconds)) s | \(Int(rate)) | \(String(format: "%+.1f", (rate / base - 1) * 100)) % |\n"
        }
        return report + "\n"
    }

    /// One timed batch of reserve+settle operations (keyed, or team-only with `keyID` nil); returns
    /// the wall seconds. A refused admission fails the run: it would measure refusals, not admissions.
    static func reserveSettleTimed(
        ledger: SQLiteLedger,
        pricing: PricingTable,
        team: Team,
        keyID: Int64?,
        writer: LedgerWriter,
        operations: Int,
        concurrency: Int,
        idPrefix: String
    ) async throws -> Double {
        let usage = try TokenUsage(inputTokens: 500, outputTokens: 0)
        let request = AdmissionRequest(
            price: try pricing.price(of: "gpt-4.1", in: .relay, at: Date()).price,
            relayRate: FXRate(cnyPerUSD: 1_000_000_000),
            prompt: usage,
            maxOutputTokens: 1000
        )
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for index in stride(from: worker, to: operations, by: concurrency) {
                        let now = Date()
                        let draft = ReservationDraft(
                            id: "\(idPrefix)-\(index)",
                            teamID: team.id,
                            keyID: keyID,
                            model: "gpt-4.1",
                            priceVersion: "2025-10-01",
                            fxVersion: "fx-2025-10-01",
                            prompt: usage,
                            tokenSource: .tokenizer,
                            occurredAt: now,
                            leaseExpiresAt: now.addingTimeInterval(30)
                        )
                        let grant = try await ledger.reserve(draft) { _, status in Admission.decide(request, status: status, policy: .reject) }
                        guard grant.held else {
                            throw BenchFailure("\(idPrefix): admission refused (\(grant.decision.name), rate \(grant.rateLimit?.exceeded ?? "-"))")
                        }
                        var used = usage
                        used.outputTokens = 200
                        let entry = LedgerEntry.usage(
                            teamID: team.id,
                            keyID: keyID,
                            requestID: draft.id,
                            model: "gpt-4.1",
                            usage: used,
                            valuation: try pricing.valuation(of: used, model: "gpt-4.1", at: now),
                            tokenSource: .tokenizer,
                            outcome: "completed",
                            occurredAt: now,
                            recordedAt: now
                        )
                        _ = try await writer.settle(.init(reservationID: draft.id, entry: entry))
                    }
                }
            }
            try await group.waitForAll()
        }
        return seconds(clock.now - started)
    }

    /// A benchmark run that could not measure what it meant to.
    struct BenchFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

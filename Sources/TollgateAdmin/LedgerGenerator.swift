import Foundation
import TollgateCore
import TollgateStorage

/// Writes a large, deterministic synthetic ledger for benchmarks and report demos.
///
/// Entries are spread evenly over the months in time order and written through the store's batched
/// `append`, exactly as the gateway would; the same settings and seed always give the same ledger.
/// About half the usage is billed on upstream counts with Tollgate's own counts beside it (drifting
/// by up to ±2 %), and each team gets one credit per month, so every report has something to show.
public struct LedgerGenerator: Sendable {
    /// Usage entries to write (credits come on top).
    public var entries: Int
    /// Teams `gen-01`, `gen-02`, ... (created when missing).
    public var teams: Int
    /// Calendar months covered, starting at `start`.
    public var months: Int
    /// First month covered (UTC).
    public var start: DateComponents
    /// Seed of the pseudo-random generator.
    public var seed: UInt64
    /// Entries per `append` call (one transaction each).
    public var batchSize: Int

    /// Creates generator settings; every count must be positive.
    public init(entries: Int, teams: Int, months: Int, year: Int, month: Int, seed: UInt64, batchSize: Int = 2000) throws(BudgetError) {
        guard entries > 0, teams > 0, teams <= 999, months > 0, months <= 1200, batchSize > 0 else {
            throw BudgetError(
                .invalidInput,
                "the entry, team (up to 999) and month (up to 1200) counts must be positive whole numbers",
                problem: .generatorCounts
            )
        }
        self.entries = entries
        self.teams = teams
        self.months = months
        start = DateComponents(year: year, month: month, day: 1)
        self.seed = seed
        self.batchSize = batchSize
    }

    /// Generates into `store`, valuing each entry with `pricing` at its instant; `progress` gets
    /// (usage entries written, total) after each batch. Returns how many entries were written in all.
    @discardableResult
    public func run(into store: some LedgerStore, pricing: PricingTable, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let first = calendar.date(from: start)!
        let end = calendar.date(byAdding: .month, value: months, to: first)!
        let teamIDs = try await ensureTeams(store, at: first)
        let models = pricing.catalog.ids
        let startMillis = Int64(first.timeIntervalSince1970 * 1000)
        let span = Int64(end.timeIntervalSince1970 * 1000) - startMillis
        var creditMonth = 0
        var random = Xoshiro(seed: seed)
        var batch: [LedgerEntry] = []
        batch.reserveCapacity(batchSize + teams)
        var written = 0
        for index in 0..<entries {
            let instant = Date(timeIntervalSince1970: Double(startMillis + Int64(Int128(span) * Int128(index) / Int128(entries))) / 1000)
            // Credits land mid-month, in time order with the usage around them.
            while creditMonth < months, instant >= calendar.date(byAdding: DateComponents(month: creditMonth, day: 14), to: first)! {
                let at = calendar.date(byAdding: DateComponents(month: creditMonth, day: 14), to: first)!
                let fx = try pricing.fxVersion(at: at)
                for team in teamIDs {
                    let credit = Money(nanos: -50 * NanoDecimal.scale, .cny)
                    batch.append(
                        .adjustment(
                            kind: .credit,
                            teamID: team,
                            chargeUSD: try fx.rate(.relay).toUSD(credit),
                            chargeCNY: credit,
                            fxVersion: fx.id,
                            reason: "synthetic monthly credit",
                            at: at
                        )
                    )
                }
                creditMonth += 1
            }
            batch.append(try usage(&random, teams: teamIDs, models: models, pricing: pricing, at: instant))
            if batch.count >= batchSize {
                try await store.append(batch)
                written += batch.count
                batch.removeAll(keepingCapacity: true)
                progress(index + 1, entries)
            }
        }
        try await store.append(batch)
        progress(entries, entries)
        return written + batch.count
    }

    private func usage(_ random: inout Xoshiro, teams: [Int64], models: [ModelID], pricing: PricingTable, at instant: Date) throws -> LedgerEntry {
        // Skewed team choice (lower numbers busier) so charts have shape.
        let team = teams[Int(min(random.next() % UInt64(teams.count), random.next() % UInt64(teams.count)))]
        let model = models[Int(random.next() % UInt64(models.count))]
        let input = Int(100 + random.next() % 8000)
        let cached = random.next() % 4 == 0 ? input / 2 : 0
        let output = Int(20 + random.next() % 2000)
        let usage = try TokenUsage(inputTokens: input, cachedInputTokens: cached, outputTokens: output)
        let valuation = try pricing.valuation(of: usage, model: model, at: instant)
        let upstream = random.next() % 2 == 0
        func drift(_ count: Int) -> Int { count + (count / 50 == 0 ? 0 : Int(random.next() % UInt64(2 * (count / 50) + 1)) - count / 50) }
        return .usage(
            teamID: team,
            model: model,
            usage: usage,
            valuation: valuation,
            tokenSource: upstream ? .upstream : .tokenizer,
            outcome: "completed",
            occurredAt: instant,
            recordedAt: instant,
            localInputTokens: upstream ? drift(input) : nil,
            localOutputTokens: upstream ? drift(output) : nil
        )
    }

    private func ensureTeams(_ store: some LedgerStore, at instant: Date) async throws -> [Int64] {
        let existing = Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.name, $0.id) })
        var ids: [Int64] = []
        for number in 1...teams {
            let name = number < 10 ? "gen-0\(number)" : "gen-\(number)"
            if let id = existing[name] {
                ids.append(id)
            } else {
                let budget = try Budget(limit: Money(nanos: 1_000_000 * NanoDecimal.scale, .cny), period: .monthly)
                ids.append(try await store.createTeam(name: name, budget: budget, at: instant).id)
            }
        }
        return ids
    }
}

/// xoshiro256** seeded through SplitMix64: small, fast and the same on every platform.
struct Xoshiro {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var mix = seed
        func next() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }
}

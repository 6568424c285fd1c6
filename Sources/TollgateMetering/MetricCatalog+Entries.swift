extension MetricCatalog {
    /// OpenTelemetry's advised bucket bounds for `gen_ai.client.token.usage`.
    static let tokenBuckets: [Double] = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1_048_576, 4_194_304]
    /// OpenTelemetry's advised bounds for `gen_ai.client.operation.duration`, in seconds.
    static let operationBuckets: [Double] = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]
    /// OpenTelemetry's advised bounds for time to first token, in seconds.
    static let firstChunkBuckets: [Double] = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
    /// OpenTelemetry's advised bounds for time per output token, widened down for fast relays.
    static let chunkBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5]
    /// Group commits take milliseconds; the top buckets catch a locked or slow disk.
    static let commitBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    /// Items (progress records, renewals, settlements, releases) in one group commit.
    static let batchBuckets: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]

    static let genAI = ["gen_ai_operation_name", "gen_ai_request_model"]

    /// OpenTelemetry GenAI `gen_ai.client.token.usage`: billed tokens per stream.
    public static let tokenUsage = MetricCatalog(
        "gen_ai_client_token_usage",
        .histogram,
        labels: genAI + ["gen_ai_token_type"],
        help: "Tokens billed per metered stream (OpenTelemetry gen_ai.client.token.usage); gen_ai_token_type is input or output.",
        buckets: tokenBuckets
    )
    /// OpenTelemetry GenAI `gen_ai.client.operation.duration`: admission to settlement.
    public static let operationDuration = MetricCatalog(
        "gen_ai_client_operation_duration_seconds",
        .histogram,
        labels: genAI + ["error_type"],
        help: "Seconds from admission to settlement of a metered stream (gen_ai.client.operation.duration); error_type is empty unless it failed.",
        buckets: operationBuckets
    )
    /// OpenTelemetry GenAI `gen_ai.client.operation.time_to_first_chunk`.
    public static let timeToFirstChunk = MetricCatalog(
        "gen_ai_client_operation_time_to_first_chunk_seconds",
        .histogram,
        labels: genAI,
        help: "Seconds from opening the upstream to the first text delta (time to first token).",
        buckets: firstChunkBuckets
    )
    /// OpenTelemetry GenAI `gen_ai.client.operation.time_per_output_chunk`.
    public static let timePerOutputChunk = MetricCatalog(
        "gen_ai_client_operation_time_per_output_chunk_seconds",
        .histogram,
        labels: genAI,
        help: "Seconds between consecutive text deltas of a stream (inter-chunk latency).",
        buckets: chunkBuckets
    )

    /// Billed tokens by team, model and type, for rates.
    public static let tokens = MetricCatalog(
        "tollgate_tokens_total",
        .counter,
        labels: ["team", "model", "type"],
        help: "Tokens billed, by team, model and type (input, output)."
    )
    /// Relay list price, nano-USD.
    public static let costUSD = MetricCatalog(
        "tollgate_cost_usd_nanos_total",
        .counter,
        labels: ["team", "model"],
        help: "Relay list price of settled streams in nano-USD (1e-9 USD); the ledger holds the exact amounts."
    )
    /// Paid CNY, nano-CNY.
    public static let costCNY = MetricCatalog(
        "tollgate_cost_cny_nanos_total",
        .counter,
        labels: ["team", "model"],
        help: "What settled streams paid through the relay in nano-CNY (1e-9 CNY)."
    )
    /// Baseline CNY (official price at the official rate), nano-CNY.
    public static let baselineCNY = MetricCatalog(
        "tollgate_baseline_cny_nanos_total",
        .counter,
        labels: ["team", "model"],
        help: "What settled streams would have cost at the official price and exchange rate, nano-CNY; minus paid = savings."
    )
    /// Admission decisions.
    public static let admissions = MetricCatalog(
        "tollgate_admissions_total",
        .counter,
        labels: ["team", "model", "outcome", "protocol"],
        help:
            "Admission decisions: admitted, clamped, soft_overrun, rejected (budget spent), budget_busy (unspent money held by streams in flight, after the admission wait), team_disabled; by protocol (chat_completions, messages, relay_ws)."
    )
    /// Settled streams by how they ended.
    public static let settlements = MetricCatalog(
        "tollgate_settlements_total",
        .counter,
        labels: ["team", "model", "outcome"],
        help: "Streams settled in the ledger, by outcome: completed, cut_off, client_disconnected, upstream_error, shutdown, reclaimed."
    )
    /// Budget cutoffs.
    public static let cutoffs = MetricCatalog(
        "tollgate_cutoffs_total",
        .counter,
        labels: ["team", "model"],
        help: "Streams cut off mid-stream because the budget ran out."
    )
    /// Upstream failures by kind.
    public static let upstreamErrors = MetricCatalog(
        "tollgate_upstream_errors_total",
        .counter,
        labels: ["model", "type"],
        help: "Upstream relay failures by type (rate_limited, timeout, upstream_closed_before_done, connection_failed, ...)."
    )
    /// Budget gauges, in nanos of the team's budget currency.
    public static let budgetLimit = MetricCatalog(
        "tollgate_budget_limit_nanos",
        .gauge,
        labels: ["team", "currency"],
        help: "The team's budget for its current period, in nanos of its currency."
    )
    /// Spent this period.
    public static let budgetSpent = MetricCatalog(
        "tollgate_budget_spent_nanos",
        .gauge,
        labels: ["team", "currency"],
        help: "Spent in the team's current budget period (net of credits), nanos."
    )
    /// Held by open streams.
    public static let budgetReserved = MetricCatalog(
        "tollgate_budget_reserved_nanos",
        .gauge,
        labels: ["team", "currency"],
        help: "Held by the team's open streams (their worst cases), nanos."
    )
    /// Limit minus spent.
    public static let budgetRemaining = MetricCatalog(
        "tollgate_budget_remaining_nanos",
        .gauge,
        labels: ["team", "currency"],
        help: "Budget minus spent for the current period (negative after a soft overrun), nanos."
    )
    /// Holds this process streams for.
    public static let reservationsOpen = MetricCatalog(
        "tollgate_reservations_open",
        .gauge,
        help: "Holds this process is streaming for (renewed with every group commit)."
    )
    /// Group commit latency.
    public static let commitDuration = MetricCatalog(
        "tollgate_ledger_commit_duration_seconds",
        .histogram,
        help: "Seconds one group commit of the ledger writer took.",
        buckets: commitBuckets
    )
    /// Group commit size.
    public static let commitBatchSize = MetricCatalog(
        "tollgate_ledger_commit_batch_size",
        .histogram,
        help: "Items in one group commit: progress records, lease renewals, settlements and releases.",
        buckets: batchBuckets
    )
    /// Failed group commits.
    public static let commitFailures = MetricCatalog(
        "tollgate_ledger_commit_failures_total",
        .counter,
        help: "Group commits that failed (their settlements are retried)."
    )
    /// Settlements waiting for a commit.
    public static let pendingSettlements = MetricCatalog(
        "tollgate_ledger_pending_settlements",
        .gauge,
        help: "Settlements waiting when the latest group commit started, retries of failed commits included."
    )
    /// Streams open in the gateway.
    public static let openStreams = MetricCatalog(
        "tollgate_open_streams",
        .gauge,
        labels: ["protocol", "transport"],
        help:
            "Metered streams open in the gateway, by protocol (chat_completions, messages, relay_ws) and transport (sse, json for a non-streamed answer, websocket)."
    )
    /// Errors sent to clients, by code.
    public static let gatewayErrors = MetricCatalog(
        "tollgate_gateway_errors_total",
        .counter,
        labels: ["code", "protocol"],
        help:
            "Errors the gateway sent clients (refusals, and error lines or events mid-stream), by code (invalid_api_key, budget_exceeded, upstream_error, ...) and protocol (chat_completions, messages, relay_ws)."
    )
    /// Hold extensions asked of the ledger.
    public static let holdExtensions = MetricCatalog(
        "tollgate_hold_extensions_total",
        .counter,
        labels: ["team", "model", "outcome"],
        help:
            "Extensions of a stream's hold asked of the ledger as its output neared the hold, by outcome: granted, refused (the team could not cover the step), failed (ledger error)."
    )
    /// Time an extension took.
    public static let holdExtensionDuration = MetricCatalog(
        "tollgate_hold_extension_duration_seconds",
        .histogram,
        help: "Seconds one hold extension took in the ledger's admission transaction.",
        buckets: commitBuckets
    )
    /// Admissions that waited for holds to settle.
    public static let admissionWait = MetricCatalog(
        "tollgate_admission_wait_seconds",
        .histogram,
        help:
            "Seconds an admission waited for in-flight holds to settle (unspent money covered it, holds took it), whether it was then admitted or refused budget_busy.",
        buckets: operationBuckets
    )

    /// Upstream usage reports not billed as sent (see `UpstreamUsageRule`).
    public static let usageChecks = MetricCatalog(
        "tollgate_upstream_usage_checks_total",
        .counter,
        labels: ["team", "model", "outcome"],
        help:
            "Upstream usage reports settlement did not simply bill, by outcome: invalid and under_reported (billed on Tollgate's count), overrun (billed as reported, past the hold)."
    )

    /// The pricing versions in force in this process: 1 for the pair in force, 0 for pairs before it,
    /// so replicas that disagree after a reload show in one query.
    public static let pricingVersionInfo = MetricCatalog(
        "tollgate_pricing_version_info",
        .gauge,
        labels: ["price_version", "fx_version"],
        help: "1 for the price and FX versions in force now in this process (0 for pairs that were)."
    )
    /// Pricing folder reloads refused because the folder failed the check (the old table stayed).
    public static let pricingReloadFailures = MetricCatalog(
        "tollgate_pricing_reload_failures_total",
        .counter,
        help: "Pricing folder reloads refused because the new folder failed the check; the table in force stayed."
    )

    /// Every metric, in documentation order.
    public static let all: [MetricCatalog] = [
        tokenUsage, operationDuration, timeToFirstChunk, timePerOutputChunk,
        tokens, costUSD, costCNY, baselineCNY, admissions, settlements, cutoffs, upstreamErrors, usageChecks,
        budgetLimit, budgetSpent, budgetReserved, budgetRemaining, reservationsOpen,
        commitDuration, commitBatchSize, commitFailures, pendingSettlements, openStreams, gatewayErrors,
        holdExtensions, holdExtensionDuration, admissionWait, pricingVersionInfo, pricingReloadFailures,
    ]
}

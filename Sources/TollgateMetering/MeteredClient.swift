import Foundation
import TollgateCore
import TollgateStorage
import TollgateStreaming
import TollgateTokenizers

/// Budget-enforced streaming for one upstream: admission (count the prompt, reserve the worst case —
/// or the expected output under an `expected` hold policy — atomically), then a `MeteredStream` that counts, cuts off and settles.
///
///     let writer = LedgerWriter(store: ledger)            // run `writer.run()` in a task or ServiceGroup
///     let client = MeteredClient(store: ledger, pricing: pricing, tokenizers: registry,
///                                upstream: UpstreamClientFactory.client(url: url, apiKey: key), writer: writer)
///     let stream = try await client.stream(teamID: team.id, keyID: nil, request: request)
///     for try await event in stream { ... }               // .chat(...), .budgetExhausted, .settled(summary)
public struct MeteredClient: Sendable {
    /// Teams, holds and entries: the whole database, so the gateway's admin API, alerts and
    /// dashboard read the one the streams are metered into.
    public let store: any LedgerDatabase
    /// The table in force, which `serve` swaps on reload.
    public let livePricing: LivePricing
    /// Prices in force now (a snapshot: read it once per decision).
    public var pricing: PricingTable { livePricing.table }
    /// Token counters per model.
    public let tokenizers: TokenizerRegistry
    /// The relay transport.
    public let upstream: any ChatStreamingClient
    /// Group commits of progress and settlements.
    public let writer: LedgerWriter
    /// Knobs.
    public let settings: MeteringSettings
    /// Where admissions, settlements and stream timings are reported (swift-metrics).
    public let metrics: MeteringMetrics
    /// Called with the team id when a settlement billed an upstream report past its hold (an
    /// overrun): the gateway raises the team's `overrun` budget alert from it.
    public var onOverrun: (@Sendable (_ teamID: Int64) -> Void)?
    /// Recent completed outputs per team and model, which size `expected` holds.
    let outputHistory: OutputHistory
    private let clock: @Sendable () -> Date

    /// Creates a metered client with a fixed table.
    public init(
        store: any LedgerDatabase,
        pricing: PricingTable,
        tokenizers: TokenizerRegistry,
        upstream: any ChatStreamingClient,
        writer: LedgerWriter,
        settings: MeteringSettings = MeteringSettings(),
        metrics: MeteringMetrics? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            store: store,
            livePricing: LivePricing(pricing),
            tokenizers: tokenizers,
            upstream: upstream,
            writer: writer,
            settings: settings,
            metrics: metrics,
            clock: clock
        )
    }

    /// Creates a metered client whose table may be swapped while it runs (`serve`'s reload).
    public init(
        store: any LedgerDatabase,
        livePricing: LivePricing,
        tokenizers: TokenizerRegistry,
        upstream: any ChatStreamingClient,
        writer: LedgerWriter,
        settings: MeteringSettings = MeteringSettings(),
        metrics: MeteringMetrics? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.livePricing = livePricing
        self.tokenizers = tokenizers
        self.upstream = upstream
        self.writer = writer
        self.settings = settings
        // The writer's metrics by default, so one factory given to the writer reports everything.
        self.metrics = metrics ?? writer.metrics
        self.clock = clock
        outputHistory = OutputHistory(store: store, clock: clock)
    }

    /// Admits `request` for a team and returns its metered stream, or throws `MeteringError`
    /// (budget exceeded, budget busy after the admission wait, team disabled, unknown model) before
    /// any upstream call.
    ///
    /// A request without `max_tokens` reserves the model's maximum output (`pricing/models.json`);
    /// a larger `max_tokens` is lowered to that maximum. Both are per choice: `n` choices
    /// (``ChatRequest/choices``) reserve `n` times as much, and a clamp is split between them.
    public func stream(teamID: Int64, keyID: Int64?, request: ChatRequest) async throws -> MeteredStream {
        // One table for the whole stream: a reload during it changes later admissions only.
        let pricing = self.pricing
        // An alias (a dated snapshot) is admitted, priced and recorded as its canonical model; the
        // upstream still receives the name the client sent.
        guard let info = pricing.catalog.resolve(ModelID(rawValue: request.model)) else {
            throw MeteringError.unknownModel(request.model, known: pricing.catalog.ids)
        }
        let model = info.id
        let api = MeteredProtocol(request)
        let now = clock()
        let prices = try pricing.priceVersion(at: now)
        let fx = try pricing.fxVersion(at: now)
        let counter = try tokenizers.counter(for: info)
        // The whole body when the client sent one (every part the upstream bills as input), else
        // the relay WebSocket's text messages.
        let counted = request.body.map { body in
            body.api == .anthropicMessages
                ? AnthropicPromptCounting.count(body: .object(body.json), with: counter, settings: settings)
                : PromptCounting.count(body: .object(body.json), with: counter, settings: settings)
        }
        let promptTokens = counted?.total ?? PromptCounting.count(request.messages, with: counter, settings: settings)
        // Every choice (`n`) may produce the per-choice bound: the hold covers them all.
        let choices = max(1, request.choices)
        let perChoice = min(request.maxTokens ?? info.maxOutputTokens, info.maxOutputTokens)
        let admission = AdmissionRequest(
            price: try prices.price(of: model, in: .relay),
            relayRate: fx.rate(.relay),
            prompt: try AnthropicPromptCounting.worstCasePrompt(promptTokens, body: request.body),
            maxOutputTokens: perChoice.multipliedReportingOverflow(by: choices).overflow ? Int.max : perChoice * choices,
            minimumClampTokens: settings.minimumClampTokens.multipliedReportingOverflow(by: choices).overflow
                ? Int.max : settings.minimumClampTokens * choices
        )
        // A count that used a worst case (a remote image) is an estimate: settlement must never let
        // it replace a lower upstream prompt count (`UpstreamUsageRule`).
        let source: TokenSource = counted?.tokenSource(countedWith: counter) ?? (counter.source == .exact ? .tokenizer : .estimate)
        let draft = ReservationDraft(
            id: UUID.timeOrdered(at: now).uuidString,
            teamID: teamID,
            keyID: keyID,
            model: model,
            priceVersion: prices.id,
            fxVersion: fx.id,
            prompt: admission.prompt,
            tokenSource: source,
            occurredAt: now,
            leaseExpiresAt: writer.leaseExpiry(from: now)
        )
        let recentOutputs = await outputHistory.outputs(teamID: teamID, model: model)
        let grant: ReservationGrant
        do {
            grant = try await reserveWaiting(draft, model: model, protocol: api) { team, status in
                guard !team.disabled else { throw MeteringError.teamDisabled(team.name) }
                var sized = admission
                if team.budget.hold == .expected, let expected = ExpectedOutput.tokens(recentOutputs: recentOutputs) {
                    // Every choice may produce the expected output; `heldOutputTokens` caps it at the whole bound.
                    let scaled = expected.multipliedReportingOverflow(by: choices)
                    sized.expectedOutputTokens = scaled.overflow ? Int.max : scaled.partialValue
                }
                return Admission.decide(sized, status: status, policy: team.budget.onExhausted)
            }
        } catch let error as MeteringError where error.code == .teamDisabled {
            metrics.refused(team: error.team ?? "", model: model, protocol: api, outcome: BudgetError.Code.teamDisabled.rawValue)
            throw error
        }
        if let rate = grant.rateLimit, !rate.allowed {
            metrics.refused(team: grant.team.name, model: model, protocol: api, outcome: MeteringError.rateLimitedCode.rawValue)
            throw MeteringError.rateLimited(team: grant.team.name, check: rate)
        }
        outputHistory.saw(teamID: teamID, policy: grant.team.budget.hold)
        metrics.admitted(team: grant.team.name, model: model, protocol: api, decision: grant.decision, status: grant.status)
        guard let cutoff = grant.decision.cutoff, let maxTokens = grant.decision.maxOutputTokens else {
            guard case .rejected(let available, let needed) = grant.decision else { preconditionFailure("only rejections hold nothing") }
            throw MeteringError.budgetExceeded(
                team: grant.team.name,
                budget: grant.team.budget,
                available: available,
                needed: needed,
                resetsAt: grant.status.resetsAt,
                key: grant.scope.key
            )
        }
        writer.track(draft.id)
        var admitted = MeteredAdmission(
            requestID: draft.id,
            teamName: grant.team.name,
            admittedAt: now,
            promptTokens: promptTokens,
            decision: grant.decision,
            status: grant.status,
            priceVersion: prices.id,
            fxVersion: fx.id,
            allowedOutputTokens: min(Admission.affordableOutputTokens(admission, within: cutoff), maxTokens)
        )
        admitted.rateLimit = grant.rateLimit
        admitted.scope = grant.scope
        let hold = StreamHold(admitted: admitted, request: admission, draft: draft, store: store, metrics: metrics)
        let session = MeterSession(
            admitted: admitted,
            hold: hold,
            teamID: teamID,
            keyID: keyID,
            model: model,
            localSource: source,
            pricing: pricing,
            writer: writer,
            metrics: metrics,
            onOverrun: onOverrun,
            outputHistory: outputHistory,
            clock: clock
        )
        var upstreamRequest = request
        upstreamRequest.maxTokens = Self.upstreamLimit(
            request,
            admitted: admitted,
            maxTokens: maxTokens,
            choices: choices,
            modelMaximum: info.maxOutputTokens
        )
        return MeteredStream(session: session, upstream: upstream.stream(upstreamRequest), counter: counter)
    }

    /// The per-choice output limit for the upstream request. Without the client's body it is the
    /// admitted limit, as it always was. With a body it is the client's own limit (which
    /// ``ChatCompletionsClient`` then leaves in the body as it is) except where
    /// admission lowered it — a clamp, a limit above the model's maximum — or, for a non-streamed
    /// answer (which can't be cut part-way), where the hold or a `soft` budget's remainder affords
    /// less: the model's maximum is never injected for a client that sent no limit.
    static func upstreamLimit(_ request: ChatRequest, admitted: MeteredAdmission, maxTokens: Int, choices: Int, modelMaximum: Int) -> Int? {
        guard let body = request.body else { return maxTokens }
        let total = body.isStreaming ? maxTokens : min(maxTokens, admitted.allowedOutputTokens)
        let limit = max(1, total / choices)
        return limit < (request.maxTokens ?? modelMaximum) ? limit : request.maxTokens
    }
}

/// Decides, without I/O, whether a budget can hold a request's hold — its worst case, or prompt +
/// expected output under an `expected` hold policy — under the team's exhaustion policy.
///
/// The store calls this inside the same transaction that reads spend and reservations and writes
/// the hold, which is what makes admission atomic across concurrent streams.
public enum Admission {
    /// The decision for `request` given the budget's `status` and `policy`.
    public static func decide(_ request: AdmissionRequest, status: BudgetStatus, policy: ExhaustionPolicy) -> AdmissionDecision {
        let currency = status.limit.currency
        let available = status.available
        let worst = request.hold(in: currency)
        if worst <= available {
            return .admitted(hold: worst, maxOutputTokens: request.maxOutputTokens)
        }
        switch policy {
        case .reject:
            return .rejected(available: available, needed: worst)
        case .clamp:
            let tokens = affordableOutputTokens(request, within: available)
            guard tokens >= request.minimumClampTokens else {
                return .rejected(available: available, needed: request.worstCase(in: currency, outputTokens: request.minimumClampTokens))
            }
            return .clamped(hold: request.worstCase(in: currency, outputTokens: tokens), maxOutputTokens: tokens, requested: request.maxOutputTokens)
        case .soft:
            // Something must be left, or the stream would be cut before its first token.
            guard available.isPositive, worst.isWithinBounds, request.worstCase(in: currency, outputTokens: 1) <= available else {
                return .rejected(available: available, needed: worst)
            }
            return .softOverrun(hold: worst, maxOutputTokens: request.maxOutputTokens, cutoff: available, overrun: worst - available)
        }
    }

    /// The largest output token count whose worst case, converted and rounded up as the ledger will
    /// charge it, still fits `available`.
    public static func affordableOutputTokens(_ request: AdmissionRequest, within available: Money) -> Int {
        guard request.worstCase(in: available.currency, outputTokens: 0) <= available else { return 0 }
        // Estimate from the USD price, then correct for conversion and rounding by stepping down.
        guard let availableUSD = try? request.relayRate.convert(available, to: .usd) else { return 0 }
        var tokens = min(request.price.affordableOutputTokens(with: availableUSD, afterPrompt: request.prompt), request.maxOutputTokens)
        while tokens > 0, request.worstCase(in: available.currency, outputTokens: tokens) > available { tokens -= 1 }
        return tokens
    }
}

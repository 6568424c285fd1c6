import Foundation

/// One version of the exchange rates, in force from `effectiveFrom` until the next version.
public struct FXVersion: Hashable, Sendable {
    /// Stable id recorded on every ledger entry converted with this version.
    public let id: String
    /// The first instant these rates apply to.
    public let effectiveFrom: Date
    /// The version this one replaces, if any.
    public let supersedes: String?
    /// Where the rates come from.
    public let source: String
    /// The rate of each schedule.
    public let rates: [FXSchedule: FXRate]

    /// Creates an FX version; both schedules must be present.
    public init(id: String, effectiveFrom: Date, supersedes: String?, source: String, rates: [FXSchedule: FXRate]) {
        precondition(FXSchedule.allCases.allSatisfy { rates[$0] != nil }, "an FX version needs every schedule")
        self.id = id
        self.effectiveFrom = effectiveFrom
        self.supersedes = supersedes
        self.source = source
        self.rates = rates
    }

    /// The rate of one schedule.
    public func rate(_ schedule: FXSchedule) -> FXRate { rates[schedule]! }
}

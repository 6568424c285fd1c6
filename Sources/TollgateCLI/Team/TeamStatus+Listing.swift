import TollgateAdmin
import TollgateCore

extension TeamStatus {
    static let columns = [
        "team", "currency", "budget", "period", "on_exhausted", "hold", "soft_limit_percent", "time_zone", "disabled",
        "spent", "reserved", "remaining", "available", "percent_used", "period_start", "resets_at",
    ]

    /// The status as one listing row; amounts in the budget currency.
    var cells: [Cell] {
        let zone = team.budget.timeZone
        return [
            .text(team.name), .text(team.budget.limit.currency.rawValue), Show.amount(team.budget.limit),
            .text(team.budget.period.rawValue), .text(team.budget.onExhausted.rawValue), .text(team.budget.hold.rawValue),
            team.budget.softLimitPercent.map { .number($0) } ?? .empty, .text(zone.identifier), .flag(team.disabled),
            Show.amount(budget.spent), Show.amount(budget.reserved), Show.amount(budget.remaining), Show.amount(budget.available),
            .amount(NanoDecimal.format(budget.percentUsedNanos)),
            team.budget.period == .total ? .empty : .text(Show.instant(budget.window.start, in: zone)),
            budget.resetsAt.map { .text(Show.instant($0, in: zone)) } ?? .empty,
        ]
    }
}

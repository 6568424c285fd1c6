import ArgumentParser
import Foundation
import TollgateCore

/// Parsing of the budget flags shared by `team create` and `team set-budget`, with domain errors
/// that say what to type.
enum BudgetArguments {
    static func currency(_ text: String) throws -> Currency { try Currency(code: text) }
    static func period(_ text: String) throws -> BudgetPeriod { try BudgetPeriod(name: text) }
    static func policy(_ text: String) throws -> ExhaustionPolicy { try ExhaustionPolicy(name: text) }
    static func hold(_ text: String) throws -> HoldPolicy { try HoldPolicy(name: text) }

    static func timeZone(_ identifier: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            throw CLIError("unknown time zone '\(identifier)': use an IANA name such as UTC, Asia/Shanghai or America/New_York")
        }
        return zone
    }
}

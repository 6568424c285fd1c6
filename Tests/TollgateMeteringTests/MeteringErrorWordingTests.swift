import Foundation
import Testing
import TollgateCore

@testable import TollgateMetering

/// Refusals say what an admin can do in the domain's words; the CLI follows them with its command
/// (`tollgate key set-budget`, `tollgate team set-limits`, `tollgate team enable`), tested at the CLI.
@Suite("Metering refusals name no command")
struct MeteringErrorWordingTests {
    @Test("a key budget refusal and a disabled team say what an admin can do, without a command line")
    func wording() throws {
        let budget = try Budget(limit: Money(parsing: "10", .cny), period: .monthly)
        let key = try KeyBudget(limit: Money(parsing: "1", .cny), period: .daily)
        let exceeded = MeteringError.budgetExceeded(
            team: "t",
            budget: budget,
            available: .zero(.cny),
            needed: try Money(parsing: "1", .cny),
            resetsAt: nil,
            key: (prefix: "tg_ci", budget: key)
        )
        #expect(exceeded.message.hasSuffix("or \(MeteringError.raiseKeyBudget)."), "\(exceeded.message)")
        #expect(exceeded.scope == "key" && exceeded.key == "tg_ci")
        let disabled = MeteringError.teamDisabled("t")
        #expect(disabled.message == "team 't' is disabled: \(MeteringError.reenableTeam)")
        for message in [exceeded.message, disabled.message] {
            #expect(!message.contains("tollgate ") && !message.contains("--"), "\(message)")
        }
    }
}

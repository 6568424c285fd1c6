import Foundation
import Testing
import TollgateAdmin
import TollgateCore

/// Library errors speak the domain: the facts and what to do, never a command-line flag or an
/// HTTP route (each edge adds its own; the CLI's and the admin API's wordings are tested there).
@Suite("Admin and core error messages name no flag and no command")
struct DomainWordingTests {
    @Test("the libraries' own messages name no flag and no command")
    func libraryWords() throws {
        var errors: [String] = [
            BudgetError.unknownTeam("ghost").description, BudgetError.duplicateTeam("t").description,
            BudgetError.unknownKey(prefix: "tg_abc").description, BudgetError.negativeRateLimit(.tokensPerMinute, -1).description,
            BudgetError.ledgerOverflowMessage(team: "a", currency: .usd, netNanos: 5, correctingWith: nil),
        ]
        for change in [BudgetChange(), BudgetChange(currency: .usd)] {
            do { _ = try change.applied(to: try Budget(limit: Money(parsing: "1", .cny), period: .monthly)) } catch { errors.append("\(error)") }
        }
        do { _ = try RateLimits(requestsPerMinute: 0).validated() } catch { errors.append("\(error)") }
        do { _ = try RateLimitChange(concurrentStreams: -1).applied(to: .none) } catch { errors.append("\(error)") }
        #expect(errors.count == 9)
        for message in errors {
            #expect(!message.contains("--") && !message.contains("tollgate "), "\(message)")
        }
        #expect(BudgetError.unknownTeam("ghost").description == "no team named 'ghost': list the teams to see their names")
    }
}

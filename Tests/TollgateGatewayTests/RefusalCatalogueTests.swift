import Foundation
import Testing
import TollgateCore
import TollgateMetering

@testable import TollgateGateway

/// One catalogue of refusal codes: unique, documented, and what every mapping answers with.
@Suite("Refusal code catalogue")
struct RefusalCatalogueTests {
    @Test("codes are unique and the wire contract of the budget and key codes holds")
    func catalogue() {
        let codes = RefusalCode.all.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(RefusalCode.all.count == 33)
        // What clients and SDKs key on; a change here is a breaking change, not a refactor.
        #expect(RefusalCode.budgetExceeded.rawValue == "budget_exceeded" && RefusalCode.budgetExceeded.status.code == 402)
        #expect(RefusalCode.budgetBusy.rawValue == "budget_busy" && RefusalCode.budgetBusy.status.code == 429)
        #expect(RefusalCode.rateLimited.rawValue == "rate_limited" && RefusalCode.rateLimited.status.code == 429)
        #expect(RefusalCode.ledgerFailed.rawValue == "ledger_failed" && RefusalCode.ledgerFailed.status.code == 500)
        #expect(RefusalCode.invalidAPIKey.rawValue == "invalid_api_key" && RefusalCode.invalidAPIKey.status.code == 401)
        #expect(RefusalCode.teamDisabled.rawValue == "team_disabled" && RefusalCode.teamDisabled.status.code == 403)
        #expect(RefusalCode.named("budget_busy") == .budgetBusy)
        #expect(RefusalCode.named("no_such_code") == nil)
    }

    @Test("ARCHITECTURE.md's table lists every code with its status and type")
    func documented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appending(path: "ARCHITECTURE.md"), encoding: .utf8)
        for code in RefusalCode.all {
            #expect(text.contains("| `\(code.rawValue)` | \(code.status.code) | `\(code.type)` |"), "\(code.rawValue)")
        }
    }

    @Test("metering and admin errors map to their catalogue entry's status and type")
    func mappings() throws {
        let budget = try Budget(limit: Money(parsing: "1", .cny), period: .monthly)
        let cases: [(GatewayRefusal, RefusalCode)] = [
            (
                GatewayRefusal(
                    MeteringError.budgetExceeded(
                        team: "t",
                        budget: budget,
                        available: .zero(.cny),
                        needed: try Money(parsing: "1", .cny),
                        resetsAt: nil
                    )
                ),
                .budgetExceeded
            ),
            (
                GatewayRefusal(
                    MeteringError.budgetBusy(
                        team: "t",
                        budget: budget,
                        available: .zero(.cny),
                        needed: try Money(parsing: "1", .cny),
                        held: try Money(parsing: "1", .cny),
                        holdingStreams: 1,
                        retryAfterSeconds: 1,
                        resetsAt: nil
                    )
                ),
                .budgetBusy
            ),
            (GatewayRefusal(MeteringError.teamDisabled("t")), .teamDisabled),
            (GatewayRefusal(MeteringError.unknownModel("m", known: [])), .unknownModel),
            (GatewayRefusal(BudgetError.unknownTeam("t")), .unknownTeam),
            (GatewayRefusal(BudgetError.duplicateTeam("t")), .duplicateTeam),
            (GatewayRefusal(BudgetError.unknownKey(prefix: "tg_x")), .invalidAPIKey),
            (GatewayRefusal(BudgetError(.invalidInput, "x")), .invalidInput),
            (GatewayRefusal.missingKey, .invalidAPIKey),
            (GatewayRefusal.missingAnthropicKey, .invalidAPIKey),
            (GatewayRefusal.ledgerOverflow, .ledgerOverflow),
            (GatewayRefusal.shuttingDown, .gatewayShutdown),
            (GatewayRefusal.sessionClosedForShutdown, .gatewayShutdown),
            (GatewayRefusal.invalidRequest("x"), .invalidRequest),
            (GatewayRefusal.historyFull(messages: 1, bytes: 1), .historyTooLarge),
            (GatewayRefusal.unknownRoute(method: "GET", path: "/x"), .unknownRoute),
        ]
        for (refusal, code) in cases {
            #expect(refusal.code == code.rawValue && refusal.status == code.status && refusal.type == code.type, "\(refusal.code)")
        }
    }
}

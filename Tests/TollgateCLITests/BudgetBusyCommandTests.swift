import Foundation
import Testing
import TollgateCore
import TollgateLedger
import TollgateStorage

@testable import TollgateCLI

@Suite("budget_busy on the command line")
struct BudgetBusyCommandTests {
    @Test("chat exits 75 with budget_busy, the amount held and the streams holding it, when streams in flight hold unspent money")
    func chatBusy() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "t", "--budget", "1", "--currency", "CNY", "--period", "monthly"])
        let ledger = try SQLiteLedger(path: cli.db)
        let team = try await ledger.team(named: "t")
        let draft = ReservationDraft(
            id: "in-flight",
            teamID: team.id,
            keyID: nil,
            model: "gpt-4.1",
            priceVersion: "2025-10-01",
            fxVersion: "fx-2025-10-01",
            prompt: try TokenUsage(inputTokens: 10, outputTokens: 0),
            tokenSource: .tokenizer,
            occurredAt: Date(),
            leaseExpiresAt: Date().addingTimeInterval(120)
        )
        let hold = try Money(parsing: "0.999", .cny)
        _ = try await ledger.reserve(draft) { _, _ in .admitted(hold: hold, maxOutputTokens: 1000) }
        let result = try await cli.run(
            ["chat", "--team", "t", "--model", "gpt-4.1", "--max-tokens", "1000", "Say hello"],
            environment: ["TOLLGATE_UPSTREAM_URL": ""]
        )
        #expect(result.status == 75, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("budget_busy"))
        #expect(result.stderr.contains("0.999 CNY of it is held by 1 stream(s) in flight"))
        #expect(try await cli.ok(["ledger", "entries", "--format", "json"]) == "[]\n")
    }

    @Test("--admission-wait takes 0 to 60 seconds with up to three decimals; other values say what to type")
    func admissionWaitSetting() throws {
        #expect(try ServeSettings(host: nil, port: nil, graceSeconds: nil, environment: [:]).admissionWait == .seconds(2))
        #expect(
            try ServeSettings(host: nil, port: nil, graceSeconds: nil, admissionWait: "0.5", environment: [:]).admissionWait == .milliseconds(500)
        )
        #expect(try ServeSettings(host: nil, port: nil, graceSeconds: nil, environment: ["TOLLGATE_ADMISSION_WAIT": "0"]).admissionWait == .zero)
        #expect(
            try ServeSettings(host: nil, port: nil, graceSeconds: nil, admissionWait: "60", environment: ["TOLLGATE_ADMISSION_WAIT": "3"])
                .admissionWait == .seconds(60)
        )
        for bad in ["-1", "abc", "1.2345", "61", "60.5", "", ".5", "1."] {
            let error = #expect(throws: CLIError.self, "\(bad)") {
                try ServeSettings(host: nil, port: nil, graceSeconds: nil, admissionWait: bad, environment: [:])
            }
            #expect(error?.description.contains("--admission-wait") == true || error?.description.contains("0 to 60") == true)
        }
    }
}

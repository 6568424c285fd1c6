import Foundation
import Testing
import TollgateGateway

@testable import TollgateCLI

@Suite("serve --alert-retention-days")
struct AlertRetentionSettingTests {
    static func settings(_ days: Int? = nil, _ environment: [String: String] = [:]) throws -> ServeSettings {
        try ServeSettings(host: nil, port: nil, graceSeconds: nil, alertRetentionDays: days, environment: environment)
    }

    @Test("90 days by default; the flag wins over TOLLGATE_ALERT_RETENTION_DAYS; 0 keeps every alert")
    func values() throws {
        #expect(try Self.settings().alerts.retention == .seconds(90 * 86_400))
        #expect(try Self.settings(nil, ["TOLLGATE_ALERT_RETENTION_DAYS": "30"]).alerts.retention == .seconds(30 * 86_400))
        #expect(try Self.settings(7, ["TOLLGATE_ALERT_RETENTION_DAYS": "30"]).alerts.retention == .seconds(7 * 86_400))
        #expect(try Self.settings(0).alerts.retention == nil)
        #expect(try Self.settings(nil, ["TOLLGATE_ALERT_RETENTION_DAYS": "0"]).alerts.retention == nil)
    }

    @Test("a negative, too long or non-numeric retention is refused, saying the range")
    func refused() async throws {
        for (days, environment) in [(-1, [:]), (36_501, [:]), (nil, ["TOLLGATE_ALERT_RETENTION_DAYS": "ninety"])] as [(Int?, [String: String])] {
            let error = #expect(throws: CLIError.self, "\(String(describing: days)) \(environment)") { try Self.settings(days, environment) }
            let message = error?.description ?? ""
            #expect(message.contains("0 (keep every alert) to 36500 days") || message.contains("TOLLGATE_ALERT_RETENTION_DAYS=ninety"), "\(message)")
        }
        let cli = try CLIRunner()
        let served = try await cli.run(["serve", "--port", "0", "--alert-retention-days", "40000"])
        #expect(served.status != 0)
        #expect(served.stderr.contains("an alert retention of 40000 days is out of range"), "\(served.stderr)")
    }
}

import Foundation
import NIOHTTP1
import Testing
import TollgateAdmin
import TollgateCore

@Suite("Gateway /admin alert routes")
struct AdminAlertsTests {
    @Test("PUT and GET a team's thresholds (the CLI's QuotaAdmin.setAlerts); bad bodies and teams are refused; claimed alerts are listed")
    func thresholdsAndList() async throws {
        try await GatewayHarness.run { gateway in
            let token = GatewayHarness.adminToken
            let defaults = try await gateway.send(.GET, "/admin/teams/alpha/alerts", key: token).json()
            #expect(defaults["thresholds"] as? [String] == ["50", "80", "100", "exhausted", "overrun"] && defaults["default"] as? Bool == true)
            let set = try await gateway.send(.PUT, "/admin/teams/alpha/alerts", key: token, json: #"{"thresholds":["90","25%","exhausted"]}"#)
            #expect(set.status == 200)
            let setJSON = try set.json()
            #expect(setJSON["thresholds"] as? [String] == ["25", "90", "exhausted"] && setJSON["default"] as? Bool == false)
            #expect(try await gateway.admin.alerts("alpha").thresholds == [.percent(25), .percent(90), .exhausted])
            let off = try await gateway.send(.PUT, "/admin/teams/alpha/alerts", key: token, json: #"{"thresholds":[]}"#)
            #expect(try off.json()["thresholds"] as? [String] == [])
            let reset = try await gateway.send(.PUT, "/admin/teams/alpha/alerts", key: token, json: #"{"use_defaults":true}"#)
            #expect(try reset.json()["default"] as? Bool == true)

            let bad = try await gateway.send(.PUT, "/admin/teams/alpha/alerts", key: token, json: #"{"thresholds":["0"]}"#)
            #expect(bad.status == 400 && bad.errorMessage.contains("use a whole percent from 1 to 1000"))
            let empty = try await gateway.send(.PUT, "/admin/teams/alpha/alerts", key: token, json: "{}")
            #expect(empty.status == 400 && empty.errorMessage.contains("use_defaults"))
            let unknown = try await gateway.send(.PUT, "/admin/teams/nobody/alerts", key: token, json: #"{"thresholds":["50"]}"#)
            #expect(unknown.status == 404)
            #expect(try await gateway.send(.GET, "/admin/teams/alpha/alerts", key: gateway.alphaKey).status == 401)

            _ = try await gateway.admin.adjust(team: "beta", amount: try Money(parsing: "-5", .cny), reason: "usage billed elsewhere")
            let betaID = try await gateway.ledger.team(named: "beta").id
            _ = try await gateway.admin.claimReachedAlerts(teamID: betaID, exhausted: false, webhooks: [])
            let list = try await gateway.send(.GET, "/admin/alerts?team=beta", key: token).json()
            let alerts = try #require(list["data"] as? [[String: Any]])
            #expect(alerts.count == 1)
            #expect(alerts.first?["threshold"] as? String == "50" && alerts.first?["spent"] as? String == "5.00")
            #expect(
                alerts.first?["alert_id"] as? String
                    == "\(betaID)-\(Int64(try await gateway.admin.teamStatus("beta").budget.window.start.timeIntervalSince1970 * 1000))-50"
            )
            #expect(try await gateway.send(.GET, "/admin/alerts?team=nobody", key: token).status == 404)
        }
    }
}

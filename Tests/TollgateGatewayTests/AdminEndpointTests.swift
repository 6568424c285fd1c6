import Foundation
import NIOHTTP1
import Testing
import TollgateAdmin
import TollgateCore

@Suite("Gateway /admin API")
struct AdminEndpointTests {
    @Test("without TOLLGATE_ADMIN_TOKEN configured every admin route answers 503 saying to set it")
    func disabled() async throws {
        try await GatewayHarness.run(adminToken: nil) { harness in
            for (method, path) in [("GET", "/admin/teams"), ("POST", "/admin/teams/alpha/keys"), ("GET", "/admin/keys")] {
                let exchange = try await harness.send(HTTPMethod(rawValue: method), path, key: "anything")
                #expect(exchange.status == 503)
                #expect(try exchange.error()["code"] as? String == "admin_disabled")
                #expect(exchange.errorMessage.contains("TOLLGATE_ADMIN_TOKEN"))
            }
        }
    }

    @Test("a team key, no key or a wrong token can't reach the admin API; a team's requests charge only that team")
    func isolation() async throws {
        try await GatewayHarness.run { harness in
            for key in [harness.alphaKey, harness.betaKey, "wrong-token", nil] {
                for path in ["/admin/teams", "/admin/teams/beta", "/admin/keys?team=beta"] {
                    let exchange = try await harness.send(.GET, path, key: key)
                    #expect(exchange.status == 401, "\(path) with \(key ?? "no key")")
                    #expect(try exchange.error()["code"] as? String == "invalid_admin_token")
                    #expect(!exchange.body.contains("\"spent\""))
                }
            }
            #expect(try await harness.chat(key: harness.alphaKey).status == 200)
            #expect(try await harness.entries(team: "alpha").count == 1)
            #expect(try await harness.entries(team: "beta").isEmpty)
        }
    }

    @Test("teams: create, list and show match QuotaAdmin's statuses field for field; set-budget, disable and enable take effect")
    func teams() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let created = try await harness.send(
                .POST,
                "/admin/teams",
                key: admin,
                json: #"""
                    {"name":"gamma","budget":"120.50","currency":"USD","period":"weekly","soft_limit_percent":80,"on_exhausted":"clamp","time_zone":"Asia/Shanghai"}
                    """#
            )
            #expect(created.status == 201, "\(created.body)")
            let status = try await harness.admin.teamStatus("gamma")
            let json = try created.json()
            #expect(json["team"] as? String == "gamma")
            #expect(json["budget"] as? String == status.team.budget.limit.decimalString)
            #expect(json["budget"] as? String == "120.50")
            #expect(json["currency"] as? String == "USD")
            #expect(json["period"] as? String == "weekly")
            #expect(json["on_exhausted"] as? String == "clamp")
            #expect(json["soft_limit_percent"] as? Int == 80)
            #expect(json["time_zone"] as? String == "Asia/Shanghai")
            #expect(json["available"] as? String == status.budget.available.decimalString)
            #expect(json["resets_at"] as? String == status.budget.resetsAt?.formatted(.iso8601))

            _ = try await harness.chat(key: harness.alphaKey)
            let list = try await harness.send(.GET, "/admin/teams", key: admin)
            let rows = try #require(try list.json()["data"] as? [[String: Any]])
            let statuses = try await harness.admin.teamStatuses()
            #expect(rows.compactMap { $0["team"] as? String } == statuses.map(\.team.name))
            for (row, status) in zip(rows, statuses) {
                #expect(row["spent"] as? String == status.budget.spent.decimalString)
                #expect(row["reserved"] as? String == status.budget.reserved.decimalString)
                #expect(row["remaining"] as? String == status.budget.remaining.decimalString)
            }
            #expect(try await harness.admin.teamStatus("alpha").budget.spent.isPositive)

            let patched = try await harness.send(.PATCH, "/admin/teams/alpha/budget", key: admin, json: #"{"budget":"0.01"}"#)
            #expect(patched.status == 200)
            #expect(try patched.json()["budget"] as? String == "0.01")
            #expect(try await harness.chat(key: harness.alphaKey).status == 402)

            #expect(try await harness.send(.POST, "/admin/teams/beta/disable", key: admin).status == 200)
            #expect(try await harness.admin.teamStatus("beta").team.disabled)
            #expect(try await harness.chat(key: harness.betaKey).status == 403)
            let enabled = try await harness.send(.POST, "/admin/teams/beta/enable", key: admin)
            #expect(try enabled.json()["disabled"] as? Bool == false)
            #expect(try await harness.chat(key: harness.betaKey).status == 200)
        }
    }

    @Test("keys: create returns the key once and it works; list shows prefixes only; revoke refuses it")
    func keys() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let created = try await harness.send(.POST, "/admin/teams/beta/keys", key: admin, json: #"{"label":"ci"}"#)
            #expect(created.status == 201)
            let secret = try #require(try created.json()["key"] as? String)
            let prefix = try #require(try created.json()["prefix"] as? String)
            #expect(secret.hasPrefix(prefix))
            #expect(try await harness.chat(key: secret).status == 200)
            #expect(try await harness.entries(team: "beta").count == 1)

            let listed = try await harness.send(.GET, "/admin/keys?team=beta", key: admin)
            #expect(!listed.body.contains(secret))
            let prefixes = try #require(try listed.json()["data"] as? [[String: Any]]).compactMap { $0["prefix"] as? String }
            #expect(Set(prefixes) == Set(try await harness.admin.listKeys(team: "beta").map(\.key.prefix)))
            #expect(prefixes.contains(prefix))

            let revoked = try await harness.send(.POST, "/admin/keys/\(prefix)/revoke", key: admin)
            #expect(revoked.status == 200)
            #expect(try revoked.json()["revoked_at"] is String)
            #expect(try await harness.chat(key: secret).status == 401)
        }
    }

    @Test("adjustments credit or charge a team with a reason, exactly as 'tollgate ledger adjust' does")
    func adjustments() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let before = try await harness.admin.teamStatus("alpha").budget.spent
            let credit = try await harness.send(
                .POST,
                "/admin/teams/alpha/adjustments",
                key: admin,
                json: #"{"amount":"2.50","reason":"refund for outage 2026-11-03"}"#
            )
            #expect(credit.status == 201, "\(credit.body)")
            #expect(try credit.json()["charge_cny"] as? String == "-2.50")
            #expect(try credit.json()["kind"] as? String == "credit")
            let after = try await harness.admin.teamStatus("alpha").budget.spent
            #expect(after == before - (try Money(parsing: "2.50", .cny)))
            let noReason = try await harness.send(.POST, "/admin/teams/alpha/adjustments", key: admin, json: #"{"amount":"1","reason":" "}"#)
            #expect(noReason.status == 400)
            #expect(noReason.errorMessage.contains("reason is required"))
        }
    }

    @Test("spend per team and period matches QuotaAdmin; a bad or empty period is 400")
    func spend() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            #expect(try await harness.chat(key: harness.alphaKey).status == 200)
            let current = try await harness.send(.GET, "/admin/teams/alpha/spend", key: admin)
            #expect(current.status == 200)
            let expected = try await harness.admin.spend(team: "alpha")
            #expect(try current.json()["spent"] as? String == expected.spent.decimalString)
            #expect(expected.spent.isPositive)
            #expect(try current.json()["from"] as? String == expected.window.start.formatted(.iso8601))
            let past = try await harness.send(.GET, "/admin/teams/alpha/spend?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z", key: admin)
            #expect(try past.json()["spent"] as? String == "0.00")
            let beta = try await harness.send(.GET, "/admin/teams/beta/spend", key: admin)
            #expect(try beta.json()["spent"] as? String == "0.00")
            let bad = try await harness.send(.GET, "/admin/teams/alpha/spend?from=yesterday", key: admin)
            #expect(bad.status == 400)
            #expect(bad.errorMessage.contains("RFC 3339"))
            let empty = try await harness.send(.GET, "/admin/teams/alpha/spend?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", key: admin)
            #expect(empty.status == 400)
            #expect(try await harness.send(.GET, "/admin/teams/alpha/spend", key: harness.alphaKey).status == 401)
        }
    }

    @Test("admin errors: unknown team 404, duplicate 409, bad amount and missing field 400")
    func errors() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let unknown = try await harness.send(.GET, "/admin/teams/nobody", key: admin)
            #expect(unknown.status == 404)
            #expect(try unknown.error()["code"] as? String == "unknown_team")
            let duplicate = try await harness.send(
                .POST,
                "/admin/teams",
                key: admin,
                json: #"{"name":"alpha","budget":"1","currency":"CNY","period":"monthly"}"#
            )
            #expect(duplicate.status == 409)
            #expect(try duplicate.error()["code"] as? String == "duplicate_team")
            let amount = try await harness.send(
                .POST,
                "/admin/teams",
                key: admin,
                json: #"{"name":"delta","budget":"lots","currency":"CNY","period":"monthly"}"#
            )
            #expect(amount.status == 400)
            let missing = try await harness.send(.POST, "/admin/teams", key: admin, json: #"{"name":"delta"}"#)
            #expect(missing.status == 400)
            #expect(missing.errorMessage.contains("missing field 'budget'"))
            let period = try await harness.send(
                .POST,
                "/admin/teams",
                key: admin,
                json: #"{"name":"delta","budget":"1","currency":"CNY","period":"hourly"}"#
            )
            #expect(period.status == 400)
        }
    }
}

import Foundation
import NIOHTTP1
import Testing
import TollgateAdmin
import TollgateCore
import TollgateLedger

/// The admin API words library errors for an HTTP client: the route and the JSON fields to send,
/// never a command-line flag or command (those are the CLI's, tested at the CLI).
@Suite("Gateway /admin API: error hints name routes and JSON fields, not flags")
struct AdminErrorWordingTests {
    /// Every message an HTTP client gets is free of the CLI's syntax.
    static func expectNoCommandLine(_ exchange: Exchange, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!exchange.errorMessage.contains("--"), "\(exchange.errorMessage)", sourceLocation: sourceLocation)
        #expect(!exchange.errorMessage.contains("tollgate "), "\(exchange.errorMessage)", sourceLocation: sourceLocation)
    }

    @Test("budget changes: nothing to change names the JSON fields; a new currency needs \"budget\"")
    func budgetChanges() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let nothing = try await harness.send(.PATCH, "/admin/teams/alpha/budget", key: admin, json: "{}")
            #expect(nothing.status == 400)
            #expect(try nothing.error()["code"] as? String == "invalid_input")
            #expect(
                nothing.errorMessage.hasPrefix("nothing to change: send at least one of \"budget\", \"currency\", \"period\""),
                "\(nothing.errorMessage)"
            )
            #expect(nothing.errorMessage.contains("\"soft_limit_percent\""))
            Self.expectNoCommandLine(nothing)

            let currency = try await harness.send(.PATCH, "/admin/teams/alpha/budget", key: admin, json: #"{"currency":"USD"}"#)
            #expect(currency.status == 400)
            #expect(currency.errorMessage == "changing the currency needs a new budget amount in that currency: send \"budget\" with \"currency\"")
            Self.expectNoCommandLine(currency)
            #expect(try await harness.admin.teamStatus("alpha").team.budget.limit.currency == .cny)
        }
    }

    @Test("key budgets: a period without an amount says which field to send, on create and on change")
    func keyBudgets() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let create = try await harness.send(.POST, "/admin/teams/alpha/keys", key: admin, json: #"{"period":"daily"}"#)
            #expect(create.status == 400)
            #expect(create.errorMessage == "a key's budget period needs a budget amount: send \"budget\" (a decimal string in CNY) with \"period\"")
            Self.expectNoCommandLine(create)
            #expect(try await harness.admin.listKeys(team: "alpha").count == 1)

            let prefix = KeyCodec.prefix(of: harness.alphaKey)
            let change = try await harness.send(.PUT, "/admin/keys/\(prefix)/budget", key: admin, json: #"{"budget":null,"period":"daily"}"#)
            #expect(change.status == 400)
            #expect(
                change.errorMessage.contains("send \"budget\" (a decimal string), or \"budget\": null without \"period\""),
                "\(change.errorMessage)"
            )
            Self.expectNoCommandLine(change)
        }
    }

    @Test("rate limits below 0 name rpm, tpm or max_streams, the body's fields")
    func rateLimits() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let team = try await harness.send(.PUT, "/admin/teams/alpha/limits", key: admin, json: #"{"rpm":-1}"#)
            #expect(team.status == 400)
            #expect(team.errorMessage == "rpm must be 0 (no limit) or more, got -1")
            let prefix = KeyCodec.prefix(of: harness.alphaKey)
            let key = try await harness.send(.PUT, "/admin/keys/\(prefix)/limits", key: admin, json: #"{"tpm":5,"max_streams":-2}"#)
            #expect(key.status == 400)
            #expect(key.errorMessage == "max_streams must be 0 (no limit) or more, got -2")
            Self.expectNoCommandLine(team)
            Self.expectNoCommandLine(key)
            #expect(try await harness.admin.teamStatus("alpha").team.limits == .none)
        }
    }

    @Test("an adjustment without a reason asks for \"reason\"; unknown teams and keys point at the listing routes")
    func adjustmentsAndLookups() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let noReason = try await harness.send(.POST, "/admin/teams/alpha/adjustments", key: admin, json: #"{"amount":"1","reason":" "}"#)
            #expect(noReason.status == 400)
            #expect(noReason.errorMessage == "a reason is required: say why in \"reason\", e.g. \"refund for outage 2026-11-03\"")
            Self.expectNoCommandLine(noReason)

            let team = try await harness.send(.GET, "/admin/teams/ghost", key: admin)
            #expect(team.status == 404)
            #expect(team.errorMessage == "no team named 'ghost': GET /admin/teams lists the teams")
            let key = try await harness.send(.POST, "/admin/keys/tg_nosuchkey/revoke", key: admin)
            #expect(key.status == 401)
            #expect(key.errorMessage == "no key with prefix 'tg_nosuchkey': GET /admin/keys lists the prefixes")
            let duplicate = try await harness.send(
                .POST,
                "/admin/teams",
                key: admin,
                json: #"{"name":"alpha","budget":"1","currency":"CNY","period":"monthly"}"#
            )
            #expect(duplicate.status == 409)
            #expect(
                duplicate.errorMessage
                    == "a team named 'alpha' already exists: pick another name, or change its budget with PATCH /admin/teams/alpha/budget"
            )
            for exchange in [team, key, duplicate] { Self.expectNoCommandLine(exchange) }
        }
    }

    @Test("a team whose ledger overflows is listed apart with the adjustments route as the fix")
    func overflowingTeam() async throws {
        try await GatewayHarness.run { harness in
            try await harness.overflowLedger(ofTeam: "alpha")
            let list = try await harness.send(.GET, "/admin/teams", key: GatewayHarness.adminToken)
            #expect(list.status == 200)
            let problems = try #require(try list.json()["unreadable"] as? [[String: Any]])
            let message = try #require(problems.first?["message"] as? String)
            #expect(problems.first?["code"] as? String == "ledger_overflow")
            #expect(message.contains("team 'alpha'"))
            #expect(message.contains("with POST /admin/teams/alpha/adjustments"), "\(message)")
            #expect(message.contains("and negative amounts (charges)"))
            #expect(!message.contains("--") && !message.contains("tollgate "), "\(message)")
        }
    }

    @Test("a gateway client with an unknown key is told to ask an admin, with the admin route, not a command")
    func unknownKey() async throws {
        try await GatewayHarness.run { harness in
            let exchange = try await harness.chat(key: "tg_notarealkey0000000000000000")
            #expect(exchange.status == 401)
            #expect(try exchange.error()["code"] as? String == "invalid_api_key")
            #expect(
                exchange.errorMessage == "invalid API key: check the key, or ask an admin to create one for your team (POST /admin/teams/{team}/keys)"
            )
        }
    }
}

import Foundation
import Hummingbird
import NIOCore
import TollgateAdmin
import TollgateCore

/// `/admin`: teams, keys and ledger adjustments through `QuotaAdmin` — the same implementation as
/// `tollgate team|key|ledger adjust`, so the API and the CLI always agree.
struct AdminEndpoint: Sendable {
    let admin: QuotaAdmin
    let settings: GatewaySettings

    func register(on router: Router<GatewayRequestContext>) {
        let group = router.group("/admin").add(middleware: AdminTokenMiddleware(token: settings.adminToken))
        group.get("/teams") { _, _ in
            await answer {
                let report = try await admin.teamStatusReport()
                return AdminRecords.TeamList(
                    data: report.statuses.map(AdminRecords.TeamRecord.init),
                    unreadable: report.unreadable.map { AdminRecords.Problem(code: $0.code.rawValue, message: $0.httpMessage) }
                )
            }
        }
        group.post("/teams") { request, _ in
            await answer(status: .created) {
                let body = try await decode(AdminRequests.CreateTeam.self, request)
                let team = try await admin.createTeam(name: body.name, budget: try body.makeBudget())
                return AdminRecords.TeamRecord(try await admin.teamStatus(team.name))
            }
        }
        group.get("/teams/:team") { _, context in
            await answer { AdminRecords.TeamRecord(try await admin.teamStatus(try context.parameters.decoded("team"))) }
        }
        group.patch("/teams/:team/budget") { request, context in
            await answer {
                let team = try context.parameters.decoded("team")
                _ = try await admin.setBudget(team, try await decode(AdminRequests.SetBudget.self, request).change())
                return AdminRecords.TeamRecord(try await admin.teamStatus(team))
            }
        }
        group.put("/teams/:team/name") { request, context in
            await answer {
                let body = try await decode(AdminRequests.RenameTeam.self, request)
                let team = try await admin.renameTeam(try context.parameters.decoded("team"), to: body.name)
                return AdminRecords.TeamRecord(try await admin.teamStatus(team.name))
            }
        }
        group.post("/teams/:team/disable") { _, context in
            await answer {
                AdminRecords.TeamRecord(try await admin.teamStatus(try await admin.disableTeam(try context.parameters.decoded("team")).name))
            }
        }
        group.post("/teams/:team/enable") { _, context in
            await answer {
                AdminRecords.TeamRecord(try await admin.teamStatus(try await admin.enableTeam(try context.parameters.decoded("team")).name))
            }
        }
        group.post("/teams/:team/keys") { request, context in
            await answer(status: .created) {
                let team = try context.parameters.decoded("team")
                let body = try await decode(AdminRequests.CreateKey.self, request, emptyAllowed: true)
                let issued = try await admin.createKey(
                    team: team,
                    label: body?.label,
                    budget: body?.budget,
                    period: try body?.period.map { try BudgetPeriod(name: $0) }
                )
                return AdminRecords.KeyRecord(issued.record, team: team, secret: issued.secret)
            }
        }
        group.get("/keys") { request, _ in
            await answer {
                let team = request.uri.queryParameters.get("team")
                return AdminRecords.List(data: try await admin.listKeys(team: team).map { AdminRecords.KeyRecord($0.key, team: $0.team) })
            }
        }
        group.put("/teams/:team/limits") { request, context in
            await answer {
                let team = try await admin.setRateLimits(
                    team: try context.parameters.decoded("team"),
                    try await decode(AdminRequests.SetLimits.self, request).change
                )
                return AdminRecords.LimitsRecord(team.limits, team: team.name)
            }
        }
        group.put("/keys/:prefix/limits") { request, context in
            await answer {
                let key = try await admin.setRateLimits(
                    keyPrefix: try context.parameters.decoded("prefix"),
                    try await decode(AdminRequests.SetLimits.self, request).change
                )
                return AdminRecords.LimitsRecord(key.limits, prefix: key.prefix)
            }
        }
        group.put("/keys/:prefix/budget") { request, context in
            await answer {
                let body = try await decode(AdminRequests.SetKeyBudget.self, request)
                let record = try await admin.setKeyBudget(
                    prefix: try context.parameters.decoded("prefix"),
                    amount: body.budget,
                    period: try body.period.map { try BudgetPeriod(name: $0) }
                )
                return AdminRecords.KeyRecord(record, team: try await admin.store.team(id: record.teamID).name)
            }
        }
        group.post("/keys/:prefix/revoke") { _, context in
            await answer {
                let record = try await admin.revokeKey(prefix: try context.parameters.decoded("prefix"))
                return AdminRecords.KeyRecord(record, team: try await admin.store.team(id: record.teamID).name)
            }
        }
        group.get("/teams/:team/spend") { request, context in
            await answer {
                let query = request.uri.queryParameters
                let spend = try await admin.spend(
                    team: try context.parameters.decoded("team"),
                    from: try AdminRequests.instant(query.get("from"), "from"),
                    to: try AdminRequests.instant(query.get("to"), "to")
                )
                return AdminRecords.SpendRecord(team: spend.team, window: spend.window, spent: spend.spent)
            }
        }
        group.get("/teams/:team/alerts") { _, context in
            await answer { AdminRecords.AlertSettingsRecord(try await admin.alerts(try context.parameters.decoded("team"))) }
        }
        group.put("/teams/:team/alerts") { request, context in
            await answer {
                let thresholds = try await decode(AdminRequests.SetAlerts.self, request).parsed()
                return AdminRecords.AlertSettingsRecord(try await admin.setAlerts(try context.parameters.decoded("team"), thresholds: thresholds))
            }
        }
        group.get("/alerts") { request, _ in
            await answer {
                var teamID: Int64?
                if let team = request.uri.queryParameters.get("team") { teamID = try await admin.store.team(named: team).id }
                return AdminRecords.List(data: try await admin.store.budgetAlerts(teamID: teamID, limit: 100).map { AlertPayload.Fields($0) })
            }
        }
        group.post("/teams/:team/adjustments") { request, context in
            await answer(status: .created) {
                let team = try context.parameters.decoded("team")
                let body = try await decode(AdminRequests.Adjust.self, request)
                let teamCurrency = try await admin.store.team(named: team).budget.limit.currency
                let currency = try body.currency.map { try Currency(code: $0) } ?? teamCurrency
                let entry = try await admin.adjust(team: team, amount: try Money(parsing: body.amount, currency), reason: body.reason)
                return AdminRecords.AdjustmentRecord(entry, team: team)
            }
        }
    }

    /// Runs an admin operation and answers its JSON, or the refusal its error maps to.
    private func answer(status: HTTPResponse.Status = .ok, _ operation: () async throws -> some Encodable) async -> Response {
        do {
            return Response.json(status: status, try JSONEncoder.gateway.encode(try await operation()))
        } catch {
            return GatewayRefusal(error).response
        }
    }

    private func decode<Body: Decodable>(_ type: Body.Type, _ request: Request, emptyAllowed: Bool = false) async throws -> Body? {
        let bytes = try await request.body.collect(upTo: settings.maxBodyBytes)
        if emptyAllowed, bytes.readableBytes == 0 { return nil }
        return try AdminRequests.decode(type, Data(buffer: bytes))
    }

    private func decode<Body: Decodable>(_ type: Body.Type, _ request: Request) async throws -> Body {
        try AdminRequests.decode(type, Data(buffer: try await request.body.collect(upTo: settings.maxBodyBytes)))
    }
}

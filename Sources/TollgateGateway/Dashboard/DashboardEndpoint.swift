import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateAdmin
import TollgateReports

/// `GET /dashboard`: the operators' page (budgets, the month's spend and savings, live streams,
/// recent cutoffs and refusals, budget alerts), behind the admin token (see `DashboardAuth`).
struct DashboardEndpoint: Sendable {
    let admin: QuotaAdmin
    let activity: GatewayActivity
    let settings: GatewaySettings

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/dashboard") { request, context -> Response in
            switch DashboardAuth(token: settings.adminToken).check(request) {
            case .answer(let response):
                return response
            case .allowed:
                do {
                    let snapshot = try await DashboardSnapshot.read(admin: admin, activity: activity, now: Date())
                    var headers = HTTPFields()
                    headers[.contentType] = "text/html; charset=utf-8"
                    headers[.cacheControl] = "no-store"
                    return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: DashboardPage(snapshot: snapshot).render())))
                } catch {
                    context.logger.error("the dashboard could not read the ledger: \(GatewayRefusal.scrubbed(error))")
                    return DashboardAuth.page(.internalServerError, "The ledger could not be read", HTMLText.escape(GatewayRefusal.scrubbed(error)))
                }
            }
        }
    }
}

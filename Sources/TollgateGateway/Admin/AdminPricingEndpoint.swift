import Foundation
import Hummingbird
import TollgateCore
import TollgateMetering

/// `GET /admin/pricing[?at=RFC3339]`: the catalog and the price and FX versions in force at an
/// instant (default now) in the table this process has in force, with the last reload's verdict —
/// what an operator compares across replicas after editing the pricing folder.
struct AdminPricingEndpoint: Sendable {
    let pricing: LivePricing
    let settings: GatewaySettings

    func register(on router: Router<GatewayRequestContext>) {
        router.group("/admin").add(middleware: AdminTokenMiddleware(token: settings.adminToken)).get("/pricing") { request, _ in
            do {
                let instant = try AdminRequests.instant(request.uri.queryParameters.get("at"), "at") ?? Date()
                return Response.json(try JSONEncoder.gateway.encode(try AdminPricingRecord(pricing.status, at: instant)))
            } catch let error as PricingError {
                return GatewayRefusal.invalidRequest("\(error.message): ask about an instant a version covers").response
            } catch {
                return GatewayRefusal(error).response
            }
        }
    }
}

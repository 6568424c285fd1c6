import Foundation
import NIOHTTP1
import Testing
import TollgateCore

@Suite("Gateway GET /admin/pricing")
struct AdminPricingEndpointTests {
    @Test("the catalog and the versions in force now, with exact prices, aliases and counting")
    func now() async throws {
        try await GatewayHarness.run { harness in
            let exchange = try await harness.send(.GET, "/admin/pricing", key: GatewayHarness.adminToken)
            #expect(exchange.status == 200, "\(exchange.body)")
            let json = try exchange.json()
            #expect((json["price_version"] as? [String: Any])?["id"] as? String == "2025-10-01")
            #expect((json["fx_version"] as? [String: Any])?["id"] as? String == "fx-2025-10-01")
            #expect(json["cny_per_usd"] as? [String: String] == ["relay": "1", "baseline": "7.3"])
            #expect(json["reload"] as? String == "ok")
            let models = try #require(json["models"] as? [[String: Any]])
            #expect(models.map { $0["id"] as? String } == ["claude-sonnet-4.5", "deepseek-v3.2", "gemini-2.5-flash", "gpt-4.1"])
            let gpt = try #require(models.last)
            #expect(gpt["aliases"] as? [String] == ["gpt-4.1-2025-04-14"])
            #expect(gpt["counting"] as? String == "o200k_base")
            #expect(gpt["context_window"] as? Int == 1_047_576)
            #expect((gpt["prices"] as? [String: [String: String]])?["relay"] == ["input": "2.00", "cached_input": "0.50", "output": "8.00"])
            #expect(models.first?["counting"] as? String == "estimate: o200k_base × 5/4")
        }
    }

    @Test("?at= before any version, or not RFC 3339, is a 400 saying what to send; the admin token is required")
    func errors() async throws {
        try await GatewayHarness.run { harness in
            let early = try await harness.send(.GET, "/admin/pricing?at=2020-01-01T00:00:00Z", key: GatewayHarness.adminToken)
            #expect(early.status == 400)
            #expect(early.errorMessage.contains("no price version is in force at 2020-01-01"), "\(early.body)")
            let garbled = try await harness.send(.GET, "/admin/pricing?at=yesterday", key: GatewayHarness.adminToken)
            #expect(garbled.status == 400)
            #expect(garbled.errorMessage.contains("is not RFC 3339"))
            let team = try await harness.send(.GET, "/admin/pricing", key: harness.alphaKey)
            #expect(team.status == 401)
            let at = try await harness.send(.GET, "/admin/pricing?at=2025-10-01T00:00:00Z", key: GatewayHarness.adminToken)
            #expect(try at.json()["at"] as? String == "2025-10-01T00:00:00Z")
        }
    }
}

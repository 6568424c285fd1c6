import Foundation
import Hummingbird
import TollgateMetering
import TollgateTokenizers

/// `GET /healthz` (the process answers) and `GET /readyz` (it can serve: the ledger answers, prices
/// are in force now, and every priced model's vocabulary loads; `vocabularies` says where each
/// loaded vocabulary came from: `built-in`, `--tokenizer-dir FILE`, `TOLLGATE_TOKENIZER_DIR FILE` or `cache FILE`;
/// `pricing` names the price and FX versions in force and whether the last reload was refused).
struct HealthEndpoint: Sendable {
    let metering: MeteredClient

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/healthz") { _, _ in
            Response.json(Data(#"{"status":"ok"}"#.utf8))
        }
        router.get("/readyz") { _, _ in
            let checks = await readiness()
            let ready = checks.values.allSatisfy { $0 == "ok" }
            let vocabularies = Dictionary(uniqueKeysWithValues: metering.tokenizers.origins.map { ($0.key.rawValue, $0.value.description) })
            let body = try JSONEncoder.gateway.encode(
                Readiness(
                    status: ready ? "ready" : "not_ready",
                    checks: checks,
                    vocabularies: vocabularies,
                    pricing: PricingReadiness(metering.livePricing.status)
                )
            )
            return Response.json(status: ready ? .ok : .serviceUnavailable, body)
        }
    }

    /// Each check's result: `ok`, or what failed and what to do.
    func readiness() async -> [String: String] {
        var checks: [String: String] = [:]
        do {
            // The teams table: a read that answers in constant time however large the ledger grows
            // (counting entries scanned every row on each probe).
            _ = try await metering.store.teams()
            checks["ledger"] = "ok"
        } catch {
            checks["ledger"] = "the ledger does not answer: \(GatewayRefusal.scrubbed(error))"
        }
        do {
            _ = try metering.pricing.priceVersion(at: Date())
            _ = try metering.pricing.fxVersion(at: Date())
            checks["pricing"] = "ok"
        } catch {
            checks["pricing"] = "no prices in force now: \(error)"
        }
        checks["tokenizers"] = "ok"
        for model in metering.pricing.catalog.ids {
            do {
                _ = try metering.tokenizers.counter(for: try metering.pricing.catalog.model(model))
            } catch {
                checks["tokenizers"] = (error as? TokenizerError)?.operatorMessage ?? "\(error)"
                break
            }
        }
        return checks
    }

    private struct Readiness: Encodable {
        let status: String
        let checks: [String: String]
        let vocabularies: [String: String]
        let pricing: PricingReadiness
    }

    /// The versions in force and the last reload's verdict. A refused reload doesn't make the
    /// process unready: the table in force still prices correctly; `reload` says what to fix.
    private struct PricingReadiness: Encodable {
        let priceVersion: String
        let fxVersion: String
        let models: Int
        let loadedAt: String
        let reload: String

        enum CodingKeys: String, CodingKey {
            case priceVersion = "price_version"
            case fxVersion = "fx_version"
            case models
            case loadedAt = "loaded_at"
            case reload
        }

        init(_ status: LivePricing.Status) {
            priceVersion = (try? status.table.priceVersion(at: Date()).id) ?? "none"
            fxVersion = (try? status.table.fxVersion(at: Date()).id) ?? "none"
            models = status.table.catalog.ids.count
            loadedAt = status.loadedAt.formatted(.iso8601)
            reload = status.refusal.map { "refused, the table in force stays: \($0)" } ?? "ok"
        }
    }
}

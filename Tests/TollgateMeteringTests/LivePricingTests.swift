import Foundation
import Testing
import TollgateCore
import TollgateDefaults
import TollgateStreaming

@testable import TollgateMetering

@Suite("A live pricing table: checked swaps, refusals that keep the old table, streams keep their version")
struct LivePricingTests {
    /// The shipped folder plus a version from 2026-01-01 that raises gpt-4.1's output to $9.
    static func raised() -> [PricingFile] {
        let shipped = ShippedData.pricingTableFiles
        let old = shipped.first { $0.path == "prices/2025-10-01.json" }!.contents
        let new = old.replacingOccurrences(of: #""version": "2025-10-01""#, with: #""version": "2026-01-01""#)
            .replacingOccurrences(of: #""effective_from": "2025-10-01T00:00:00Z""#, with: #""effective_from": "2026-01-01T00:00:00Z""#)
            .replacingOccurrences(of: #""supersedes": null"#, with: #""supersedes": "2025-10-01""#)
            .replacingOccurrences(of: #""output": "8.00""#, with: #""output": "9.00""#)
        return shipped + [PricingFile(path: "prices/2026-01-01.json", contents: new)]
    }

    @Test("a changed folder that passes is put in force; one that fails is refused with every problem and the old table stays")
    func reloadOutcomes() throws {
        let shipped = ShippedData.pricingTableFiles
        let live = LivePricing(try PricingTable.load(shipped), files: shipped)
        #expect(live.reload(shipped) == .unchanged)
        let broken = shipped.map { $0.path == "models.json" ? PricingFile(path: $0.path, contents: "{") : $0 }
        guard case .refused(let why) = live.reload(broken) else {
            Issue.record("a broken folder was accepted")
            return
        }
        #expect(why.contains("models.json: not valid JSON"))
        #expect(live.status.refusal == why)
        #expect(live.table == (try PricingTable.load(shipped)))
        #expect(live.reload(broken) == .unchanged)
        #expect(live.reload(broken, force: true) == .refused(why))
        #expect(live.reload(Self.raised()) == .replaced)
        #expect(live.status.refusal == nil)
        #expect(try live.table.priceVersion(at: Date(timeIntervalSince1970: 1_800_000_000)).id == "2026-01-01")
        live.refuse("cannot read the pricing folder")
        #expect(live.status.refusal == "cannot read the pricing folder")
        #expect(try live.table.priceVersion(at: Date(timeIntervalSince1970: 1_800_000_000)).id == "2026-01-01")
    }

    @Test("a stream admitted before a reload settles under the table it was admitted with; the next one under the new")
    func admittedKeepsVersion() async throws {
        try await MeteredHarness.run { harness async throws in
            let live = LivePricing(harness.pricing)
            let base = harness.client()
            let client = MeteredClient(
                store: harness.ledger,
                livePricing: live,
                tokenizers: base.tokenizers,
                upstream: base.upstream,
                writer: harness.writer
            )
            let request = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 16)
            let first = try await client.stream(teamID: harness.team.id, keyID: nil, request: request)
            #expect(live.reload(Self.raised()) == .replaced)
            let firstResult = await collect(first)
            #expect(firstResult.error == nil)
            let second = await collect(try await client.stream(teamID: harness.team.id, keyID: nil, request: request))
            #expect(second.error == nil)
            let entries = try await harness.entries()
            #expect(entries.map(\.priceVersion) == ["2025-10-01", "2026-01-01"])
            let summary = try #require(second.summary)
            let raised = try live.table.valuation(of: summary.usage, model: "gpt-4.1", at: Date())
            #expect(entries.last?.chargeCNY == raised.paidCNY)
            #expect(raised.priceVersion == "2026-01-01")
        }
    }
}

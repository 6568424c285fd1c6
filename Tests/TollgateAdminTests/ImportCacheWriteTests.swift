import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateAdmin

@Suite("Ledger import: cache writes, exported entries")
struct ImportCacheWriteTests {
    func lines(_ rows: [String]) -> Data { Data(rows.joined(separator: "\n").utf8) }

    @Test("cache_write_5m_tokens and cache_write_1h_tokens are read as parts of the input and priced at the cache-write prices")
    func cacheWritesPriced() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        // Sonnet 4.5: 400k plain at $3 (1.20) + 300k cached at $0.30 (0.09) + 200k 5m at $3.75 (0.75) + 100k 1h at $6 (0.60).
        let summary = try await fixture.admin.importUsage(
            lines([
                #"{"team":"research","model":"claude-sonnet-4.5","input_tokens":1000000,"cached_input_tokens":300000,"cache_write_5m_tokens":200000,"cache_write_1h_tokens":100000,"output_tokens":0,"occurred_at":"2026-11-03T10:00:00Z"}"#
            ])
        )
        #expect(summary.totalUSD.decimalString == "2.64")
        let entry = try #require(try await fixture.ledger.entries(teamID: nil, from: nil, to: nil, limit: 1).first)
        #expect(entry.usage.cacheWrite5mTokens == 200_000 && entry.usage.cacheWrite1hTokens == 100_000 && entry.usage.cachedInputTokens == 300_000)
    }

    @Test("a line written before the cache-write fields imports with them as 0, at the plain input price")
    func olderLines() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let summary = try await fixture.admin.importUsage(
            lines([
                #"{"team":"research","model":"claude-sonnet-4.5","input_tokens":1000000,"output_tokens":0,"cached_input_tokens":0,"occurred_at":"2026-11-03T10:00:00Z"}"#
            ])
        )
        #expect(summary.totalUSD.decimalString == "3.00")
        let entry = try #require(try await fixture.ledger.entries(teamID: nil, from: nil, to: nil, limit: 1).first)
        #expect(entry.usage.cacheWrite5mTokens == 0 && entry.usage.cacheWrite1hTokens == 0 && entry.usage.reasoningTokens == 0)
    }

    @Test("negative, oversized, mistyped cache writes and exported adjustments are refused per line; nothing already recorded is lost")
    func badCacheWrites() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let kept =
            #"{"team":"research","model":"claude-sonnet-4.5","input_tokens":10,"cache_write_1h_tokens":10,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z","request_id":"kept"}"#
        _ = try await fixture.admin.importUsage(lines([kept]))
        let error = await #expect(throws: ImportError.self) {
            try await fixture.admin.importUsage(
                self.lines([
                    #"{"team":"research","model":"claude-sonnet-4.5","input_tokens":10,"cache_write_5m_tokens":-1,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"claude-sonnet-4.5","input_tokens":10,"cached_input_tokens":4,"cache_write_5m_tokens":4,"cache_write_1h_tokens":4,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"claude-sonnet-4.5","input_tokens":10,"cache_write_1h_tokens":"2","output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","kind":"credit","model":null,"input_tokens":0,"output_tokens":0,"occurred_at":"2026-11-03T10:00:00Z","charge_usd":"-1.00"}"#,
                    #"{"team":"research","model":"claude-sonnet-4.5","input_tokens":10,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                ])
            )
        }
        #expect(error?.problems.map(\.line) == [1, 2, 3, 4])
        let messages = error?.problems.map(\.message) ?? []
        #expect(messages[safe: 0]?.contains("cache_write_5m_tokens is -1: token counts are 0 or more") == true, "\(messages)")
        #expect(messages[safe: 1]?.contains("exceed input_tokens (10): they are parts of the input") == true, "\(messages)")
        #expect(messages[safe: 2]?.contains("'cache_write_1h_tokens' has the wrong type") == true, "\(messages)")
        #expect(messages[safe: 3]?.contains("kind 'credit' is not usage") == true, "\(messages)")
        let entries = try await fixture.ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
        #expect(entries.map(\.requestID) == ["kept"] && entries.first?.usage.cacheWrite1hTokens == 10)
    }

    @Test("a file that is one JSON array (a JSON listing of entries) imports element by element; a bad element is named by position")
    func jsonArray() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let array = """
            [
              {"id": 1, "team": "research", "kind": "usage", "model": "claude-sonnet-4.5", "input_tokens": 1000, "cache_write_5m_tokens": 500, "output_tokens": 10, "occurred_at": "2026-11-03T10:00:00Z", "request_id": "a"},
              {"id": 2, "team": "research", "kind": "usage", "model": "claude-sonnet-4.5", "input_tokens": 1000, "output_tokens": 10, "occurred_at": "2026-11-03T10:00:00Z", "request_id": null}
            ]
            """
        let summary = try await fixture.admin.importUsage(Data(array.utf8))
        #expect(summary.count == 2)
        let entries = try await fixture.ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
        #expect(entries.map(\.usage.cacheWrite5mTokens).sorted() == [0, 500])

        let bad =
            #"[{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}, 7, {"team":"ghost"}]"#
        let error = await #expect(throws: ImportError.self) { try await fixture.admin.importUsage(Data(bad.utf8)) }
        #expect(error?.problems.map { String($0.description.prefix(8)) } == ["entry 2:", "entry 3:"], "\(String(describing: error))")
        let notArray = await #expect(throws: ImportError.self) { try await fixture.admin.importUsage(Data("[{\"team\":".utf8)) }
        #expect(notArray?.description.contains("starts with '[' but is not a JSON array") == true)
        #expect(try await fixture.ledger.entryCount() == 2)
    }
}

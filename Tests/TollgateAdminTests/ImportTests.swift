import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateAdmin

@Suite("Ledger import")
struct ImportTests {
    func lines(_ rows: [String]) -> Data { Data(rows.joined(separator: "\n").utf8) }

    @Test("a good file is priced at the version in force at each occurred_at")
    func goodFile() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let summary = try await fixture.admin.importUsage(
            lines([
                #"{"team":"research","model":"gpt-4.1","input_tokens":1000000,"output_tokens":1000000,"cached_input_tokens":0,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                #"{"team":"research","model":"deepseek-v3.2","input_tokens":2000000,"output_tokens":0,"cached_input_tokens":1000000,"occurred_at":"2026-11-03T10:00:00+08:00","request_id":"x1"}"#,
                "",
            ])
        )
        #expect(summary.count == 2)
        #expect(summary.totalUSD.decimalString == "10.308")  // 2 + 8 + 0.28 + 0.028
        let entries = try await fixture.ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
        #expect(entries.allSatisfy { $0.priceVersion == "2025-10-01" && $0.fxVersion == "fx-2025-10-01" && $0.tokenSource == .imported })
        #expect(entries.map(\.baselineCNY.decimalString).sorted() == ["2.2484", "73.00"])
    }

    @Test("a dated snapshot is imported as its canonical model, at its price")
    func aliasImported() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let summary = try await fixture.admin.importUsage(
            lines([
                #"{"team":"research","model":"gpt-4.1-2025-04-14","input_tokens":1000000,"output_tokens":1000000,"occurred_at":"2026-11-03T10:00:00Z"}"#
            ])
        )
        #expect(summary.totalUSD.decimalString == "10.00")
        let entries = try await fixture.ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
        #expect(entries.map { $0.model?.rawValue } == ["gpt-4.1"])
    }

    @Test("one bad line means nothing is imported, and every bad line is named")
    func badLine() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let error = await #expect(throws: ImportError.self) {
            try await fixture.admin.importUsage(
                self.lines([
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4","input_tokens":1,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"ghost","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1.5,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"yesterday"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"cached_input_tokens":2,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"2020-01-01T00:00:00Z"}"#,
                    "not json",
                ])
            )
        }
        #expect(error?.problems.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9])
        #expect(error?.description.contains("nothing from this file was imported") == true)
        #expect(try await fixture.ledger.entryCount() == 0)
    }

    @Test("token counts past 10^12 (9e15, 2^62), costs past the amount bound and impossible dates are refused per line; nothing is written")
    func outOfRangeLines() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let error = await #expect(throws: ImportError.self) {
            try await fixture.admin.importUsage(
                self.lines([
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":0,"output_tokens":9e15,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":4611686018427387904,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":-5,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"99999-01-01T00:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"2026-11-20T00:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"1970-01-01T00:00:00Z"}"#,
                ])
            )
        }
        #expect(error?.problems.map(\.line) == [2, 3, 4, 5, 6, 7])
        let messages = error?.problems.map(\.message) ?? []
        #expect(messages.first?.contains("10^12") == true || messages.first?.contains("whole numbers") == true, "\(messages)")
        #expect(messages[safe: 1]?.contains("10^12") == true)
        #expect(messages[safe: 4]?.contains("now") == true)
        #expect(try await fixture.ledger.entryCount() == 0)
    }

    @Test("a file whose lines each fit but whose total cost passes the amount bound is refused whole")
    func fileTotalBound() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        // 10^12 output tokens of gpt-4.1 cost $8,000,000 each; 200 of them pass $10^9.
        let line = #"{"team":"research","model":"gpt-4.1","input_tokens":0,"output_tokens":1000000000000,"occurred_at":"2026-11-03T10:00:00Z"}"#
        let error = await #expect(throws: ImportError.self) {
            try await fixture.admin.importUsage(self.lines(Array(repeating: line, count: 200)))
        }
        #expect(error?.description.contains("in total") == true)
        #expect(try await fixture.ledger.entryCount() == 0)
        _ = try await fixture.admin.importUsage(lines(Array(repeating: line, count: 2)))
        #expect(try await fixture.ledger.entryCount() == 2)
    }

    @Test("reasoning_tokens is read as the reasoning part of the output, 0 when absent, and priced as output")
    func reasoningTokens() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let summary = try await fixture.admin.importUsage(
            lines([
                #"{"team":"research","model":"deepseek-v3.2","input_tokens":18,"output_tokens":219,"reasoning_tokens":205,"occurred_at":"2026-11-03T10:00:00Z","request_id":"r"}"#,
                #"{"team":"research","model":"deepseek-v3.2","input_tokens":18,"output_tokens":219,"occurred_at":"2026-11-03T10:00:00Z","request_id":"plain"}"#,
            ])
        )
        let entries = try await fixture.ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
        let reasoned = try #require(entries.first { $0.requestID == "r" })
        let plain = try #require(entries.first { $0.requestID == "plain" })
        #expect(reasoned.usage.reasoningTokens == 205 && reasoned.usage.outputTokens == 219)
        #expect(plain.usage.reasoningTokens == 0)
        #expect(reasoned.chargeUSD == plain.chargeUSD && summary.count == 2)
    }

    @Test("reasoning_tokens past output_tokens, negative or not a whole number is refused per line; nothing already recorded is lost")
    func badReasoningTokens() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        _ = try await fixture.admin.importUsage(
            lines([
                #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":10,"reasoning_tokens":10,"occurred_at":"2026-11-03T10:00:00Z","request_id":"kept"}"#
            ])
        )
        let error = await #expect(throws: ImportError.self) {
            try await fixture.admin.importUsage(
                self.lines([
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":10,"reasoning_tokens":3,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":10,"reasoning_tokens":11,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":10,"reasoning_tokens":-1,"occurred_at":"2026-11-03T10:00:00Z"}"#,
                    #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":10,"reasoning_tokens":"4","occurred_at":"2026-11-03T10:00:00Z"}"#,
                ])
            )
        }
        #expect(error?.problems.map(\.line) == [2, 3, 4])
        let message = error?.problems.first?.message ?? ""
        #expect(
            message.contains("reasoning_tokens (11) must be between 0 and output_tokens (10)") && message.contains("leave the field out"),
            "\(message)"
        )
        #expect(error?.problems.last?.message.contains("'reasoning_tokens' has the wrong type") == true)
        let entries = try await fixture.ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
        #expect(entries.map(\.requestID) == ["kept"] && entries.first?.usage.reasoningTokens == 10)
    }

    @Test("an empty file is refused")
    func emptyFile() async throws {
        let fixture = try AdminFixture()
        await #expect(throws: ImportError.self) { try await fixture.admin.importUsage(Data("\n\n".utf8)) }
    }

    @Test("re-importing a request id already in the ledger is refused whole")
    func duplicateRequest() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let line =
            #"{"team":"research","model":"gpt-4.1","input_tokens":1,"output_tokens":1,"occurred_at":"2026-11-03T10:00:00Z","request_id":"same"}"#
        _ = try await fixture.admin.importUsage(lines([line]))
        await #expect(throws: LedgerError.self) { try await fixture.admin.importUsage(self.lines([line])) }
        #expect(try await fixture.ledger.entryCount() == 1)
    }
}

extension Array {
    /// The element at `index`, or nil past the end (a failed expectation instead of a trap).
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

import Foundation
import NIOCore
import Testing

@testable import TollgateGateway

@Suite("Receipt encoding (hand-written) against JSONEncoder")
struct CompletionReceiptTests {
    static let receipts = [
        CompletionReceipt(
            requestID: "0f6c2d1e-8a5b-4c3d-9e7f-123456789abc",
            cost: "0.000123456",
            currency: "CNY",
            listPriceUSD: "0.000017",
            priceVersion: "2026-11-01",
            fxVersion: "fx-2026-12-01",
            tokenSource: "upstream",
            outcome: "completed",
            reasoningTokens: nil
        ),
        CompletionReceipt(
            requestID: "id \"quoted\" \\ back/slash\n\t\u{01}",
            cost: "-1.5",
            currency: "USD",
            listPriceUSD: "12345678901234567890.123456789",
            priceVersion: "v/1 café 中文 🎉",
            fxVersion: "",
            tokenSource: "local",
            outcome: "budget_exceeded",
            reasoningTokens: 4096
        ),
    ]

    @Test("the receipt is byte-for-byte what JSONEncoder.gateway writes, with and without reasoning tokens", arguments: receipts)
    func matchesJSONEncoder(_ receipt: CompletionReceipt) throws {
        var written = ByteBuffer()
        receipt.write(into: &written)
        #expect(Array(written.readableBytesView) == Array(try JSONEncoder.gateway.encode(receipt)))
    }

    @Test("the receipt becomes the upstream object's last member; an empty object gets it alone; a non-object is refused")
    func splicedIntoTheUpstreamObject() throws {
        let receipt = Self.receipts[0]
        var expected = ByteBuffer()
        receipt.write(into: &expected)
        let tail = String(buffer: expected)
        #expect(
            String(buffer: try ReceiptSplice.adding(receipt, to: ByteBuffer(string: #"{"id":"x","usage":{"total_tokens":3}} "#)))
                == #"{"id":"x","usage":{"total_tokens":3},"tollgate":"# + tail + "} "
        )
        #expect(String(buffer: try ReceiptSplice.adding(receipt, to: ByteBuffer(string: "{ }"))) == #"{ "tollgate":"# + tail + "}")
        #expect(throws: GatewayFailure.self) { try ReceiptSplice.adding(receipt, to: ByteBuffer(string: "[1]")) }
    }
}

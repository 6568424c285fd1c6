import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts an alert body to a webhook and answers the HTTP status; the edge `BudgetAlertService`
/// talks through, so its retry logic is testable with any receiver.
public protocol AlertWebhookSending: Sendable {
    /// POSTs `body` (JSON) with `headers` to `url`; throws when no answer arrived in `timeout`.
    func post(_ body: Data, to url: String, headers: [(String, String)], timeout: Duration) async throws -> Int
}

/// Sends webhooks with AsyncHTTPClient's shared client.
public struct HTTPAlertWebhookSender: AlertWebhookSending {
    /// Creates the sender.
    public init() {}

    /// POSTs the body and drains the answer (at most 64 KiB is read).
    public func post(_ body: Data, to url: String, headers: [(String, String)], timeout: Duration) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "tollgate-alerts")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let millis = Int64(timeout.components.seconds) * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(max(millis, 1)))
        _ = try? await response.body.collect(upTo: 64 << 10)
        return Int(response.status.code)
    }
}

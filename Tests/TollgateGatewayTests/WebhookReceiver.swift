import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An in-process webhook endpoint on 127.0.0.1 (ephemeral port) that records every POST and
/// answers 500 to the first `failFirst` of them, each answer after `delay`.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        let body: Data
        let signature: String?
        let alertID: String?
    }

    private let received = Mutex<[Delivery]>([])
    private let answered = Mutex(0)
    let failFirst: Int
    let port: Int

    private init(port: Int, failFirst: Int) {
        self.port = port
        self.failFirst = failFirst
    }

    /// How many requests were answered (recorded ones may still be waiting out `delay`).
    var answeredCount: Int { answered.withLock { $0 } }

    var url: String { "http://127.0.0.1:\(port)/hooks/tollgate" }
    var deliveries: [Delivery] { received.withLock { $0 } }

    /// Waits until `count` deliveries arrived (or 15 s passed) and returns them all.
    func wait(for count: Int) async throws -> [Delivery] {
        let deadline = ContinuousClock.now + .seconds(15)
        while deliveries.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return deliveries
    }

    static func run<T: Sendable>(failFirst: Int = 0, delay: Duration = .zero, _ body: @Sendable (WebhookReceiver) async throws -> T) async throws -> T
    {
        let box = Mutex<WebhookReceiver?>(nil)
        let router = Router()
        router.post("/hooks/tollgate") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            guard let receiver = box.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            let index = receiver.received.withLock { list in
                list.append(
                    Delivery(
                        body: Data(buffer: bytes),
                        signature: request.headers[.init("X-Tollgate-Signature")!],
                        alertID: request.headers[.init("X-Tollgate-Alert-Id")!]
                    )
                )
                return list.count
            }
            if delay > .zero { try? await Task.sleep(for: delay) }
            receiver.answered.withLock { $0 += 1 }
            return Response(status: index <= receiver.failFirst ? .internalServerError : .noContent)
        }
        return try await LoopbackServer.run(router, label: "tests.webhook-receiver") { port in
            let receiver = WebhookReceiver(port: port, failFirst: failFirst)
            box.withLock { $0 = receiver }
            return try await body(receiver)
        }
    }
}

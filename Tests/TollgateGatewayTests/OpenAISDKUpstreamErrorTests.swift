import Foundation
import Testing

/// The official OpenAI Python SDK (pip `openai`) against the gateway over an upstream that refuses:
/// it raises the error it would raise against OpenAI, and its own retry honours `Retry-After`.
@Suite(
    "OpenAI Python SDK over an upstream that refuses",
    .enabled(if: PythonClient.openAIReady, "python3 with the openai package is required: pip install openai")
)
struct OpenAISDKUpstreamErrorTests {
    struct Output: Decodable {
        let ok: Bool
        let text: String?
        let error_class: String?
        let status: Int?
        let retry_after: String?
        let request_id: String?
        let elapsed: Double
    }

    static let script = PythonClient.scripts.appendingPathComponent("openai_upstream_errors.py").path

    func run(_ harness: GatewayHarness, _ extra: [String] = []) async throws -> Output {
        let result = try await PythonClient.runOffPool(
            ["python3", Self.script, "--base-url", "\(harness.base)/v1", "--key", harness.alphaKey] + extra
        )
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
    }

    static let rateLimited = UpstreamErrorTests.errorBody("Rate limit reached for requests", type: "rate_limit_error", code: "rate_limit_exceeded")

    @Test("an upstream 429 is the SDK's RateLimitError with Retry-After and the request id", arguments: [true, false])
    func rateLimitError(stream: Bool) async throws {
        try await ScriptedUpstream.run([.status(429, headers: [("Retry-After", "2")], body: Self.rateLimited)]) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let output = try await run(harness, stream ? [] : ["--no-stream"])
                #expect(output.error_class == "RateLimitError")
                #expect(output.status == 429)
                #expect(output.retry_after == "2")
                #expect(output.request_id != nil)
            }
        }
    }

    @Test("the SDK retries an upstream 429 after its Retry-After and gets the answer; only the answer is billed", arguments: [true, false])
    func retriesAfterRetryAfter(stream: Bool) async throws {
        let script: [ScriptedUpstream.Answer] = [
            .status(429, headers: [("Retry-After", "2")], body: Self.rateLimited), .stream("hello after waiting"),
        ]
        try await ScriptedUpstream.run(script) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let output = try await run(harness, ["--max-retries", "2"] + (stream ? [] : ["--no-stream"]))
                #expect(output.ok)
                #expect(output.text == "hello after waiting")
                #expect(output.elapsed >= 1.9, "the SDK waited out Retry-After: \(output.elapsed) s")
                #expect(upstream.requests == 2)
                let entries = try await UpstreamErrorTests.entries(harness, count: 2)
                #expect(entries.compactMap(\.outcome).sorted() == ["completed", "upstream_refused"])
                #expect(entries.first { $0.outcome == "upstream_refused" }?.chargeCNY.nanos == 0)
                #expect((entries.first { $0.outcome == "completed" }?.chargeCNY.nanos ?? 0) > 0)
            }
        }
    }

    @Test(
        "upstream statuses become the SDK's own error classes",
        arguments: [
            (400, "BadRequestError"), (404, "NotFoundError"), (422, "UnprocessableEntityError"), (500, "InternalServerError"),
            (503, "InternalServerError"),
            (401, "InternalServerError"),
        ]
    )
    func errorClasses(status: Int, errorClass: String) async throws {
        let body = UpstreamErrorTests.errorBody("upstream says \(status)", type: "invalid_request_error", code: "code_\(status)")
        try await ScriptedUpstream.run([.status(status, body: body)]) { upstream in
            try await GatewayHarness.run(route: upstream.route()) { harness in
                let output = try await run(harness)
                #expect(output.error_class == errorClass)
                // An upstream 401 is the gateway's own key refused: the client sees 502.
                #expect(output.status == (status == 401 ? 502 : status))
            }
        }
    }
}

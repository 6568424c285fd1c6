import Foundation
import Logging
import Testing
import TollgateGateway
import TollgateLedger
import TollgateRelaySim
import TollgateStorage

@testable import TollgateCLI

@Suite(
    "tollgate serve",
    .enabled(if: Curl.available, "curl is required to talk to the served gateway")
)
struct ServeCommandTests {
    static let upstreamKey = "sk-upstream-must-not-leak-91c2"

    func environment(_ cli: CLIRunner) -> [String: String] {
        ["TOLLGATE_DB": cli.db, "TOLLGATE_UPSTREAM_KEY": Self.upstreamKey]
    }

    @Test("a first run with no configuration serves from the simulator, creates a demo key, prints a curl line; SIGTERM exits cleanly")
    func firstRun() async throws {
        let cli = try CLIRunner()
        let serve = try ServeProcess([], environment: environment(cli))
        let port = try await serve.port()
        let output = serve.output
        #expect(output.contains("first run: created team 'demo'"))
        #expect(output.contains("curl -N http://127.0.0.1:\(port)/v1/chat/completions"))
        #expect(output.contains("admin API disabled: set TOLLGATE_ADMIN_TOKEN"))
        #expect(serve.errors.contains("built-in relay SIMULATOR"))
        let key = try #require(
            output.split(separator: "\n").first { $0.hasPrefix("  ") && !$0.contains("curl") && !$0.contains("-d ") }?
                .trimmingCharacters(in: .whitespaces)
        )
        let streamed = try await Curl.stream(port: port, key: key)
        #expect(streamed.hasSuffix("data: [DONE]\n\n"), "\(streamed)")
        #expect(streamed.contains("\"tollgate\""))
        #expect(output.contains("Prometheus metrics: http://127.0.0.1:\(port)/metrics"))
        let metrics = try await Curl.run(["-s", "http://127.0.0.1:\(port)/metrics"])
        #expect(metrics.contains(#"tollgate_settlements_total{team="demo",model="gpt-4.1",outcome="completed"} 1"#), "\(metrics)")
        let limit = metrics.split(separator: "\n").first { $0.hasPrefix(#"tollgate_budget_limit_nanos{team="demo",currency="CNY"} "#) }
        #expect(limit?.split(separator: " ").last.flatMap { Double($0) } == 50_000_000_000)
        #expect(try await serve.terminate() == 0)
        let entries = try await SQLiteLedger(path: cli.db).entries(teamID: nil, from: nil, to: nil, limit: 10)
        #expect(entries.count == 1)
        #expect(entries.first?.outcome == "completed")
        for text in [serve.output, serve.errors, streamed] { #expect(!text.contains(Self.upstreamKey)) }

        let again = try ServeProcess([], environment: environment(cli))
        _ = try await again.port()
        #expect(!again.output.contains("first run"))
        #expect(again.output.contains("Bearer <team key>"))
        #expect(try await again.terminate() == 0)
    }

    @Test("serve refuses a --tokenizer-dir that does not exist rather than quietly counting with the built-in vocabularies")
    func missingVocabularyFolder() async throws {
        let cli = try CLIRunner()
        let result = try await cli.run(["serve", "--port", "0", "--tokenizer-dir", "/nonexistent"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--tokenizer-dir /nonexistent: no such folder"), "\(result.stderr)")
        #expect(result.stderr.contains(".tiktoken") && result.stderr.contains("tokenizer.json"))
    }

    @Test("on SIGTERM an open stream finishes within the grace period and is settled before exit")
    func gracefulShutdownLetsStreamsFinish() async throws {
        try await shutdown(grace: 20, expectOutcome: "completed")
    }

    @Test("a stream still open when the grace period ends is stopped with a gateway_shutdown event and settled for what was delivered")
    func gracefulShutdownCutsAfterGrace() async throws {
        try await shutdown(grace: 1, expectOutcome: "shutdown")
    }

    @Test(
        "a WebSocket turn open at SIGTERM finishes within the grace period, is settled as completed, then the session closes with gateway_shutdown",
        .enabled(if: Curl.pythonWebSocketReady, "python3 with the websocket-client module is required: pip install websocket-client")
    )
    func gracefulShutdownLetsWebSocketTurnsFinish() async throws {
        let ended = try await webSocketShutdown(grace: 20)
        #expect(ended.flow["done"] is [String: Any], "the turn ran to message_done: \(ended.flow)")
        #expect(ended.errorCodes == ["gateway_shutdown"], "\(ended.flow)")
        #expect(ended.flow["close_code"] as? Int == 1001)
        #expect(ended.entries.count == 1, "every stream is settled before exit")
        #expect(ended.entries.first?.outcome == "completed")
    }

    @Test(
        "a WebSocket turn still open when the grace period ends is cut with a gateway_shutdown error event, closed 1001, settled as shutdown",
        .enabled(if: Curl.pythonWebSocketReady, "python3 with the websocket-client module is required: pip install websocket-client")
    )
    func gracefulShutdownCutsWebSocketTurnsAfterGrace() async throws {
        let ended = try await webSocketShutdown(grace: 1)
        #expect(ended.stoppedAfter < .seconds(6))
        #expect(ended.flow["done"] is NSNull, "a cut turn has no message_done: \(ended.flow)")
        #expect(ended.errorCodes == ["gateway_shutdown"], "\(ended.flow)")
        let error = try #require((ended.flow["errors"] as? [[String: Any]])?.first)
        #expect(error["status"] as? Int == 503)
        #expect(Int(error["delivered_output_tokens"] as? String ?? "") ?? 0 > 0, "the error says what was delivered: \(error)")
        #expect(error["cost"] is String)
        #expect(ended.flow["close_code"] as? Int == 1001)
        #expect(ended.entries.count == 1, "every stream is settled before exit")
        #expect(ended.entries.first?.outcome == "shutdown")
        #expect((ended.entries.first?.usage.outputTokens ?? 0) > 0)
        #expect("\(ended.entries.first?.usage.outputTokens ?? -1)" == error["delivered_output_tokens"] as? String, "billed what the error reported")
    }

    @Test(
        "an idle WebSocket session is closed at once on SIGTERM with gateway_shutdown, without waiting for the grace period",
        .enabled(if: Curl.pythonWebSocketReady, "python3 with the websocket-client module is required: pip install websocket-client")
    )
    func gracefulShutdownClosesIdleWebSockets() async throws {
        let ended = try await webSocketShutdown(grace: 30, idle: true)
        #expect(ended.stoppedAfter < .seconds(15), "an idle session must not hold the gateway for its 30 s grace")
        #expect(ended.flow["events"] as? [String] == ["session_established", "error"], "\(ended.flow)")
        #expect(ended.errorCodes == ["gateway_shutdown"])
        #expect(ended.flow["close_code"] as? Int == 1001)
        #expect(ended.entries.isEmpty, "an idle session owes nothing")
    }

    /// How a WebSocket session held across SIGTERM ended, from the client's side and in the ledger.
    private struct WebSocketShutdown: Sendable {
        let output: String
        let stoppedAfter: Duration
        let entries: [LedgerEntry]
        var flow: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]) ?? [:] }
        var errorCodes: [String] { (flow["errors"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }
    }

    /// Streams ~3 s (60 pieces at 20/s) over the relay WebSocket through `serve --upstream` (or holds an
    /// idle session), sends SIGTERM a moment in, and collects what the client saw until the close.
    private func webSocketShutdown(grace: Int, idle: Bool = false) async throws -> WebSocketShutdown {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Python/ws_shutdown_flow.py").path
        let cli = try CLIRunner()
        let ready = cli.folder.appending(path: "session-ready").path
        var quiet = Logger(label: "sim")
        quiet.logLevel = .warning
        return try await withRelaySimulator(configuration: RelaySimulatorConfiguration(tokensPerSecond: 20, outputTokens: 60), logger: quiet) {
            simulatorPort in
            let serve = try ServeProcess(
                ["--upstream", "ws://127.0.0.1:\(simulatorPort)/v1/ws/stream", "--grace-seconds", "\(grace)"],
                environment: environment(cli)
            )
            let port = try await serve.port()
            let key = try #require(
                serve.output.split(separator: "\n").first { $0.hasPrefix("  ") && !$0.contains(" -") && !$0.contains("curl") }
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            )
            async let flow = Curl.runCapturing(
                ["python3", script, "--url", "ws://127.0.0.1:\(port)/v1/ws/stream", "--key", key, "--ready-file", ready]
                    + (idle ? ["--idle"] : [])
            )
            if idle {
                for _ in 0..<1500 where !FileManager.default.fileExists(atPath: ready) { try await Task.sleep(for: .milliseconds(10)) }
            } else {
                try await Self.waitUntilStreaming(cli)
            }
            let started = ContinuousClock.now
            #expect(try await serve.terminate() == 0, "\(serve.errors)")
            let stoppedAfter = ContinuousClock.now - started
            let (status, output) = try await flow
            #expect(status == 0, "the server never closed the connection: \(output)")
            #expect((try? JSONSerialization.jsonObject(with: Data(output.utf8))) is [String: Any], "the client printed no report: \(output)")
            let entries = try await SQLiteLedger(path: cli.db).entries(teamID: nil, from: nil, to: nil, limit: 10)
            return WebSocketShutdown(output: output, stoppedAfter: stoppedAfter, entries: entries)
        }
    }

    /// Waits until the served stream's progress in the ledger shows delivered tokens (a fixed sleep is
    /// not enough on a busy 2-core machine, where several gateways load vocabularies at once).
    static func waitUntilStreaming(_ cli: CLIRunner) async throws {
        let ledger = try SQLiteLedger(path: cli.db)
        for _ in 0..<1500 {
            if let open = try await ledger.openReservations(teamID: nil).first, open.usageSoFar.outputTokens > 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CLIFailure(description: "the stream never showed progress in the ledger")
    }

    /// Streams ~3 s (60 pieces at 20/s) through `serve --upstream`, sends SIGTERM a moment in.
    private func shutdown(grace: Int, expectOutcome: String) async throws {
        let cli = try CLIRunner()
        var quiet = Logger(label: "sim")
        quiet.logLevel = .warning
        let configuration = RelaySimulatorConfiguration(tokensPerSecond: 20, outputTokens: 60)
        try await withRelaySimulator(configuration: configuration, logger: quiet) { simulatorPort in
            let serve = try ServeProcess(
                ["--upstream", "ws://127.0.0.1:\(simulatorPort)/v1/ws/stream", "--grace-seconds", "\(grace)"],
                environment: environment(cli)
            )
            let port = try await serve.port()
            let key = try #require(
                serve.output.split(separator: "\n").first { $0.hasPrefix("  tg") || ($0.hasPrefix("  ") && !$0.contains(" ")) }.map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            )
            async let streamed = Curl.stream(port: port, key: key)
            try await Self.waitUntilStreaming(cli)
            let started = ContinuousClock.now
            #expect(try await serve.terminate() == 0, "\(serve.errors)")
            let stoppedAfter = ContinuousClock.now - started
            let body = try await streamed
            #expect(body.hasSuffix("data: [DONE]\n\n"), "\(body)")
            if expectOutcome == "shutdown" {
                #expect(stoppedAfter < .seconds(grace + 5))
                #expect(body.contains("\"code\":\"gateway_shutdown\""), "\(body)")
            }
            let entries = try await SQLiteLedger(path: cli.db).entries(teamID: nil, from: nil, to: nil, limit: 10)
            #expect(entries.count == 1, "every stream is settled before exit")
            #expect(entries.first?.outcome == expectOutcome)
            #expect((entries.first?.usage.outputTokens ?? 0) > 0)
        }
    }

}

@Suite("tollgate serve settings")
struct ServeSettingsTests {
    @Test("settings: a flag wins over TOLLGATE_*, which wins over the default; bad values say what to set")
    func precedence() throws {
        let environment = ["TOLLGATE_HOST": "0.0.0.0", "TOLLGATE_PORT": "9000", "TOLLGATE_GRACE_SECONDS": "3", "TOLLGATE_ADMIN_TOKEN": "t"]
        let defaults = try ServeSettings(host: nil, port: nil, graceSeconds: nil, environment: [:])
        #expect(defaults == (try ServeSettings(host: "127.0.0.1", port: 8080, graceSeconds: 10, environment: [:])))
        #expect(defaults.adminToken == nil)
        let fromEnvironment = try ServeSettings(host: nil, port: nil, graceSeconds: nil, environment: environment)
        #expect(fromEnvironment.host == "0.0.0.0" && fromEnvironment.port == 9000 && fromEnvironment.graceSeconds == 3)
        #expect(fromEnvironment.adminToken == "t")
        let fromFlags = try ServeSettings(host: "::1", port: 7000, graceSeconds: 0, environment: environment)
        #expect(fromFlags.host == "::1" && fromFlags.port == 7000 && fromFlags.graceSeconds == 0)
        #expect(throws: CLIError.self) { try ServeSettings(host: nil, port: nil, graceSeconds: nil, environment: ["TOLLGATE_PORT": "eighty"]) }
        #expect(throws: (any Error).self) { try Tollgate.parseAsRoot(["serve", "--port", "70000"]) }
    }

    @Test("/metrics: a token when TOLLGATE_METRICS_TOKEN is set; open on loopback or with TOLLGATE_METRICS_OPEN=1; else disabled")
    func metricsAccess() throws {
        func access(_ host: String?, _ environment: [String: String]) throws -> MetricsAccess {
            try ServeSettings(host: host, port: nil, graceSeconds: nil, environment: environment).metricsAccess
        }
        #expect(try access(nil, [:]) == .open)
        #expect(try access("::1", [:]) == .open)
        #expect(try access("0.0.0.0", [:]) == .disabled)
        #expect(try access("0.0.0.0", ["TOLLGATE_METRICS_OPEN": "1"]) == .open)
        #expect(try access("0.0.0.0", ["TOLLGATE_METRICS_TOKEN": "s"]) == .token("s"))
        #expect(try access(nil, ["TOLLGATE_METRICS_TOKEN": "s", "TOLLGATE_METRICS_OPEN": "1"]) == .token("s"))
        #expect(throws: CLIError.self) { try access("0.0.0.0", ["TOLLGATE_METRICS_OPEN": "yes please"]) }
    }
}

import Foundation
import Testing
import TollgateCore

/// `tollgate serve` as an operator runs it: webhooks and secret from flags and environment, a
/// Python receiver (standard library only) checking each signature, the dashboard over curl, and a
/// restart on the same ledger that sends nothing twice.
@Suite(
    "tollgate serve: budget alerts and dashboard",
    .enabled(if: Curl.available, "curl is required to talk to the served gateway")
)
struct ServeAlertsTests {
    static let receiver = """
        import hashlib, hmac, http.server, sys
        secret, log, portfile = sys.argv[1].encode(), sys.argv[2], sys.argv[3]
        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers['Content-Length']))
                good = self.headers.get('X-Tollgate-Signature') == 'sha256=' + hmac.new(secret, body, hashlib.sha256).hexdigest()
                with open(log, 'a') as out:
                    out.write(('signed ' if good else 'UNSIGNED ') + self.headers.get('X-Tollgate-Alert-Id', '-') + ' ' + body.decode() + '\\n')
                self.send_response(204)
                self.end_headers()
            def log_message(self, *args): pass
        server = http.server.HTTPServer(('127.0.0.1', 0), Hook)
        open(portfile, 'w').write(str(server.server_address[1]))
        server.serve_forever()
        """

    func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("crossing 50 and 80 % posts two signed alerts; /dashboard shows the team; a restart sends nothing again")
    func alertsEndToEnd() async throws {
        let cli = try CLIRunner()
        defer { withExtendedLifetime(cli) {} }  // its folder holds the receiver's log until the end
        let log = cli.folder.appending(path: "alerts.log").path
        let portFile = cli.folder.appending(path: "receiver.port").path
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", Self.receiver, "e2e-secret", log, portFile]
        // Its own output goes nowhere, so it never holds the test runner's pipes open.
        python.standardOutput = FileHandle.nullDevice
        python.standardError = FileHandle.nullDevice
        try python.run()
        defer {
            // SIGKILL: a child of the test runner may inherit SIGTERM ignored.
            kill(python.processIdentifier, SIGKILL)
            python.waitUntilExit()
        }
        var receiverPort: Int?
        for _ in 0..<500 where receiverPort == nil {
            receiverPort = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if receiverPort == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let hook = "http://127.0.0.1:\(try #require(receiverPort))/hook"

        _ = try await cli.ok(["team", "create", "e2e", "--budget", "1", "--currency", "CNY", "--period", "monthly"])
        let key = try await cli.ok(["key", "create", "--team", "e2e"]).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await cli.ok(["ledger", "adjust", "--team", "e2e", "--amount", "-0.85", "--currency", "CNY", "--reason", "billed elsewhere"])
        let environment = [
            "TOLLGATE_DB": cli.db,
            "TOLLGATE_ADMIN_TOKEN": "e2e-admin", "TOLLGATE_ALERT_SECRET": "e2e-secret",
        ]
        let serve = try ServeProcess(["--alert-webhook", hook], environment: environment)
        let port = try await serve.port()
        #expect(serve.output.contains("dashboard: open http://127.0.0.1:\(port)/dashboard?token=<TOLLGATE_ADMIN_TOKEN>"))
        #expect(try await Curl.stream(port: port, key: key, maxTokens: 10).hasSuffix("data: [DONE]\n\n"))
        for _ in 0..<1000 where lines(log).count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        let delivered = lines(log)
        #expect(delivered.count == 2 && delivered.allSatisfy { $0.hasPrefix("signed ") }, "\(delivered)")
        #expect(delivered.contains { $0.contains("\"threshold\":\"50\"") } && delivered.contains { $0.contains("\"threshold\":\"80\"") })
        let page = try await Curl.run(["-s", "http://127.0.0.1:\(port)/dashboard", "-H", "Authorization: Bearer e2e-admin"])
        #expect(page.contains("<td data-team=\"e2e\" data-field=\"budget\" class=\"num\">1.00 CNY</td>"))
        #expect(page.contains("<td>80%</td>"), "the raised alerts are listed")
        let refused = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/dashboard"])
        #expect(refused == "401")
        #expect(try await serve.terminate() == 0)

        let again = try ServeProcess(["--alert-webhook", hook], environment: environment)
        let secondPort = try await again.port()
        #expect(try await Curl.stream(port: secondPort, key: key, maxTokens: 10).hasSuffix("data: [DONE]\n\n"))
        try await Task.sleep(for: .seconds(2))
        #expect(lines(log).count == 2, "a restart claims nothing twice: \(lines(log))")
        #expect(try await again.terminate() == 0)
    }
}

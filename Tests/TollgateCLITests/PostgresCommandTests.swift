import Foundation
import Logging
import Testing
import TollgateLedgerPostgres
import TollgateLocalPostgres
import TollgateRelaySim

/// One throwaway cluster for the CLI's PostgreSQL tests (a fresh database per test).
enum CLIPostgres {
    static let server: LocalPostgresServer? = {
        do {
            let server = try LocalPostgresServer()
            atexit { CLIPostgres.server?.shutdown() }
            return server
        } catch {
            FileHandle.standardError.write(Data("PostgreSQL CLI tests SKIPPED: \(error)\n".utf8))
            return nil
        }
    }()
}

/// The CLI on PostgreSQL: `--database-url`/`TOLLGATE_DATABASE_URL`, `ledger migrate-to-postgres`,
/// and the gateway failing closed while the database is down.
@Suite("tollgate on PostgreSQL", .enabled(if: CLIPostgres.server != nil, "no local PostgreSQL could start: install Debian's postgresql package"))
struct PostgresCommandTests {
    @Test("migrate-to-postgres copies a SQLite ledger, totals verified; listings then read the same from PostgreSQL")
    func migrate() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        _ = try await cli.ok(["key", "create", "--team", "research", "--label", "ci"])
        _ = try await cli.ok(["team", "set-alerts", "research", "--thresholds", "60,90,exhausted"])
        _ = try await cli.ok(["ledger", "adjust", "--team", "research", "--amount", "-12.5", "--currency", "CNY", "--reason", "credit"])
        _ = try await cli.ok(["ledger", "generate", "--entries", "3000", "--teams", "3", "--months", "2", "--start", "2026-09", "--batch", "500"])
        let url = try #require(CLIPostgres.server).createDatabase()
        let copied = try await cli.run(["ledger", "migrate-to-postgres", "--db", cli.db, "--database-url", url])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stdout.contains("every total matches"))
        #expect(copied.stdout.contains("4 teams"))
        let postgres = ["TOLLGATE_DATABASE_URL": url]
        for command in [
            ["team", "list", "--format", "json"], ["ledger", "entries", "--limit", "5000"], ["key", "list"],
            ["report", "savings", "--month", "2026-10", "--format", "csv"], ["team", "alerts", "research"],
        ] {
            let fromSQLite = try await cli.run(command)
            let fromPostgres = try await cli.run(command, environment: postgres)
            #expect(fromPostgres.status == 0, "\(command): \(fromPostgres.stderr)")
            #expect(fromPostgres.stdout == fromSQLite.stdout, "\(command) differs")
        }
        let verify = try await cli.run(["report", "verify"], environment: postgres)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // New rows get ids after the copied ones.
        _ = try await cli.run(["team", "create", "after-copy", "--budget", "5", "--currency", "USD", "--period", "monthly"], environment: postgres)
        #expect(try await cli.run(["team", "show", "after-copy"], environment: postgres).status == 0)

        let again = try await cli.run(["ledger", "migrate-to-postgres", "--db", cli.db, "--database-url", url])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already has teams"))
    }

    @Test("ledger import reads reasoning_tokens on PostgreSQL too, and refuses a count past the output without losing anything")
    func importReasoning() async throws {
        let url = try #require(CLIPostgres.server).createDatabase()
        try await LedgerCommandTests.importReasoning(on: CLIRunner(), environment: ["TOLLGATE_DATABASE_URL": url])
    }

    @Test("migrate-to-postgres errors: no URL, no SQLite file, an unreachable database")
    func migrateErrors() async throws {
        let cli = try CLIRunner()
        let noURL = try await cli.run(["ledger", "migrate-to-postgres"], environment: ["TOLLGATE_DATABASE_URL": ""])
        #expect(noURL.status == 1)
        #expect(noURL.stderr.contains("--database-url"))
        let url = try #require(CLIPostgres.server).createDatabase()
        let noFile = try await cli.run([
            "ledger", "migrate-to-postgres", "--db", cli.folder.appending(path: "missing.sqlite").path, "--database-url", url,
        ])
        #expect(noFile.status == 1)
        #expect(noFile.stderr.contains("no SQLite ledger at"))
        _ = try await cli.ok(["team", "create", "a", "--budget", "1", "--currency", "CNY", "--period", "monthly"])
        let down = try await cli.run(["ledger", "migrate-to-postgres", "--db", cli.db, "--database-url", "postgres://postgres:hunter2@127.0.0.1:1/x"])
        #expect(down.status == 1)
        #expect(down.stderr.contains("PostgreSQL at postgres://postgres:***@127.0.0.1:1/x"))
        #expect(!down.stderr.contains("hunter2"))
    }

    @Test("--db and --database-url together are a usage error; a bad URL says what to write")
    func selection() async throws {
        let cli = try CLIRunner()
        let both = try await cli.run(["team", "list", "--db", cli.db, "--database-url", "postgres://x@127.0.0.1/y"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("pass one"))
        let bad = try await cli.run(["team", "list"], environment: ["TOLLGATE_DATABASE_URL": "http://nope"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("postgres://user:password@host:5432/database"))
    }

    @Test(
        "the gateway fails closed with 503 ledger_unavailable while PostgreSQL is down, and admits again when it is back",
        .enabled(if: Curl.available, "curl is required")
    )
    func failClosed() async throws {
        let server = try LocalPostgresServer()
        defer { server.shutdown() }
        let url = try server.createDatabase()
        let cli = try CLIRunner()
        let environment = ["TOLLGATE_DATABASE_URL": url]
        _ = try await cli.run(["team", "create", "t", "--budget", "5", "--currency", "CNY", "--period", "monthly"], environment: environment)
        let key = try await cli.run(["key", "create", "--team", "t"], environment: environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let serve = try ServeProcess([], environment: environment)
        let port = try await serve.port()
        #expect(try await Curl.stream(port: port, key: key, maxTokens: 20).hasSuffix("data: [DONE]\n\n"))
        try server.stopServer()
        let refused = try await Curl.run([
            "-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)/v1/chat/completions", "-H", "Authorization: Bearer \(key)",
            "-H", "Content-Type: application/json", "-d", #"{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}"#,
        ])
        #expect(refused.hasSuffix("\n503"), "\(refused)")
        #expect(refused.contains("ledger_unavailable"))
        let notReady = try await Curl.run(["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)/readyz"])
        #expect(notReady.hasSuffix("\n503") && notReady.contains("the ledger does not answer"), "\(notReady)")
        try server.startServer()
        var answered = ""
        for _ in 0..<40 where !answered.hasSuffix("data: [DONE]\n\n") {
            answered = try await Curl.stream(port: port, key: key, maxTokens: 20)
            if !answered.hasSuffix("data: [DONE]\n\n") { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(answered.hasSuffix("data: [DONE]\n\n"), "\(answered)")
        #expect(try await Curl.run(["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)/readyz"]).hasSuffix("\n200"))
        #expect(try await serve.terminate() == 0, "\(serve.errors)")
    }

    @Test(
        "a stream that ends while PostgreSQL is down is settled once it is back (the writer keeps retrying the commit)",
        .enabled(if: Curl.available, "curl is required")
    )
    func settleAcrossRestart() async throws {
        let server = try LocalPostgresServer()
        defer { server.shutdown() }
        let url = try server.createDatabase()
        let cli = try CLIRunner()
        let environment = ["TOLLGATE_DATABASE_URL": url]
        _ = try await cli.run(["team", "create", "t", "--budget", "5", "--currency", "CNY", "--period", "monthly"], environment: environment)
        let key = try await cli.run(["key", "create", "--team", "t"], environment: environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var quiet = Logger(label: "sim")
        quiet.logLevel = .warning
        try await withRelaySimulator(configuration: RelaySimulatorConfiguration(tokensPerSecond: 40, outputTokens: 40), logger: quiet) {
            simulatorPort in
            let serve = try ServeProcess(["--upstream", "ws://127.0.0.1:\(simulatorPort)/v1/ws/stream"], environment: environment)
            let port = try await serve.port()
            async let streamed = Curl.stream(port: port, key: key)
            // Down before the 1-second stream ends, so its settlement meets the outage.
            try await Task.sleep(for: .milliseconds(300))
            try server.stopServer()
            try await Task.sleep(for: .milliseconds(3000))
            try server.startServer()
            #expect(try await streamed.hasSuffix("data: [DONE]\n\n"))
            let ledger = try await PostgresLedger.connect(url: url)
            var entries = try await ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
            // The pool reconnects with backoff after the outage; a loaded machine (the whole suite
            // running) has needed tens of seconds, so allow 90 s before calling the settlement lost.
            for _ in 0..<360 where entries.isEmpty {
                try await Task.sleep(for: .milliseconds(250))
                entries = try await ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
            }
            #expect(entries.count == 1, "no settlement 90 s after the database came back; gateway log: \(serve.errors)")
            #expect(entries.first?.outcome == "completed")
            #expect(entries.first?.usage.outputTokens == 40)
            #expect(try await ledger.openReservations(teamID: nil).isEmpty)
            ledger.close()
            #expect(try await serve.terminate() == 0, "\(serve.errors)")
        }
    }
}

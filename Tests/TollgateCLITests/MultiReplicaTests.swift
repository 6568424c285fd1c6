import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Testing
import TollgateCore
import TollgateLedgerPostgres
import TollgateLocalPostgres
import TollgateRelaySim
import TollgateStorage

/// Several `tollgate serve` processes (the built binary) on one PostgreSQL database and one team
/// budget, as a scaled-out deployment runs them.
@Suite("Replicas on one PostgreSQL")
struct MultiReplicaTests {
    enum Outcome: Sendable { case completed, refused, busy, failed }

    static func stream(_ http: HTTPClient, port: Int, key: String) async -> Outcome {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(string: #"{"model":"gpt-4.1","stream":true,"max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}"#)
        )
        do {
            let response = try await http.execute(request, timeout: .seconds(120))
            var body = ""
            for try await chunk in response.body { body += String(buffer: chunk) }
            if response.status.code == 402 { return .refused }
            // Unspent money held by streams in flight, still so after the admission wait.
            if response.status.code == 429 { return .busy }
            return response.status.code == 200 && body.hasSuffix("data: [DONE]\n\n") ? .completed : .failed
        } catch {
            return .failed
        }
    }

    @Test(
        "1,000 streams over three replicas on one budget: settled spend ≤ budget, nothing reserved at rest; a SIGKILLed replica's holds are reclaimed by another"
    )
    func oneBudgetThreeReplicas() async throws {
        let server: LocalPostgresServer
        do {
            server = try LocalPostgresServer()
        } catch {
            FileHandle.standardError.write(Data("multi-replica test SKIPPED: a local PostgreSQL could not start: \(error)\n".utf8))
            return
        }
        defer { server.shutdown() }
        let url = try server.createDatabase()
        let cli = try CLIRunner()
        let environment = ["TOLLGATE_DATABASE_URL": url, "TOLLGATE_LEASE_SECONDS": "3"]
        let created = try await cli.run(
            ["team", "create", "shared", "--budget", "0.3", "--currency", "CNY", "--period", "monthly"],
            environment: environment
        )
        #expect(created.status == 0, "\(created.stderr)")
        let key = try await cli.run(["key", "create", "--team", "shared"], environment: environment).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines
        )
        #expect(key.hasPrefix("tg_"))

        var quiet = Logger(label: "sim")
        quiet.logLevel = .warning
        let configuration = RelaySimulatorConfiguration(tokensPerSecond: 150, outputTokens: 100)
        try await withRelaySimulator(configuration: configuration, logger: quiet) { simulatorPort in
            let replicas = try (0..<3).map { _ in
                try ServeProcess(["--upstream", "ws://127.0.0.1:\(simulatorPort)/v1/ws/stream"], environment: environment)
            }
            var ports: [Int] = []
            for replica in replicas { ports.append(try await replica.port()) }
            var httpConfiguration = HTTPClient.Configuration()
            httpConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 400)
            let ledger = try await PostgresLedger.connect(url: url)
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
            let team: Team
            do {
                team = try await ledger.team(named: "shared")
            } catch {
                try await http.shutdown()
                throw error
            }
            let victim = replicas[2].process.processIdentifier

            let outcomes = await withTaskGroup(of: Outcome?.self) { group in
                for index in 0..<1000 {
                    let port = ports[index % 3]
                    group.addTask { await Self.stream(http, port: port, key: key) }
                }
                group.addTask {
                    // Kill the third replica while it holds reservations for streams in flight.
                    for _ in 0..<600 {
                        let open = (try? await ledger.openReservations(teamID: team.id).count) ?? 0
                        if open >= 30 { break }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                    try? await Task.sleep(for: .milliseconds(300))
                    kill(victim, SIGKILL)
                    return nil
                }
                return await group.reduce(into: [Outcome]()) { if let outcome = $1 { $0.append(outcome) } }
            }
            try await http.shutdown()
            #expect(outcomes.count == 1000)
            let completed = outcomes.filter { $0 == .completed }.count
            let refused = outcomes.filter { $0 == .refused || $0 == .busy }.count
            #expect(completed > 0 && refused > 0, "completed \(completed), refused \(refused), failed \(outcomes.count - completed - refused)")

            // The killed replica's holds lapse after 3 s and a surviving replica's reclaimer settles them.
            var open = try await ledger.openReservations(teamID: team.id)
            for _ in 0..<200 where !open.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                open = try await ledger.openReservations(teamID: team.id)
            }
            #expect(open.isEmpty, "\(open.count) holds still open")
            #expect(try await ledger.reserved(teamID: team.id, currency: .cny) == .zero(.cny))
            let window = team.budget.window(at: Date())
            let spent = try await ledger.spend(teamID: team.id, currency: .cny, in: window)
            #expect(spent <= team.budget.limit, "spent \(spent) of \(team.budget.limit)")
            let entries = try await ledger.entries(teamID: team.id, from: nil, to: nil, limit: 10_000)
            #expect(entries.reduce(0) { $0 + $1.chargeCNY.nanos } == spent.nanos)
            #expect(entries.contains { $0.outcome == "reclaimed" }, "no hold of the killed replica was reclaimed")
            #expect(entries.count >= completed)
            #expect(try await ledger.verifyRollup(from: nil, to: nil).matches)
            ledger.close()
            for replica in replicas.prefix(2) { #expect(try await replica.terminate() == 0, "\(replica.errors)") }
        }
    }
}

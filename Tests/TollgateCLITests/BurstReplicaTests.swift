import Foundation
import Logging
import Testing
import TollgateCore
import TollgateLedger
import TollgateLedgerPostgres
import TollgateRelaySim

/// The issue's burst on two `tollgate serve` replicas sharing one PostgreSQL budget, driven by the
/// official OpenAI Python SDK with its default retries.
@Suite("The burst on two replicas")
struct BurstReplicaTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Python/openai_burst.py").path

    /// Runs the burst script off the cooperative pool; returns its exit status and JSON line.
    static func burst(port: Int, key: String, streams: Int) async throws -> (status: Int32, output: String) {
        try await OffPool.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, "--base-url", "http://127.0.0.1:\(port)/v1", "--key", key,
                                 "--streams", String(streams), "--max-tokens", "1000"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    @Test("300 concurrent max_tokens 1000 streams with short answers on $1, split over two replicas: no 402, all complete, spent ≤ $1")
    func twoReplicas() async throws {
        guard try await OffPool.run({ Process.python3Has("openai") }) else {
            FileHandle.standardError.write(Data("burst replica test SKIPPED: python3 with the openai package is required\n".utf8))
            return
        }
        let server: LocalPostgresServer
        do {
            server = try LocalPostgresServer()
        } catch {
            FileHandle.standardError.write(Data("burst replica test SKIPPED: a local PostgreSQL could not start: \(error)\n".utf8))
            return
        }
        defer { server.shutdown() }
        let url = try server.createDatabase()
        let cli = try CLIRunner()
        let environment = ["TOLLGATE_DATABASE_URL": url]
        let created = try await cli.run(["team", "create", "burst", "--budget", "1", "--currency", "USD", "--period", "monthly"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        let key = try await cli.run(["key", "create", "--team", "burst"], environment: environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        var quiet = Logger(label: "sim")
        quiet.logLevel = .warning
        try await withRelaySimulator(configuration: RelaySimulatorConfiguration(outputTokens: 32), logger: quiet) { simulatorPort in
            let replicas = try (0..<2).map { _ in
                try ServeProcess(["--upstream", "ws://127.0.0.1:\(simulatorPort)/v1/ws/stream"], environment: environment)
            }
            var ports: [Int] = []
            for replica in replicas { ports.append(try await replica.port()) }
            async let first = Self.burst(port: ports[0], key: key, streams: 150)
            async let second = Self.burst(port: ports[1], key: key, streams: 150)
            let results = try await [first, second]
            for replica in replicas { _ = try await replica.terminate() }
            for result in results {
                #expect(result.status == 0, "\(result.output)")
                #expect(result.output.contains(#""completed": 150"#), "\(result.output)")
                #expect(result.output.contains(#""errors": {}"#), "\(result.output)")
            }
            print("burst on two replicas: \(results.map(\.output))")
        }
        let ledger = try await PostgresLedger.connect(url: url)
        let team = try await ledger.team(named: "burst")
        let entries = try await ledger.entries(teamID: team.id, from: nil, to: nil, limit: 10_000)
        #expect(entries.count == 300)
        #expect(entries.allSatisfy { $0.outcome == "completed" })
        let spent = try await ledger.spend(teamID: team.id, currency: .usd, in: team.budget.window(at: Date()))
        #expect(spent <= team.budget.limit, "spent \(spent)")
        #expect(try await ledger.reserved(teamID: team.id, currency: .usd) == .zero(.usd))
    }
}

extension Process {
    /// Whether `python3 -c "import MODULE"` succeeds.
    static func python3Has(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

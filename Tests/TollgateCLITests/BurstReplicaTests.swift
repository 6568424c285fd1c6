import AsyncHTTPClient
import Foundation
import Logging
import Testing
import TollgateCore
import TollgateDefaults
import TollgateLedgerPostgres
import TollgateLocalPostgres
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
            process.arguments = [
                "python3", script, "--base-url", "http://127.0.0.1:\(port)/v1", "--key", key,
                "--streams", String(streams), "--max-tokens", "1000",
            ]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    @Test(
        "300 concurrent max_tokens 1000 streams with short answers on $1, split over two replicas: no 402, all complete, spent ≤ $1",
        arguments: [HoldPolicy.worstCase, .expected]
    )
    func twoReplicas(policy: HoldPolicy) async throws {
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
        let created = try await cli.run(
            [
                "team", "create", "burst", "--budget", "1", "--currency", "USD", "--period", "monthly",
                "--hold", policy.rawValue,
            ],
            environment: environment
        )
        #expect(created.status == 0, "\(created.stderr)")
        if policy == .expected { try await Self.seedShortAnswers(url: url) }
        let key = try await cli.run(["key", "create", "--team", "burst"], environment: environment).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines
        )

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
            if policy == .expected {
                // Under expected holds nothing waits or retries: each replica admitted every request at once.
                for port in ports {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
                    request.method = .GET
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                    let exposition = String(buffer: try await response.body.collect(upTo: 8 << 20))
                    let admissions = exposition.split(separator: "\n").filter {
                        $0.hasPrefix("tollgate_admissions_total{") && $0.contains(#"team="burst""#)
                    }
                    #expect(!admissions.isEmpty && admissions.allSatisfy { $0.contains(#"outcome="admitted""#) }, "\(admissions)")
                }
            }
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
            .filter { !($0.requestID ?? "").hasPrefix("seed-") }
        #expect(entries.count == 300)
        #expect(entries.allSatisfy { $0.outcome == "completed" })
        let spent = try await ledger.spend(teamID: team.id, currency: .usd, in: team.budget.window(at: Date()))
        #expect(spent <= team.budget.limit, "spent \(spent)")
        #expect(try await ledger.reserved(teamID: team.id, currency: .usd) == .zero(.usd))
    }
}

extension BurstReplicaTests {
    /// The team's history under `expected`: 40 short gpt-4.1 answers, so both replicas hold the
    /// 256-token floor instead of max_tokens (read from PostgreSQL, as each replica's cache is).
    static func seedShortAnswers(url: String) async throws {
        let ledger = try await PostgresLedger.connect(url: url)
        let team = try await ledger.team(named: "burst")
        let now = Date()
        let usage = try TokenUsage(inputTokens: 20, outputTokens: 40)
        let valuation = try PricingTable.shipped().valuation(of: usage, model: "gpt-4.1", at: now)
        try await ledger.append(
            (0..<40).map { index in
                .usage(
                    teamID: team.id,
                    requestID: "seed-\(index)",
                    model: "gpt-4.1",
                    usage: usage,
                    valuation: valuation,
                    tokenSource: .tokenizer,
                    outcome: "completed",
                    occurredAt: now.addingTimeInterval(-Double(index) - 1),
                    recordedAt: now
                )
            }
        )
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

import Foundation
import Synchronization
import Testing
import TollgateLedger
import Logging
import TollgateRelaySim
import TollgateTestSupport

@Suite("Crash recovery")
struct CrashRecoveryTests {
    @Test("a chat killed with SIGKILL mid-stream is settled from its last durable progress, losing at most one commit interval")
    func killNine() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "t", "--budget", "10", "--currency", "CNY", "--period", "monthly"])
        let simulator = RelaySimulatorConfiguration(tokensPerSecond: 50, outputTokens: 2000, reportUsage: false)
        var quiet = Logging.Logger(label: "sim")
        quiet.logLevel = .warning
        let (printed, billed) = try await withRelaySimulator(configuration: simulator, logger: quiet) { port in
            let process = Process()
            process.executableURL = CLIRunner.binary
            process.arguments = ["chat", "--team", "t", "--model", "gpt-4.1", "--lease-seconds", "1",
                                 "--upstream", "ws://127.0.0.1:\(port)/v1/ws/stream", "Tell me about relays"]
            var environment = ProcessInfo.processInfo.environment
            environment["TOLLGATE_DB"] = cli.db
            FreshVocabularies.scrub(&environment)
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = Pipe()
            try process.run()
            let received = Mutex("")
            let readerDone = Mutex(false)
            // A blocking read belongs on its own thread, never on the cooperative pool.
            Thread {
                while true {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    received.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
                }
                readerDone.withLock { $0 = true }
            }.start()
            // About one second of streaming at 50 pieces/s, then kill -9.
            for _ in 0..<400 where received.withLock({ $0.split(separator: " ").count }) < 50 {
                try await Task.sleep(for: .milliseconds(10))
            }
            kill(process.processIdentifier, SIGKILL)
            for _ in 0..<500 where process.isRunning || !readerDone.withLock({ $0 }) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(process.terminationReason == .uncaughtSignal)
            try await Task.sleep(for: .milliseconds(1200))  // let the 1 s lease lapse
            let reclaim = try await cli.ok(["ledger", "reclaim"])
            #expect(reclaim.contains("Reclaimed 1 expired hold"))
            let ledger = try SQLiteLedger(path: cli.db)
            let entries = try await ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
            #expect(entries.count == 1)
            #expect(entries.first?.outcome == "reclaimed")
            let text = received.withLock { $0 }
            let counted = try await cli.ok(["tokens", "count", "--model", "gpt-4.1"], stdin: text)
            return (Int(counted.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, entries.first?.usage.outputTokens ?? -1)
        }
        // Progress is group-committed every 5 ms; at 50 tokens/s at most a token or two can be in flight.
        #expect(billed <= printed)
        #expect(printed - billed <= 3, "printed \(printed) tokens, billed \(billed)")
        #expect(billed > 0)
    }
}

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Synchronization
import Testing
import TollgateLedger
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
            process.arguments = [
                "chat", "--team", "t", "--model", "gpt-4.1", "--lease-seconds", "1",
                "--upstream", "ws://127.0.0.1:\(port)/v1/ws/stream", "Tell me about relays",
            ]
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

    @Test(
        "a tollgate serve killed with SIGKILL mid-way through a /v1/messages stream is settled by the next process's reclaimer, within its hold, at the cache-write price it was held at"
    )
    func killNineMessages() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "t", "--budget", "10", "--currency", "CNY", "--period", "monthly"])
        let key = try await cli.ok(["key", "create", "--team", "t"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // Two deltas a second, so the stream is still open when the process dies.
        let simulator = RelaySimulatorConfiguration(tokensPerSecond: 2, replayDirectory: RecordedStreams.messagesDirectory)
        var quiet = Logging.Logger(label: "sim")
        quiet.logLevel = .warning
        try await withRelaySimulator(configuration: simulator, logger: quiet) { port in
            let arguments = ["--upstream", "http://127.0.0.1:\(port)/v1/chat/completions", "--lease-seconds", "1"]
            let environment = ["TOLLGATE_DB": cli.db, "TOLLGATE_UPSTREAM_KEY": "sk-upstream-crash"]
            let serve = try ServeProcess(arguments, environment: environment)
            let gateway = try await serve.port()
            let body =
                #"{"model":"claude-sonnet-4.5","max_tokens":300,"stream":true,"#
                + #""system":[{"type":"text","text":"You write tax guides.","cache_control":{"type":"ephemeral","ttl":"1h"}}],"#
                + #""messages":[{"role":"user","content":"Write the guide to taxes.txt."}],"tollgate_sim":{"replay":"anthropic-tool-use-max-tokens"}}"#
            let received = Mutex("")
            let client = Task {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(gateway)/v1/messages")
                request.method = .POST
                request.headers.add(name: "x-api-key", value: key)
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                for try await chunk in response.body { received.withLock { $0 += String(buffer: chunk) } }
            }
            for _ in 0..<1000 where received.withLock({ $0.components(separatedBy: "event: content_block_delta").count }) < 3 {
                try await Task.sleep(for: .milliseconds(10))
            }
            let ledger = try SQLiteLedger(path: cli.db)
            let open = try #require(try await ledger.openReservations(teamID: nil).first, "a hold is open while the stream runs")
            #expect(open.draft.prompt.cacheWrite1hTokens == open.draft.prompt.inputTokens, "a 1-hour cache_control prompt is held as all written")
            kill(serve.process.processIdentifier, SIGKILL)
            for _ in 0..<500 where serve.process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
            #expect(serve.process.terminationReason == .uncaughtSignal)
            _ = await client.result
            #expect(!received.withLock { $0 }.contains("message_stop"), "killed mid-stream")
            #expect(try await ledger.entries(teamID: nil, from: nil, to: nil, limit: 10).isEmpty, "nothing settled by the dead process")

            try await Task.sleep(for: .milliseconds(1200))  // let the 1 s lease lapse
            let next = try ServeProcess(arguments, environment: environment)
            _ = try await next.port()  // it reclaims expired holds before it listens
            let entries = try await ledger.entries(teamID: nil, from: nil, to: nil, limit: 10)
            #expect(try await next.terminate() == 0)
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.outcome == "reclaimed")
            #expect(entry.requestID == open.draft.id)
            #expect(entry.usage.inputTokens == open.draft.prompt.inputTokens)
            #expect(entry.usage.cacheWrite1hTokens == open.draft.prompt.cacheWrite1hTokens, "billed at the 1-hour write price it was held at")
            #expect(entry.usage.outputTokens > 0, "the delivered output's durable progress is billed")
            #expect(entry.usage.outputTokens < 300)
            // $6 per MTok of 1-hour cache write, $15 per MTok of output.
            #expect(entry.chargeUSD.nanos == Int64(entry.usage.cacheWrite1hTokens) * 6_000 + Int64(entry.usage.outputTokens) * 15_000)
            #expect(entry.chargeCNY.nanos <= open.held.nanos, "within its hold: charged \(entry.chargeCNY), held \(open.held)")
            #expect(try await ledger.openReservations(teamID: nil).isEmpty)
        }
    }
}

import Foundation
import TollgateStreaming

/// Messages against Chat Completions through one gateway (issue #19's target: added TTFT and
/// per-event overhead on `/v1/messages` no worse than on Chat Completions), both protocols in the
/// same run, alternated per round so a neighbour's load hits both alike.
///
/// Both relay the client's own body (the client counts every SSE event it gets) and ask for the
/// same number of content deltas; a Messages stream has more events around them
/// (`message_start`, `content_block_start|stop`, `ping`, `message_delta`, `message_stop`), so
/// the gateway's CPU is reported per stream and per relayed event.
extension GatewayBench {
    /// The two HTTP protocols compared, in report order.
    private static let compared: [Transport] = [.sse, .messages]

    /// What one protocol saw over every round.
    private struct ProtocolTally {
        var directLatency = StreamLoad.Result()
        var gatewayLatency = StreamLoad.Result()
        var directLoad = StreamLoad.Result()
        var gatewayLoad = StreamLoad.Result()
        var gatewayLoadCPU = 0.0
        /// Gateway CPU per stream in each round, in µs: the spread says how far one round's figure is from the next.
        var loadRoundCPU: [Double] = []
        var directPaced = StreamLoad.Result()
        var gatewayPaced = StreamLoad.Result()
        var directSteadyGaps: [Int] = []
        var gatewaySteadyGaps: [Int] = []
        var gatewayPacedCPU = 0.0
        var pacedRoundCPU: [Double] = []

        /// SSE events per stream the client got: every relayed payload, and Chat Completions'
        /// closing `data: [DONE]` (a line the gateway writes too, though no payload).
        func eventsPerStream(_ result: StreamLoad.Result, _ transport: Transport) -> Double {
            let closing = transport == .sse ? result.completed : 0
            return Double(result.relayedEvents + closing) / Double(max(1, result.completed))
        }

        /// Content deltas per stream the client got.
        func deltasPerStream(_ result: StreamLoad.Result) -> Double {
            Double(result.outputDeltas) / Double(max(1, result.completed))
        }
    }

    /// Runs the latency, load and paced parts for both protocols through one gateway process,
    /// alternating the protocols (and which goes first) every round.
    static func messagesVersusChat(_ options: Options) async throws -> String {
        let rounds = max(1, options.rounds)
        // The simulator's Messages answer has at most 24 text pieces; Chat Completions gets as many.
        let deltas = 16
        let pacedDeltas = min(24, options.pacedChunks)
        let latency = try await withSetup(.messages, options, simulator: ["--output-tokens", "\(deltas)"]) { setup in
            FileHandle.standardError.write(Data("gateway pid \(setup.process.pid): latency and load rounds\n".utf8))
            var tallies = [ProtocolTally](repeating: ProtocolTally(), count: compared.count)
            var requests: [ChatRequest] = []
            for transport in compared {
                let request = try relayedRequest(transport, "Benchmark the gateway.", maxTokens: deltas)
                requests.append(request)
                _ = try await StreamLoad.run(setup.direct, request: request, streams: 100, concurrency: 10)
                _ = try await StreamLoad.run(setup.gateway, request: request, streams: 100, concurrency: 10)
            }
            for round in 0..<rounds {
                for position in 0..<compared.count {
                    let index = round % 2 == 0 ? position : compared.count - 1 - position
                    let request = requests[index]
                    let one = max(1, options.latencyStreams / rounds)
                    tallies[index].directLatency.merge(try await StreamLoad.run(setup.direct, request: request, streams: one, concurrency: 1))
                    tallies[index].gatewayLatency.merge(try await StreamLoad.run(setup.gateway, request: request, streams: one, concurrency: 1))
                    let many = max(1, options.streams / rounds)
                    tallies[index].directLoad.merge(
                        try await StreamLoad.run(setup.direct, request: request, streams: many, concurrency: options.concurrency)
                    )
                    let before = try setup.process.cpuSeconds()
                    let load = try await StreamLoad.run(setup.gateway, request: request, streams: many, concurrency: options.concurrency)
                    let cpu = try setup.process.cpuSeconds() - before
                    tallies[index].gatewayLoad.merge(load)
                    tallies[index].gatewayLoadCPU += cpu
                    tallies[index].loadRoundCPU.append(cpu / Double(max(1, load.completed)) * 1e6)
                }
            }
            return latencyReport(tallies, deltas: deltas, rounds: rounds, options: options)
        }
        let simulator = ["--tokens-per-second", "\(options.pacedTokensPerSecond)", "--output-tokens", "\(pacedDeltas)"]
        let paced = try await withSetup(.messages, options, simulator: simulator) { setup in
            FileHandle.standardError.write(Data("gateway pid \(setup.process.pid): paced rounds\n".utf8))
            var tallies = [ProtocolTally](repeating: ProtocolTally(), count: compared.count)
            var requests: [ChatRequest] = []
            for transport in compared {
                let request = try relayedRequest(transport, "Benchmark the gateway.", maxTokens: pacedDeltas)
                requests.append(request)
                _ = try await StreamLoad.run(setup.gateway, request: request, streams: 50, concurrency: 50)
            }
            let stagger = options.staggerPaced ? Duration.seconds(1 / options.pacedTokensPerSecond) : .zero
            for round in 0..<rounds {
                for position in 0..<compared.count {
                    let index = round % 2 == 0 ? position : compared.count - 1 - position
                    let request = requests[index]
                    let (direct, gateway, cpu) = try await setup.pacedRound(request, streams: options.paced, stagger: stagger)
                    tallies[index].gatewayPacedCPU += cpu
                    tallies[index].pacedRoundCPU.append(cpu / Double(max(1, gateway.completed)) * 1e6)
                    tallies[index].directPaced.merge(direct)
                    tallies[index].gatewayPaced.merge(gateway)
                    tallies[index].directSteadyGaps += direct.steadyInterChunk
                    tallies[index].gatewaySteadyGaps += gateway.steadyInterChunk
                }
            }
            return pacedReport(tallies, deltas: pacedDeltas, rounds: rounds, options: options)
        }
        return latency + paced
    }

    // MARK: - Report

    private static func latencyReport(_ tallies: [ProtocolTally], deltas: Int, rounds: Int, options: Options) -> String {
        var rows: [(String, [String], String)] = []
        func row(_ name: String, _ values: [Double], unit: (Double) -> String, difference: Bool = true) {
            let gap = difference && values[0] != 0 ? String(format: "%+.0f %%", (values[1] / values[0] - 1) * 100) : ""
            rows.append((name, values.map(unit), gap))
        }
        let events = zip(compared, tallies).map { $1.eventsPerStream($1.gatewayLoad, $0) }
        counts(&rows, events: events, deltas: tallies.map { $0.deltasPerStream($0.gatewayLoad) })
        let ttft = tallies.map { (Percentiles($0.directLatency.timeToFirstToken), Percentiles($0.gatewayLatency.timeToFirstToken)) }
        row("TTFT p50 direct", ttft.map { Double($0.0.p50) }, unit: microsText, difference: false)
        row("TTFT p50 through gateway", ttft.map { Double($0.1.p50) }, unit: microsText, difference: false)
        row("**added TTFT p50**", ttft.map { Double($0.1.p50 - $0.0.p50) }, unit: microsText)
        row("TTFT p99 direct", ttft.map { Double($0.0.p99) }, unit: microsText, difference: false)
        row("TTFT p99 through gateway", ttft.map { Double($0.1.p99) }, unit: microsText, difference: false)
        row("**added TTFT p99**", ttft.map { Double($0.1.p99 - $0.0.p99) }, unit: microsText)
        row("streams/s direct", tallies.map(\.directLoad.streamsPerSecond), unit: { String(format: "%.0f", $0) }, difference: false)
        row("streams/s through gateway", tallies.map(\.gatewayLoad.streamsPerSecond), unit: { String(format: "%.0f", $0) })
        let perStream = tallies.map { $0.gatewayLoadCPU / Double(max(1, $0.gatewayLoad.completed)) * 1e6 }
        row("**gateway CPU per stream**", perStream, unit: { String(format: "%.0f µs", $0) })
        row("**gateway CPU per relayed event**", zip(perStream, events).map { $0 / max(1, $1) }, unit: { String(format: "%.1f µs", $0) })
        rows.append(roundSpread(tallies.map(\.loadRoundCPU)))
        let failures = tallies.map {
            "\($0.directLatency.failureCount + $0.directLoad.failureCount) / \($0.gatewayLatency.failureCount + $0.gatewayLoad.failureCount)"
        }
        rows.append(("failures direct / gateway", failures, ""))
        return """

            ### Messages vs Chat Completions: TTFT, streams/s and gateway CPU per stream and per event \
            (one gateway, \(rounds) rounds alternating the protocols, \(deltas) content deltas each, unpaced)

            \(options.latencyStreams / rounds * rounds) streams one at a time and \(options.streams / rounds * rounds) streams \
            \(options.concurrency) open, per protocol and side; gateway CPU counted during its own protocol's gateway rounds only.

            | | Chat Completions (`gpt-4.1`) | Messages (`claude-sonnet-4.5`) | Messages vs Chat |
            |---|---:|---:|---:|
            \(rows.map { "| \($0.0) | \($0.1.joined(separator: " | ")) | \($0.2) |" }.joined(separator: "\n"))

            """
    }

    private static func pacedReport(_ tallies: [ProtocolTally], deltas: Int, rounds: Int, options: Options) -> String {
        var rows: [(String, [String], String)] = []
        func row(_ name: String, _ values: [Double], unit: (Double) -> String, difference: Bool = true) {
            let gap = difference && values[0] != 0 ? String(format: "%+.0f %%", (values[1] / values[0] - 1) * 100) : ""
            rows.append((name, values.map(unit), gap))
        }
        let events = zip(compared, tallies).map { $1.eventsPerStream($1.gatewayPaced, $0) }
        counts(&rows, events: events, deltas: tallies.map { $0.deltasPerStream($0.gatewayPaced) })
        let all = tallies.map { (Percentiles($0.directPaced.interChunk), Percentiles($0.gatewayPaced.interChunk)) }
        let steady = tallies.map { (Percentiles($0.directSteadyGaps), Percentiles($0.gatewaySteadyGaps)) }
        row("added gap p50 (all gaps)", all.map { Double($0.1.p50 - $0.0.p50) }, unit: microsText, difference: false)
        row("added gap p99 (all gaps)", all.map { Double($0.1.p99 - $0.0.p99) }, unit: microsText, difference: false)
        rows.append(("steady gap p50 direct / gateway", steady.map { "\(micros($0.0.p50)) / \(micros($0.1.p50))" }, ""))
        row("**added steady gap p50**", steady.map { Double($0.1.p50 - $0.0.p50) }, unit: microsText, difference: false)
        rows.append(("steady gap p99 direct / gateway", steady.map { "\(micros($0.0.p99)) / \(micros($0.1.p99))" }, ""))
        row("**added steady gap p99**", steady.map { Double($0.1.p99 - $0.0.p99) }, unit: microsText, difference: false)
        let ttft = tallies.map { (Percentiles($0.directPaced.timeToFirstToken), Percentiles($0.gatewayPaced.timeToFirstToken)) }
        row("added TTFT p50 (paced)", ttft.map { Double($0.1.p50 - $0.0.p50) }, unit: microsText, difference: false)
        let perStream = tallies.map { $0.gatewayPacedCPU / Double(max(1, $0.gatewayPaced.completed)) * 1e6 }
        row("**gateway CPU per stream**", perStream, unit: { String(format: "%.0f µs", $0) })
        row("**gateway CPU per relayed event**", zip(perStream, events).map { $0 / max(1, $1) }, unit: { String(format: "%.1f µs", $0) })
        rows.append(roundSpread(tallies.map(\.pacedRoundCPU)))
        rows.append(("steady gaps counted direct / gateway", steady.map { "\($0.0.count) / \($0.1.count)" }, ""))
        rows.append(("failures direct / gateway", tallies.map { "\($0.directPaced.failureCount) / \($0.gatewayPaced.failureCount)" }, ""))
        return """

            ### Messages vs Chat Completions: gaps between content deltas at \(options.paced) concurrent streams \
            (one gateway, \(rounds) rounds alternating the protocols, \(deltas) deltas paced at \
            \(String(format: "%g", options.pacedTokensPerSecond))/s, \
            \(options.staggerPaced ? "starts spread over one gap" : "all started at once, in phase"))

            Steady gaps are those begun after the run's last stream got its first delta.

            | | Chat Completions (`gpt-4.1`) | Messages (`claude-sonnet-4.5`) | Messages vs Chat |
            |---|---:|---:|---:|
            \(rows.map { "| \($0.0) | \($0.1.joined(separator: " | ")) | \($0.2) |" }.joined(separator: "\n"))

            """
    }

    /// The rows of what each stream carried, the difference in events rather than a percentage.
    private static func counts(_ rows: inout [(String, [String], String)], events: [Double], deltas: [Double]) {
        func text(_ value: Double) -> String { String(format: "%.1f", value) }
        rows.append(("SSE events per stream at the client (through gateway)", events.map(text), String(format: "%+.1f", events[1] - events[0])))
        rows.append(("content deltas per stream at the client", deltas.map(text), String(format: "%+.1f", deltas[1] - deltas[0])))
    }

    /// Gateway CPU per stream round by round, and Messages against Chat Completions in each round.
    private static func roundSpread(_ perRound: [[Double]]) -> (String, [String], String) {
        let values = perRound.map { $0.map { String(format: "%.0f", $0) }.joined(separator: ", ") }
        let ratios = zip(perRound[0], perRound[1]).map { String(format: "%+.0f", ($1 / max(1e-9, $0) - 1) * 100) }
        return ("gateway CPU per stream by round (µs)", values, ratios.joined(separator: ", ") + " %")
    }

    private static func microsText(_ nanoseconds: Double) -> String {
        micros(Int(nanoseconds))
    }

    /// The client's own body for either protocol, relayed as it is: Chat Completions asks for the
    /// usage chunk, as a Messages stream always reports usage (both then carry the receipt).
    private static func relayedRequest(_ transport: Transport, _ prompt: String, maxTokens: Int) throws -> ChatRequest {
        guard transport == .sse else { return try request(transport, prompt, maxTokens: maxTokens) }
        let json =
            #"{"model":"gpt-4.1","max_tokens":\#(maxTokens),"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"\#(prompt)"}]}"#
        return ChatRequest(model: "gpt-4.1", messages: [.user(prompt)], maxTokens: maxTokens, body: try ChatRequestBody(bytes: Array(json.utf8)))
    }
}

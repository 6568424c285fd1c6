/// Time to first token and per-chunk pacing of a scenario.
struct SimulatedPacing: Sendable {
    let timeToFirstToken: Duration
    let betweenChunks: Duration?

    init(scenario: SimulatedScenario) {
        timeToFirstToken = scenario.timeToFirstToken
        betweenChunks = scenario.tokensPerSecond.map { .seconds(Double(scenario.chunkSize) / $0) }
    }

    func waitForFirstToken() async throws {
        if timeToFirstToken > .zero { try await Task.sleep(for: timeToFirstToken) }
    }

    func waitBetweenChunks() async throws {
        if let betweenChunks { try await Task.sleep(for: betweenChunks) }
    }
}

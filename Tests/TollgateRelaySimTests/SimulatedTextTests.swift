import Testing
import TollgateRelaySim
import TollgateStreaming

@Suite("Simulated text and token counting")
struct SimulatedTextTests {
    @Test func generationIsAPureFunctionOfModelPromptAndSeed() {
        let a = SimulatedText.generate(model: "gpt-4.1", prompt: "user: hi", seed: 1, pieceCount: 40)
        #expect(a == SimulatedText.generate(model: "gpt-4.1", prompt: "user: hi", seed: 1, pieceCount: 40))
        #expect(a != SimulatedText.generate(model: "gpt-4.1", prompt: "user: hi", seed: 2, pieceCount: 40))
        #expect(a != SimulatedText.generate(model: "deepseek-v3.2", prompt: "user: hi", seed: 1, pieceCount: 40))
        #expect(a != SimulatedText.generate(model: "gpt-4.1", prompt: "user: hello", seed: 1, pieceCount: 40))
        #expect(a.count == 40)
    }

    @Test func shorterOutputsArePrefixes() {
        let long = SimulatedText.generate(model: "gpt-4.1", prompt: "p", seed: 0, pieceCount: 50)
        #expect(Array(long.prefix(10)) == SimulatedText.generate(model: "gpt-4.1", prompt: "p", seed: 0, pieceCount: 10))
    }

    @Test func everyPieceIsOneDefaultToken() {
        for pieces in [0, 1, 7, 100, 1000] {
            let text = SimulatedText.generate(model: "claude-sonnet-4.5", prompt: "x", seed: 9, pieceCount: pieces).joined()
            #expect(SimulatedText.defaultTokenCount(model: "claude-sonnet-4.5", text: text) == pieces)
        }
    }

    @Test func defaultTokenCountCountsWordAndPunctuationRuns() {
        #expect(SimulatedText.defaultTokenCount(model: "m", text: "Hello, world!!") == 4)
        #expect(SimulatedText.defaultTokenCount(model: "m", text: "") == 0)
        #expect(SimulatedText.defaultTokenCount(model: "m", text: "  a1b2  c ") == 2)
        #expect(SimulatedText.defaultTokenCount(model: "m", text: "x->y") == 3)
    }

    @Test func promptTextListsRolesInOrder() {
        #expect(SimulatedText.promptText([.system("s"), .user("u")]) == "system: s\nuser: u")
    }
}

import Testing
import TollgateStreaming

@testable import TollgateMetering

@Suite("Output multiplier: n and predicted outputs scale the billed output")
struct OutputMultiplierTests {
    let counter = PromptFixtures.gpt

    func multiplier(_ json: String) throws(RequestBodyError) -> OutputMultiplier {
        try OutputMultiplier.of(body: PromptFixtures.body(json), with: counter)
    }

    @Test("no n is one choice; n scales the worst case")
    func choices() throws {
        #expect(try multiplier(#"{"messages":[]}"#) == OutputMultiplier())
        #expect(try multiplier(#"{"n":null}"#).choices == 1)
        let three = try multiplier(#"{"n":3}"#)
        #expect(three.choices == 3)
        #expect(three.worstCaseOutputTokens(perChoice: 1000) == 3000)
        #expect(try multiplier(#"{"n":64}"#).worstCaseOutputTokens(perChoice: 32_768) == 64 * 32_768)
        #expect(try multiplier(#"{"n":2.0}"#).choices == 2)
    }

    @Test(
        "n that is not a positive integer is refused, naming the field and the value",
        arguments: [
            (#"{"n":0}"#, "0"), (#"{"n":-2}"#, "-2"), (#"{"n":1.5}"#, "1.5"), (#"{"n":"2"}"#, #""2""#), (#"{"n":[2]}"#, "[2]"),
            (#"{"n":true}"#, "true"), (#"{"n":9999999999}"#, "9999999999"),
        ]
    )
    func invalid(json: String, value: String) {
        #expect(throws: RequestBodyError.invalidChoiceCount(value)) { try multiplier(json) }
        #expect(
            RequestBodyError.invalidChoiceCount(value).description == "n must be a positive integer (the number of choices to generate), got \(value)"
        )
    }

    @Test("a prediction's tokens may be billed per choice on top of the limit (rejected prediction tokens)")
    func prediction() throws {
        let text = "def add(a, b):\n    return a + b\n"
        let string = try multiplier(#"{"prediction":{"type":"content","content":"def add(a, b):\n    return a + b\n"}}"#)
        #expect(string.predictionTokens == counter.count(text))
        #expect(string.worstCaseOutputTokens(perChoice: 100) == 100 + counter.count(text))
        let parts = try multiplier(#"{"prediction":{"type":"content","content":[{"type":"text","text":"abc"},{"type":"text","text":"def"}]}}"#)
        #expect(parts.predictionTokens == counter.count("abc") + counter.count("def"))
    }

    @Test("the worst case saturates instead of overflowing")
    func saturates() {
        #expect(OutputMultiplier(choices: 128, predictionTokens: 5).worstCaseOutputTokens(perChoice: Int.max / 2) == Int.max)
        #expect(OutputMultiplier(choices: 1, predictionTokens: 1).worstCaseOutputTokens(perChoice: Int.max) == Int.max)
    }

    @Test("a body that is not an object has the default multiplier (the prompt count names the problem)")
    func notObject() throws {
        #expect(try OutputMultiplier.of(body: .array([]), with: counter) == OutputMultiplier())
    }
}

import Foundation
import Testing
import TollgateStreaming

@testable import TollgateRelaySim

@Suite("Tool definitions in the simulator's prompt_tokens")
struct SimulatedToolTokensTests {
    /// One token per byte, so the formula can be followed by hand.
    static func bytes(_ text: String) -> Int { text.utf8.count }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("OpenAI's cookbook formula, by hand: function, description (period dropped), parameters, enum, the list's end")
    func byHand() throws {
        let tools = try Self.json(
            #"[{"type":"function","function":{"name":"f","description":"Do.","parameters":{"type":"object","properties":{"a":{"type":"string","enum":["x","yy"]}}}}},{"type":"custom","custom":{"name":"c"}}]"#
        )
        // 7 + "f:Do" (4) + 3 + [3 + (−3 + (3 + 1) + (3 + 2)) + "a:string:" (9)] + 12 = 44; the custom tool is not a function.
        #expect(SimulatedToolTokens.count(tools: tools, functions: nil, count: Self.bytes) == 44)
        // The legacy `functions` list: 7 + "g:" (2) more, still one list end.
        let functions = try Self.json(#"[{"name":"g"}]"#)
        #expect(SimulatedToolTokens.count(tools: tools, functions: functions, count: Self.bytes) == 53)
        #expect(SimulatedToolTokens.count(tools: nil, functions: functions, count: Self.bytes) == 21)
    }

    @Test("nested properties count one level at a time; no tools (or none usable) count nothing")
    func nestedAndEmpty() throws {
        let nested = try Self.json(
            #"[{"type":"function","function":{"name":"n","parameters":{"type":"object","properties":{"o":{"type":"object","properties":{"k":{"type":"string"}}}}}}}]"#
        )
        // 7 + "n:" (2) + 3 + [3 + "o:object:" (9) + 3 + (3 + "k:string:" (9))] + 12 = 51.
        #expect(SimulatedToolTokens.count(tools: nested, functions: nil, count: Self.bytes) == 51)
        #expect(SimulatedToolTokens.count(tools: nil, functions: nil, count: Self.bytes) == 0)
        #expect(SimulatedToolTokens.count(tools: try Self.json("[]"), functions: try Self.json("null"), count: Self.bytes) == 0)
        #expect(SimulatedToolTokens.count(tools: try Self.json(#"["x", {"type":"function"}]"#), functions: nil, count: Self.bytes) == 0)
    }
}

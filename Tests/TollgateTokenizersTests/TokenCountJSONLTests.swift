import Foundation
import Testing
import TollgateTokenizers

struct TokenCountJSONLTests {
    @Test("one count per line, in order, blank lines skipped")
    func countsLines() throws {
        let counter = try SharedTokenizers.registry.counter(forEncoding: "cl100k_base")
        let input = "{\"text\": \"hello world\"}\n\n{\"text\": \"\", \"id\": 2}\n{\"text\": \"a b c\"}\n"
        let counts = try TokenCountJSONL.counts(in: Data(input.utf8), using: counter)
        #expect(counts == [2, 0, 3])
        #expect(TokenCountJSONL.report(counts) == "2\n0\n3\n")
    }

    @Test(
        "a bad line is reported with its line number",
        arguments: [
            ("{\"text\": \"ok\"}\n{oops\n", 2, "not valid JSON"),
            ("{\"text\": \"ok\"}\n\n{\"body\": \"x\"}\n", 3, "string field \"text\""),
            ("{\"text\": 5}\n", 1, "string field \"text\""),
            ("[\"text\"]\n", 1, "string field \"text\""),
        ]
    )
    func badLine(input: String, line: Int, reason: String) throws {
        let counter = try SharedTokenizers.registry.counter(forModel: "gpt-4.1", counting: .exact(.o200kBase))
        let error = try #require(throws: TokenizerError.self) {
            try TokenCountJSONL.counts(in: Data(input.utf8), using: counter)
        }
        #expect(error.kind == .malformedInput)
        #expect(error.description.hasPrefix("line \(line):"), "\(error)")
        #expect(error.description.contains(reason))
    }

    @Test("--file counts a UTF-8 file; a missing file is an error naming it")
    func countsFile() throws {
        let counter = try SharedTokenizers.registry.counter(forModel: "gpt-4.1", counting: .exact(.o200kBase))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("hello world", to: "in.txt")
        #expect(try counter.count(fileAt: directory.url.appendingPathComponent("in.txt")) == 2)
        let missing = directory.url.appendingPathComponent("absent.txt")
        let error = try #require(throws: TokenizerError.self) { try counter.count(fileAt: missing) }
        #expect(error.description.contains(missing.path))
    }
}

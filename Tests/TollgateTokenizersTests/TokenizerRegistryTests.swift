import Foundation
import Testing

@testable import TollgateTokenizers

struct TokenizerRegistryTests {
    @Test("a counting method gives an exact counter or a ratio over its base")
    func countingMethods() throws {
        let registry = SharedTokenizers.registry
        let exact = try registry.counter(forModel: "m", counting: .exact(.deepseekV3))
        #expect(exact.encoding == .deepseekV3 && exact.source == .exact)
        let ratio = TokenEstimate(base: .o200kBase, numerator: 21, denominator: 20)
        let estimate = try registry.counter(forModel: "m", counting: .estimate(ratio))
        #expect(estimate.source == .estimate && estimate.encoding == .o200kBase && estimate.estimate == ratio)
        let text = "The quick brown fox jumps over the lazy dog."
        let base = try SharedTokenizers.tokenizer(.o200kBase).count(text)
        #expect(estimate.count(text) == (base * 21 + 19) / 20)
        var streaming = estimate.makeIncrementalCounter()
        streaming.append("The quick brown fox jumps")
        streaming.append(" over the lazy dog.")
        #expect(streaming.count == estimate.count(text))
    }

    @Test("estimates round up with integer arithmetic")
    func estimateRounding() {
        let ratio = TokenEstimate(base: .o200kBase, numerator: 5, denominator: 4)
        #expect(ratio.apply(to: 0) == 0)
        #expect(ratio.apply(to: 4) == 5)
        #expect(ratio.apply(to: 5) == 7)
    }

    @Test("an unknown encoding lists the valid ones")
    func unknownEncoding() throws {
        let error = try #require(throws: TokenizerError.self) { try SharedTokenizers.registry.counter(forEncoding: "p50k_base") }
        #expect(error.kind == .unknownEncoding)
        for name in ["o200k_base", "cl100k_base", "deepseek-v3", "p50k_base"] { #expect(error.description.contains(name)) }
    }

    @Test("the command helper needs exactly one of --model and --encoding")
    func commandArguments() throws {
        let registry = SharedTokenizers.registry
        let counting: (String) -> TokenizerRegistry.Counting = { _ in .exact(.o200kBase) }
        #expect(try registry.counter(model: nil, encoding: "cl100k_base", counting: counting).encoding == .cl100kBase)
        #expect(try registry.counter(model: "gpt-4.1", encoding: nil, counting: counting).encoding == .o200kBase)
        let both = try #require(throws: TokenizerError.self) { try registry.counter(model: "gpt-4.1", encoding: "o200k_base", counting: counting) }
        #expect(both.kind == .malformedInput)
        let neither = try #require(throws: TokenizerError.self) { try registry.counter(model: nil, encoding: nil, counting: counting) }
        // The CLI names --model and --encoding (tested at the CLI); the library says what to give.
        #expect(neither.remedy == .modelOrEncoding)
        #expect(neither.description.hasPrefix("give exactly one of a model or an encoding (encodings: o200k_base"), "\(neither)")
    }

    @Test("each vocabulary is loaded once, also under concurrent first use")
    func loadsOnce() async throws {
        let registry = TokenizerRegistry(locator: .builtIn)
        let engines = try await withThrowingTaskGroup(of: ObjectIdentifier.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    guard case .tiktoken(let engine) = try registry.tokenizer(for: .cl100kBase).engine else {
                        throw TokenizerError(.malformedVocabulary, "cl100k is not a tiktoken engine")
                    }
                    return ObjectIdentifier(engine)
                }
            }
            return try await group.reduce(into: Set<ObjectIdentifier>()) { $0.insert($1) }
        }
        #expect(engines.count == 1)
    }

    @Test("a missing vocabulary surfaces through the registry")
    func missingThroughRegistry() throws {
        let empty = try TemporaryDirectory()
        defer { empty.remove() }
        let registry = TokenizerRegistry(locator: VocabularyLocator(searchDirectories: [empty.url]))
        let error = try #require(throws: TokenizerError.self) { try registry.counter(forModel: "gpt-4.1", counting: .exact(.o200kBase)) }
        #expect(error.kind == .vocabularyNotFound)
    }
}

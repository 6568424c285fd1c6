import Foundation
import Testing
@testable import TollgateTokenizers

struct TokenizerRegistryTests {
    @Test("models map to their encodings, exact or estimate")
    func modelMapping() throws {
        let registry = SharedTokenizers.registry
        let gpt = try registry.counter(forModel: "gpt-4.1")
        #expect(gpt.encoding == .o200kBase && gpt.source == .exact)
        let deepseek = try registry.counter(forModel: "deepseek-v3.2")
        #expect(deepseek.encoding == .deepseekV3 && deepseek.source == .exact)
        let claude = try registry.counter(forModel: "claude-sonnet-4.5")
        #expect(claude.source == .estimate && claude.encoding == .o200kBase)
        let gemini = try registry.counter(forModel: "gemini-2.5-flash")
        #expect(gemini.source == .estimate)
        let text = "The quick brown fox jumps over the lazy dog."
        let exact = gpt.count(text)
        #expect(claude.count(text) == (exact * 5 + 3) / 4)
        #expect(gemini.count(text) == (exact * 21 + 19) / 20)
        var streaming = claude.makeIncrementalCounter()
        streaming.append("The quick brown fox jumps")
        streaming.append(" over the lazy dog.")
        #expect(streaming.count == claude.count(text))
    }

    @Test("estimates round up with integer arithmetic")
    func estimateRounding() {
        let ratio = TokenEstimate(base: .o200kBase, numerator: 5, denominator: 4)
        #expect(ratio.apply(to: 0) == 0)
        #expect(ratio.apply(to: 4) == 5)
        #expect(ratio.apply(to: 5) == 7)
    }

    @Test("a model with no registered tokenizer (added to the price table later) is an estimate, not a failure")
    func unknownModel() throws {
        let counter = try SharedTokenizers.registry.counter(forModel: "gpt-5-added-later")
        #expect(counter.source == .estimate)
        #expect(counter.estimate == TokenizerRegistry.unknownModelEstimate)
        #expect(counter.encoding == .o200kBase)
        let text = "The quick brown fox jumps over the lazy dog."
        let exact = try SharedTokenizers.tokenizer(.o200kBase).count(text)
        #expect(counter.count(text) == (exact * 5 + 3) / 4)
        var streaming = counter.makeIncrementalCounter()
        streaming.append("The quick brown fox")
        streaming.append(" jumps over the lazy dog.")
        #expect(streaming.count == counter.count(text))
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
        #expect(try registry.counter(model: nil, encoding: "cl100k_base").encoding == .cl100kBase)
        #expect(try registry.counter(model: "gpt-4.1", encoding: nil).encoding == .o200kBase)
        let both = try #require(throws: TokenizerError.self) { try registry.counter(model: "gpt-4.1", encoding: "o200k_base") }
        #expect(both.kind == .malformedInput)
        let neither = try #require(throws: TokenizerError.self) { try registry.counter(model: nil, encoding: nil) }
        #expect(neither.description.contains("--model"))
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
        let error = try #require(throws: TokenizerError.self) { try registry.counter(forModel: "gpt-4.1") }
        #expect(error.kind == .vocabularyNotFound)
    }
}

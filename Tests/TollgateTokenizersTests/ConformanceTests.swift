import Testing

@testable import TollgateTokenizers

// Counts with the built-in vocabularies; skipped, with the reason shown, when the corpus
// ../shared/tokenizers/conformance.jsonl (test data, not in the repo) is absent.
@Suite(.enabled(if: SharedTokenizers.corpusAvailable, SharedTokenizers.corpusMissing))
struct ConformanceTests {
    @Test("count equals the reference on every corpus text", arguments: TokenEncoding.allCases)
    func corpusCounts(encoding: TokenEncoding) throws {
        let tokenizer = try SharedTokenizers.tokenizer(encoding)
        let corpus = SharedTokenizers.corpus
        #expect(corpus.count >= 300)
        var checked = 0
        for sample in corpus {
            let expected = try #require(sample.counts[encoding], "sample \(sample.id) lacks \(encoding.rawValue)")
            #expect(tokenizer.count(sample.text) == expected, "sample \(sample.id)")
            #expect(tokenizer.encode(sample.text).count == expected, "sample \(sample.id)")
            checked += 1
        }
        #expect(checked == corpus.count)
    }

    @Test("token ids equal tiktoken 0.14 / tokenizers for reference texts")
    func referenceIDs() throws {
        let o200k = try SharedTokenizers.tokenizer(.o200kBase)
        let cl100k = try SharedTokenizers.tokenizer(.cl100kBase)
        let deepseek = try SharedTokenizers.tokenizer(.deepseekV3)
        for reference in ReferenceEncoding.all {
            #expect(o200k.encode(reference.text) == reference.o200k, "\(reference.text.debugDescription)")
            #expect(cl100k.encode(reference.text) == reference.cl100k, "\(reference.text.debugDescription)")
            #expect(deepseek.encode(reference.text) == reference.deepseek, "\(reference.text.debugDescription)")
        }
    }

    @Test("special-token text: ordinary text for tiktoken, one added token for DeepSeek")
    func specialTokenText() throws {
        let o200k = try SharedTokenizers.tokenizer(.o200kBase)
        let deepseek = try SharedTokenizers.tokenizer(.deepseekV3)
        #expect(o200k.count("<|endoftext|>") > 1)
        #expect(deepseek.encode("<｜begin▁of▁sentence｜>") == [0])
        #expect(deepseek.count("x<｜User｜>y") == 3)
        // A prefix of an added token is ordinary text.
        #expect(deepseek.count("<｜User") > 1)
    }

    @Test("empty text has no tokens", arguments: TokenEncoding.allCases)
    func emptyText(encoding: TokenEncoding) throws {
        let tokenizer = try SharedTokenizers.tokenizer(encoding)
        #expect(tokenizer.count("") == 0)
        #expect(tokenizer.encode("").isEmpty)
        var counter = tokenizer.makeIncrementalCounter()
        counter.append("")
        #expect(counter.count == 0)
    }
}

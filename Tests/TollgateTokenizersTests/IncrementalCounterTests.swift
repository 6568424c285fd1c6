import Testing
import TollgateTestSupport
import TollgateTokenizers

@Suite(.enabled(if: SharedTokenizers.corpusAvailable, SharedTokenizers.corpusMissing))
struct IncrementalCounterTests {
    @Test(
        "final count equals the whole-text count for random splits of every corpus text",
        arguments: TokenEncoding.allCases
    )
    func corpusSplits(encoding: TokenEncoding) throws {
        let tokenizer = try SharedTokenizers.tokenizer(encoding)
        var generator = SeededGenerator(seed: 0x70_11_6a_7e)
        for sample in SharedTokenizers.corpus {
            for maxScalars in [1, 3, 17] {
                var counter = tokenizer.makeIncrementalCounter()
                for delta in sample.text.randomDeltas(maxScalars: maxScalars, using: &generator) {
                    counter.append(delta)
                }
                #expect(counter.count == sample.counts[encoding], "sample \(sample.id), deltas ≤ \(maxScalars) scalars")
            }
        }
    }

    @Test("counters of one tokenizer on many tasks at once share its caches and stay exact", arguments: TokenEncoding.allCases)
    func concurrentCounters(encoding: TokenEncoding) async throws {
        let tokenizer = try SharedTokenizers.tokenizer(encoding)
        // The caches are lent per append from one pool per tokenizer: interleaved appends from many
        // tasks must never see another counter's half-written entry.
        let samples = Array(SharedTokenizers.corpus.prefix(24))
        let mismatches = await withTaskGroup(of: [String].self) { group in
            for (index, sample) in samples.enumerated() {
                group.addTask {
                    var generator = SeededGenerator(seed: UInt64(index) + 1)
                    var wrong: [String] = []
                    for round in 0..<4 {
                        var counter = tokenizer.makeIncrementalCounter()
                        for delta in sample.text.randomDeltas(maxScalars: 4, using: &generator) {
                            counter.append(delta)
                        }
                        if counter.count != sample.counts[encoding] { wrong.append("sample \(sample.id) round \(round): \(counter.count)") }
                    }
                    return wrong
                }
            }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(mismatches.isEmpty)
    }

    @Test("running count equals the count of the text so far after every delta", arguments: TokenEncoding.allCases)
    func runningCount(encoding: TokenEncoding) throws {
        let tokenizer = try SharedTokenizers.tokenizer(encoding)
        var generator = SeededGenerator(seed: 42)
        // Every 7th corpus text keeps the per-delta prefix recount affordable in debug builds.
        for sample in SharedTokenizers.corpus where sample.id % 7 == 0 {
            var counter = tokenizer.makeIncrementalCounter()
            var soFar = ""
            for delta in sample.text.randomDeltas(maxScalars: 5, using: &generator) {
                counter.append(delta)
                soFar += delta
                #expect(counter.count == tokenizer.count(soFar), "sample \(sample.id) after \(soFar.unicodeScalars.count) scalars")
            }
        }
    }

    @Test(
        "splits between combining scalars, inside grapheme clusters and around added tokens",
        arguments: TokenEncoding.allCases
    )
    func awkwardSplits(encoding: TokenEncoding) throws {
        let tokenizer = try SharedTokenizers.tokenizer(encoding)
        let cases: [[String]] = [
            ["e", "\u{301}", "\u{327}te", " don", "'", "t", " WE'", "LL"],
            ["👨", "\u{200D}", "👩", "\u{200D}👧", " 🇺", "🇸"],
            ["12", "34", "5", " ", " ", "\n", "\r", "\n", "  x"],
            ["<｜", "User｜", ">hi<", "｜Assistant｜>", "<th", "ink>", "ok</think", ">"],
            ["中文", "字", "符", "カタ", "カナ", "١٢", "٣٤"],
            ["https:", "//exa", "mple.com/", "/", "\n"],
        ]
        for deltas in cases {
            var counter = tokenizer.makeIncrementalCounter()
            var soFar = ""
            for delta in deltas {
                counter.append(delta)
                soFar += delta
                #expect(counter.count == tokenizer.count(soFar), "\(soFar.debugDescription)")
            }
        }
    }

    @Test("adversarial inputs complete and agree with encode", arguments: TokenEncoding.allCases)
    func adversarialInputs(encoding: TokenEncoding) throws {
        let tokenizer = try SharedTokenizers.tokenizer(encoding)
        var generator = SeededGenerator(seed: 7)
        let randomBytes = (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let inputs = [
            String(repeating: "a", count: 100_000),
            String(repeating: " ", count: 100_000),
            String(repeating: "\n \t", count: 30_000),
            String(repeating: "!", count: 100_000),
            String(repeating: "中", count: 50_000),
            String(repeating: "9", count: 100_000),
            String(decoding: randomBytes, as: UTF8.self),
        ]
        for input in inputs {
            let count = tokenizer.count(input)
            #expect(count > 0)
            #expect(tokenizer.encode(input).count == count)
            // Streaming the same input in 4 KiB deltas: the unstable tail is recounted per delta.
            var counter = tokenizer.makeIncrementalCounter()
            var remaining = Substring(input)
            while !remaining.isEmpty {
                counter.append(String(remaining.prefix(4096)))
                remaining = remaining.dropFirst(4096)
            }
            #expect(counter.count == count)
        }
    }
}

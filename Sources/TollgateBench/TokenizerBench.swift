import Foundation
import TollgateTokenizers
import TollgateVocabularies

/// `tollgate-bench tokenizers`: Tollgate's token counting against tiktoken 0.14 (and Hugging Face
/// tokenizers for DeepSeek-V3), side by side in one run on one corpus file, single-threaded.
public enum TokenizerBench {
    /// Size of the corpus built when none is given.
    public static let corpusBytes = 20 * 1_000_000

    /// Where the conformance texts of the default corpus are looked for without a `tokenizerDir`
    /// (test data kept outside the repository; the corpus is built without them if absent).
    public static let defaultConformanceFolder = URL(fileURLWithPath: "../shared/tokenizers", isDirectory: true)

    /// Runs the benchmark and returns a Markdown report. `tokenizerDir` nil counts with the built-in
    /// vocabularies (and gives the reference the same bytes). `corpus` nil builds a ≥ 20 MB mixed
    /// corpus (conformance texts + local licence and documentation files) into a temp file.
    public static func run(tokenizerDir: URL?, corpus: URL?) throws -> String {
        let corpusFile = try corpus ?? buildCorpus(tokenizerDir: tokenizerDir ?? defaultConformanceFolder, minimumBytes: corpusBytes)
        defer { if corpus == nil { try? FileManager.default.removeItem(at: corpusFile) } }
        let data = try Data(contentsOf: corpusFile)
        let text = String(decoding: data, as: UTF8.self)
        let megabytes = Double(data.count) / 1e6
        var lines = [
            "# Tokenizer benchmark", "",
            "Corpus: \(corpusFile.path) — \(data.count) bytes. Single thread, best of 3 runs.",
            "Vocabularies: \(tokenizerDir?.path ?? "built-in").", "",
        ]

        lines += ["## Vocabulary load (median of 3)", "", "| encoding | load |", "|---|---|"]
        var tokenizers: [TokenEncoding: Tokenizer] = [:]
        for encoding in TokenEncoding.allCases {
            var samples: [Double] = []
            for _ in 0..<3 {
                let (seconds, tokenizer) = try time {
                    if let tokenizerDir { return try Tokenizer(encoding: encoding, directory: tokenizerDir) }
                    return try VocabularyLocator.builtIn.load(encoding).tokenizer
                }
                samples.append(seconds)
                tokenizers[encoding] = tokenizer
            }
            lines.append("| \(encoding.rawValue) | \(format(samples.sorted()[1] * 1000)) ms |")
        }

        let referenceFolder = try tokenizerDir ?? writeBuiltInVocabularies()
        defer { if tokenizerDir == nil { try? FileManager.default.removeItem(at: referenceFolder) } }
        let reference = runReference(corpus: corpusFile, tokenizerDir: referenceFolder)
        lines += [
            "", "## Whole-text counting throughput", "",
            "| encoding | Tollgate MB/s | tokens | reference MB/s | reference tokens | ratio |", "|---|---|---|---|---|---|",
        ]
        for encoding in TokenEncoding.allCases {
            guard let tokenizer = tokenizers[encoding] else { continue }
            var best = Double.infinity
            var tokens = 0
            for _ in 0..<3 {
                let (seconds, count) = time { tokenizer.count(text) }
                best = min(best, seconds)
                tokens = count
            }
            let ours = megabytes / best
            if let theirs = reference?[encoding.rawValue] as? [String: Any],
                let theirRate = theirs["mb_per_s"] as? Double, let theirTokens = theirs["tokens"] as? Int
            {
                lines.append(
                    "| \(encoding.rawValue) | \(format(ours)) | \(tokens) | \(format(theirRate)) | \(theirTokens)"
                        + "\(theirTokens == tokens ? "" : " (MISMATCH)") | \(format(ours / theirRate))× |"
                )
            } else {
                lines.append("| \(encoding.rawValue) | \(format(ours)) | \(tokens) | n/a | n/a | n/a |")
            }
        }
        if reference == nil {
            lines += [
                "",
                "Reference not run: needs python3 with tiktoken 0.14 and tokenizers "
                    + "(`pip install 'tiktoken==0.14.*' tokenizers`) and Benchmarks/tokenizers/tiktoken_bench.py "
                    + "in the working directory (or TOLLGATE_TIKTOKEN_BENCH pointing at it).",
            ]
        } else if let version = reference?["tiktoken_version"] as? String {
            lines += [
                "",
                "Reference: tiktoken \(version) `encode(text, disallowed_special=())`"
                    + "; DeepSeek-V3: Hugging Face tokenizers `encode(text, add_special_tokens=False)`, RAYON_NUM_THREADS=1.",
            ]
        }

        lines += [
            "", "## Incremental counting (streamed deltas of 1–12 scalars)", "",
            "| encoding | deltas | ns per delta | final count equals whole-text count |", "|---|---|---|---|",
        ]
        let streamed = String(text.unicodeScalars.prefix(2_000_000))
        let deltas = makeDeltas(streamed)
        for encoding in TokenEncoding.allCases {
            guard let tokenizer = tokenizers[encoding] else { continue }
            let (seconds, final) = time {
                var counter = tokenizer.makeIncrementalCounter()
                for delta in deltas { counter.append(delta) }
                return counter.count
            }
            let equal = final == tokenizer.count(streamed)
            lines.append("| \(encoding.rawValue) | \(deltas.count) | \(format(seconds * 1e9 / Double(deltas.count))) | \(equal) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Concatenates the conformance texts and readable local text files until `minimumBytes`.
    public static func buildCorpus(tokenizerDir: URL, minimumBytes: Int) throws -> URL {
        var corpus = Data()
        let conformance = tokenizerDir.appendingPathComponent("conformance.jsonl")
        if let jsonl = try? Data(contentsOf: conformance) {
            for line in jsonl.split(separator: UInt8(ascii: "\n")) {
                if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let sample = object["text"] as? String
                {
                    corpus.append(contentsOf: sample.utf8)
                    corpus.append(UInt8(ascii: "\n"))
                }
            }
        }
        let roots = ["/usr/share/common-licenses", "/usr/share/doc"]
        var files: [URL] = []
        for root in roots {
            guard
                let walker = FileManager.default.enumerator(
                    at: URL(fileURLWithPath: root),
                    includingPropertiesForKeys: [.isRegularFileKey]
                )
            else { continue }
            for case let file as URL in walker where file.pathExtension != "gz" {
                files.append(file)
            }
        }
        files.sort { $0.path < $1.path }
        var pass = 0
        while corpus.count < minimumBytes, pass < 64 {
            let before = corpus.count
            for file in files where corpus.count < minimumBytes {
                guard let contents = try? Data(contentsOf: file), contents.count < 2_000_000, !contents.contains(0),
                    String(validating: contents, as: UTF8.self) != nil
                else { continue }
                corpus.append(contents)
            }
            if corpus.count == before { corpus.append(corpus) }  // no local files: repeat what we have
            pass += 1
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tollgate-tokenizer-corpus-\(UUID().uuidString).txt")
        try corpus.write(to: file)
        return file
    }

    /// The built-in vocabulary files, written to a temporary folder for the reference tokenizers.
    static func writeBuiltInVocabularies() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tollgate-builtin-vocabularies-\(UUID().uuidString)")
        for path in BuiltInVocabularies.paths {
            guard let bytes = BuiltInVocabularies.bytes(path: path) else { continue }
            let file = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
        }
        return folder
    }

    /// Runs Benchmarks/tokenizers/tiktoken_bench.py; nil when python3 or its packages are missing.
    static func runReference(corpus: URL, tokenizerDir: URL) -> [String: Any]? {
        let script =
            ProcessInfo.processInfo.environment["TOLLGATE_TIKTOKEN_BENCH"]
            ?? FileManager.default.currentDirectoryPath + "/Benchmarks/tokenizers/tiktoken_bench.py"
        guard FileManager.default.fileExists(atPath: script) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script, "--corpus", corpus.path, "--tokenizer-dir", tokenizerDir.path,
            "--encoding", "o200k_base", "--encoding", "cl100k_base", "--hf",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    private static func makeDeltas(_ text: String) -> [String] {
        var generator = SystemRandomNumberGenerator()
        var deltas: [String] = []
        var scalars = Substring(text).unicodeScalars[...]
        while !scalars.isEmpty {
            let length = Int.random(in: 1...12, using: &generator)
            deltas.append(String(String.UnicodeScalarView(scalars.prefix(length))))
            scalars = scalars.dropFirst(length)
        }
        return deltas
    }

    private static func time<T>(_ body: () throws -> T) rethrows -> (Double, T) {
        let clock = ContinuousClock()
        var result: T?
        let elapsed = try clock.measure { result = try body() }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (seconds, result!)
    }

    private static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

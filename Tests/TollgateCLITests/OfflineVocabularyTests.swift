import Foundation
import Logging
import Testing
import TollgateLedger
import TollgateRelaySim
import TollgateTestSupport
import TollgateTokenizers

/// A fresh machine: no `TOLLGATE_*` variables, an empty HOME, no cache, no vocabulary files anywhere.
/// `serve`, `chat` and a copied binary count exactly with the vocabularies built into `tollgate`.
@Suite("Offline: the built-in vocabularies")
struct OfflineVocabularyTests {
    /// An empty HOME, and no cache location but the one under it.
    static func freshHome(_ cli: CLIRunner) throws -> (home: URL, environment: [String: String]) {
        let home = cli.folder.appending(path: "home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return (home, ["HOME": home.path, "XDG_CACHE_HOME": ""])
    }

    /// The `content` deltas of an OpenAI SSE stream, concatenated.
    static func streamedText(_ sse: String) throws -> String {
        var text = ""
        for line in sse.split(separator: "\n") where line.hasPrefix("data: {") {
            let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
            let choices = object?["choices"] as? [[String: Any]] ?? []
            for choice in choices { text += (choice["delta"] as? [String: Any])?["content"] as? String ?? "" }
        }
        return text
    }

    @Test(
        "serve on a fresh HOME starts, says every vocabulary is built in (banner and /readyz) and counts exactly",
        .enabled(if: Curl.available, "curl is required to talk to the served gateway")
    )
    func serveFreshHome() async throws {
        let cli = try CLIRunner()
        let (home, fresh) = try Self.freshHome(cli)
        let serve = try ServeProcess([], environment: fresh.merging(["TOLLGATE_DB": cli.db]) { $1 })
        let port = try await serve.port()
        #expect(serve.output.contains("vocabularies: o200k_base built-in, cl100k_base built-in, deepseek-v3 built-in"), "\(serve.output)")
        let ready =
            try JSONSerialization.jsonObject(with: Data(try await Curl.run(["-s", "http://127.0.0.1:\(port)/readyz"]).utf8)) as? [String: Any]
        #expect(ready?["status"] as? String == "ready", "\(String(describing: ready))")
        #expect(ready?["vocabularies"] as? [String: String] == ["o200k_base": "built-in", "cl100k_base": "built-in", "deepseek-v3": "built-in"])
        let key = try #require(
            serve.output.split(separator: "\n").first { $0.hasPrefix("  ") && !$0.contains("curl") && !$0.contains("-d ") }?
                .trimmingCharacters(in: .whitespaces)
        )
        let text = try Self.streamedText(try await Curl.stream(port: port, key: key, maxTokens: 60))
        #expect(!text.isEmpty)
        #expect(try await serve.terminate() == 0)
        let entry = try #require(try await SQLiteLedger(path: cli.db).entries(teamID: nil, from: nil, to: nil, limit: 10).first)
        let exact = try SharedTokenizerData.counter(forModel: "gpt-4.1").count(text)
        #expect(entry.localOutputTokens == exact)
        #expect(entry.usage.outputTokens == exact)
        #expect(!FileManager.default.fileExists(atPath: home.appending(path: ".cache/tollgate").path), "nothing was fetched or cached")
    }

    @Test("chat on a fresh HOME streams and counts exactly with the built-in vocabulary")
    func chatFreshHome() async throws {
        let cli = try CLIRunner()
        let (_, fresh) = try Self.freshHome(cli)
        _ = try await cli.ok(["team", "create", "t", "--budget", "1", "--currency", "CNY", "--period", "monthly"])
        let result = try await cli.run(
            ["chat", "--team", "t", "--model", "deepseek-v3.2", "--max-tokens", "60", "Say hello"],
            environment: fresh.merging(["TOLLGATE_UPSTREAM_URL": ""]) { $1 }
        )
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!result.stdout.isEmpty)
        let entry = try #require(try await SQLiteLedger(path: cli.db).entries(teamID: nil, from: nil, to: nil, limit: 10).first)
        let exact = try SharedTokenizerData.counter(forModel: "deepseek-v3.2").count(result.stdout)
        #expect(entry.localOutputTokens == exact)
        #expect(entry.usage.outputTokens == exact)
    }

    @Test(
        "a copied binary alone in an empty folder counts every conformance text exactly, in all three encodings",
        .enabled(if: SharedTokenizerData.conformanceCorpus != nil, Comment(rawValue: SharedTokenizerData.corpusMissing))
    )
    func copiedBinary() async throws {
        let cli = try CLIRunner()
        let (_, fresh) = try Self.freshHome(cli)
        let corpus = try #require(SharedTokenizerData.conformanceCorpus)
        let folder = cli.folder.appending(path: "elsewhere")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let binary = folder.appending(path: "tollgate")
        try FileManager.default.copyItem(at: CLIRunner.binary, to: binary)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["tollgate"])
        let lines = try Data(contentsOf: corpus).split(separator: UInt8(ascii: "\n"))
            .compactMap { try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        #expect(lines.count >= 300)
        for encoding in TokenEncoding.allCases {
            let expected = lines.map { "\($0[encoding.rawValue] as? Int ?? -1)" }
            let counted = try await OffPool.run {
                try Self.run(binary, ["tokens", "count", "--encoding", encoding.rawValue, "--jsonl", corpus.path], in: folder, environment: fresh)
            }
            #expect(counted.split(separator: "\n").map(String.init) == expected, "\(encoding.rawValue)")
        }
    }

    @Test("serve refuses a truncated vocabulary in --tokenizer-dir, naming the file and its expected SHA-256, instead of using the built-in one")
    func serveTruncatedOverride() async throws {
        let cli = try CLIRunner()
        let folder = cli.folder.appending(path: "vocab")
        try FileManager.default.createDirectory(at: folder.appending(path: "deepseek-v3"), withIntermediateDirectories: true)
        let file = folder.appending(path: "deepseek-v3/tokenizer.json")
        let original = try Data(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appending(path: "tokenizers/deepseek-v3/tokenizer.json")
        )
        try original.prefix(original.count / 3).write(to: file)
        let result = try await cli.run(["serve", "--port", "0", "--tokenizer-dir", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(file.path), "\(result.stderr)")
        #expect(result.stderr.contains(TokenEncoding.deepseekV3.sha256), "\(result.stderr)")
        #expect(!result.stdout.contains("listening on"))
    }

    /// Runs `binary` to its end in `folder` with exactly `environment` (plus PATH); returns stdout.
    static func run(_ binary: URL, _ arguments: [String], in folder: URL, environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CLIFailure(description: "\(binary.path) \(arguments) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A model added to the price table after this build with no `counting` in its catalog entry: it is counted as
/// the documented estimate and marked so, and `serve` still starts.
@Suite("Offline: a model with no registered tokenizer")
struct UnknownTokenizerModelTests {
    static let model = "qwen-9-max"

    /// The shipped pricing/ plus `model`, in `folder`.
    static func pricing(in folder: URL) throws -> URL {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "pricing")
        let copy = folder.appending(path: "pricing")
        try FileManager.default.copyItem(at: shipped, to: copy)
        for (file, anchor, insertion) in [
            ("models.json", "\"models\": {", "\n    \"\(model)\": { \"provider\": \"alibaba\", \"max_output_tokens\": 8192 },"),
            (
                "prices/2025-10-01.json", "\"relay\": {",
                "\n      \"\(model)\": { \"input\": \"0.40\", \"cached_input\": \"0.10\", \"output\": \"1.20\" },"
            ),
            (
                "prices/2025-10-01.json", "\"official\": {",
                "\n      \"\(model)\": { \"input\": \"0.40\", \"cached_input\": \"0.10\", \"output\": \"1.20\" },"
            ),
        ] {
            let url = copy.appending(path: file)
            let text = try String(contentsOf: url, encoding: .utf8)
            guard let range = text.range(of: anchor) else { throw CLIFailure(description: "\(file) lacks \(anchor)") }
            try text.replacingCharacters(in: range, with: anchor + insertion).write(to: url, atomically: true, encoding: .utf8)
        }
        return copy
    }

    @Test("chat counts it as o200k × 5/4, rounded up, and the ledger says estimate")
    func chatEstimate() async throws {
        let cli = try CLIRunner()
        let pricing = try Self.pricing(in: cli.folder).path
        _ = try await cli.run(["team", "create", "t", "--budget", "1", "--currency", "CNY", "--period", "monthly"])
        var configuration = RelaySimulatorConfiguration(tokensPerSecond: 2000, outputTokens: 30, reportUsage: false)
        configuration.models.append(Self.model)
        let result = try await withRelaySimulator(configuration: configuration, logger: Logger(label: "sim")) { port in
            try await cli.run([
                "chat", "--pricing", pricing, "--team", "t", "--model", Self.model, "--upstream", "ws://127.0.0.1:\(port)/v1/ws/stream", "Say hello",
            ])
        }
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("(estimate)"), "\(result.stderr)")
        let entry = try #require(try await SQLiteLedger(path: cli.db).entries(teamID: nil, from: nil, to: nil, limit: 10).first)
        #expect(entry.tokenSource == .estimate)
        let exact = try SharedTokenizerData.registry.tokenizer(for: .o200kBase).count(result.stdout)
        #expect(entry.usage.outputTokens == (exact * 5 + 3) / 4)
    }

    @Test(
        "serve starts with it in the price table and reports ready",
        .enabled(if: Curl.available, "curl is required to talk to the served gateway")
    )
    func serveStarts() async throws {
        let cli = try CLIRunner()
        let pricing = try Self.pricing(in: cli.folder).path
        let serve = try ServeProcess(["--pricing", pricing], environment: ["TOLLGATE_DB": cli.db])
        let port = try await serve.port()
        #expect(try await Curl.run(["-s", "http://127.0.0.1:\(port)/readyz"]).contains("\"status\":\"ready\""))
        #expect(try await Curl.run(["-s", "http://127.0.0.1:\(port)/v1/models"]).contains(Self.model))
        #expect(try await serve.terminate() == 0)
    }
}

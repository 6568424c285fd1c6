import Foundation
import Testing

@Suite("tollgate report HTML and generated ledgers")
struct ReportHTMLTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String) {
        try await OffPool.run { try Self.runBlocking(executable, arguments) }
    }

    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("--output writes a self-contained HTML page that headless Chromium renders with its table and charts")
    func htmlInChromium() async throws {
        let cli = try CLIRunner()
        _ = try await ReportGoldenLedger.build(cli)
        let file = cli.folder.appending(path: "savings.html").path
        #expect(
            try await cli.ok(["report", "savings", "--month", "2026-11", "--format", "html", "--output", file])
                == "Wrote the html report to \(file).\n"
        )
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(html.components(separatedBy: "<table>").count - 1 == 3)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        guard let chromium = Self.chromium else {
            print("SKIPPED Chromium check: install Debian's chromium package (apt-get install -y chromium) to render the page headless")
            return
        }
        let profile = cli.folder.appending(path: "chromium-profile").path
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--window-size=1200,1600"]
        let screenshot = cli.folder.appending(path: "savings.png").path
        let shot = try await run(chromium, common + ["--screenshot=\(screenshot)", "file://\(file)"])
        #expect(shot.status == 0)
        let png = try #require(FileManager.default.contents(atPath: screenshot))
        #expect(png.count > 10_000)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let dom = try await run(chromium, common + ["--dump-dom", "file://\(file)"])
        #expect(dom.status == 0)
        #expect(dom.stdout.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(dom.stdout.contains("<tfoot>"))
        #expect(dom.stdout.contains("Daily spend (paid CNY)"))
    }

    @Test("ledger generate is deterministic, stays quiet when piped, and its reports add up")
    func generate() async throws {
        let first = try CLIRunner()
        let second = try CLIRunner()
        let arguments = ["ledger", "generate", "--entries", "5000", "--teams", "3", "--months", "2", "--seed", "9", "--start", "2026-10"]
        for cli in [first, second] {
            let result = try await cli.run(arguments)
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("Wrote 5006 entries (5000 usage, 6 credits) for 3 teams over 2 months"))
            #expect(result.stderr.isEmpty, "progress must only show on a terminal: \(result.stderr)")
        }
        let report = ["report", "savings", "--month", "2026-11", "--format", "json"]
        #expect(try await first.ok(report) == (try await second.ok(report)))
        let object = try #require(try first.json(try await first.ok(report)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 12)
        let requests = rows.compactMap { $0["requests"] as? Int }.reduce(0, +)
        #expect(requests == (object["totals"] as? [String: Any])?["requests"] as? Int)
        #expect(requests > 2000 && requests < 3000)
        let reconcile = try #require(
            try first.json(try await first.ok(["report", "reconcile", "--month", "2026-11", "--format", "json"])) as? [String: Any]
        )
        #expect((reconcile["rows"] as? [Any])?.count == 4)
        #expect(try await first.ok(["report", "verify"]).contains("5006 entries"))
        let other = try CLIRunner()
        _ = try await other.ok(arguments.dropLast(4) + ["--seed", "10", "--start", "2026-10"])
        #expect(try await other.ok(report) != (try await first.ok(report)))
    }

    @Test(
        "generate refuses nonsense sizes and months",
        arguments: [
            (["--entries", "0"], "--entries, --teams (up to 999) and --months (up to 1200) must be positive"),
            (["--entries", "10", "--teams", "0"], "must be positive whole numbers"),
            (["--entries", "10", "--start", "2026-13"], "--start '2026-13' is not a month"),
        ]
    )
    func generateErrors(arguments: [String], message: String) async throws {
        let cli = try CLIRunner()
        let result = try await cli.run(["ledger", "generate"] + arguments)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("on a terminal, generate shows progress on stderr")
    func progressOnTerminal() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            print("SKIPPED terminal progress check: util-linux 'script' is needed to give the command a terminal")
            return
        }
        let cli = try CLIRunner()
        let command =
            "TOLLGATE_DB='\(cli.db)' '\(CLIRunner.binary.path)' ledger generate --entries 20000 --teams 2 --months 1 --batch 1000 >/dev/null"
        let result = try await run("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Generating: 5 % (1,000 of 20,000)"))
        #expect(result.stdout.contains("Generating: 100 % (20,000 of 20,000)"))
    }
}

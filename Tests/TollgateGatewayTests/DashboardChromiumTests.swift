import Foundation
import Testing

/// The dashboard as a browser sees it: headless Chromium logs in with `?token=` (following the
/// redirect with its cookie), renders the page, and its DOM shows the admin API's numbers.
@Suite("Web dashboard in headless Chromium")
struct DashboardChromiumTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Where the screenshot is kept after the run (never committed: `.build` is ignored).
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: ".build/test-artifacts")

    @Test("Chromium loads /dashboard through the token login; its numbers equal GET /admin/teams; a screenshot is kept")
    func rendersInChromium() async throws {
        guard let chromium = Self.chromium else {
            print("SKIPPED dashboard Chromium check: install Debian's chromium package (apt-get install -y chromium) to render the page headless")
            return
        }
        try await GatewayHarness.run { gateway in
            #expect(try await gateway.chat(key: gateway.alphaKey, maxTokens: 60).status == 200)
            #expect(try await gateway.chat(key: gateway.betaKey, model: "deepseek-v3.2", stream: true, maxTokens: 40).status == 200)
            let tinyKey = try await gateway.team("tiny", budget: "0.0001")
            #expect(try await gateway.chat(key: tinyKey, maxTokens: 200).status == 402)

            let profile = FileManager.default.temporaryDirectory.appending(path: "tollgate-chromium-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: profile) }
            let url = gateway.base + "/dashboard?token=\(GatewayHarness.adminToken)"
            let common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)", "--window-size=1400,1800"]
            let dom = try await PythonClient.runOffPool(common + ["--dump-dom", url])
            #expect(dom.status == 0, "chromium: \(dom.stderr.suffix(400))")
            #expect(dom.stdout.contains("<h1>Tollgate dashboard</h1>"), "the login redirect and its cookie led to the page")

            let api = try await gateway.send(.GET, "/admin/teams", key: GatewayHarness.adminToken)
            let teams = try #require(try api.json()["data"] as? [[String: Any]])
            let cells = DashboardCells.values(dom.stdout)
            #expect(cells.count == teams.count)
            for team in teams {
                let name = try #require(team["team"] as? String)
                for field in ["spent", "reserved", "remaining"] {
                    #expect(cells[name]?[field] == team[field] as? String, "\(name) \(field) in Chromium's DOM")
                }
            }
            #expect(dom.stdout.contains("budget_exceeded"))

            try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
            let screenshot = Self.artifacts.appending(path: "dashboard.png")
            try? FileManager.default.removeItem(at: screenshot)
            let shot = try await PythonClient.runOffPool(common + ["--screenshot=\(screenshot.path)", url])
            #expect(shot.status == 0, "chromium: \(shot.stderr.suffix(400))")
            let png = try #require(FileManager.default.contents(atPath: screenshot.path))
            #expect(png.count > 10_000)
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            print("dashboard screenshot: \(screenshot.path)")
        }
    }
}

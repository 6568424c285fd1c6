import Foundation
import Testing
import TollgateStreaming
import TollgateTestSupport

@testable import TollgateMetering

@Suite("Prompt counting: images by OpenAI's tile formula")
struct ImageTokensTests {
    let counter = PromptFixtures.gpt

    func imageTokens(_ url: String, detail: String? = nil) -> PromptCount {
        PromptCounting.count(body: PromptFixtures.user(parts: PromptFixtures.imagePart(url, detail: detail)), with: counter)
    }

    @Test("OpenAI's worked examples: 1024² high = 765, 2048×4096 high = 1105, 4096×8192 low = 85")
    func workedExamples() {
        #expect(ImageTokens.count(ImageDimensions(width: 1024, height: 1024), detail: "high") == 765)
        #expect(ImageTokens.count(ImageDimensions(width: 2048, height: 4096), detail: "high") == 1105)
        #expect(ImageTokens.count(ImageDimensions(width: 4096, height: 8192), detail: "low") == 85)
    }

    @Test(
        "tiles after both scaling steps",
        arguments: [
            (512, 512, 1), (513, 512, 2), (100, 100, 1), (768, 768, 4), (769, 769, 4), (1024, 768, 4),
            (768, 2048, 8), (2048, 768, 8), (768, 4096, 4), (4096, 4096, 4), (1, 10_000, 4), (10_000, 1, 4),
            (1920, 1080, 6), (3000, 200, 4), (Int(UInt32.max), Int(UInt32.max), 4),
        ]
    )
    func tiles(width: Int, height: Int, tiles: Int) {
        #expect(ImageTokens.tiles(width: width, height: height) == tiles)
    }

    @Test("the worst case at high detail is 8 tiles, 1445 tokens, and no size exceeds it (seeded sweep)")
    func worstCase() {
        #expect(ImageTokens.worstCase == 1445)
        var random = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let width = Int.random(in: 1...20_000, using: &random)
            let height = Int.random(in: 1...20_000, using: &random)
            #expect(ImageTokens.count(ImageDimensions(width: width, height: height), detail: "high") <= 1445)
        }
    }

    @Test(
        "each format's header gives the size: PNG, JPEG, GIF, WebP lossy, lossless and extended",
        arguments: [
            ("png", PromptFixtures.png(width: 1024, height: 1024)),
            ("jpeg", PromptFixtures.jpeg(width: 1024, height: 1024)),
            ("gif", PromptFixtures.gif(width: 1024, height: 1024)),
            ("webp-vp8", PromptFixtures.webpLossy(width: 1024, height: 1024)),
            ("webp-vp8l", PromptFixtures.webpLossless(width: 1024, height: 1024)),
            ("webp-vp8x", PromptFixtures.webpExtended(width: 1024, height: 1024)),
        ]
    )
    func formats(name: String, bytes: [UInt8]) {
        let result = imageTokens(PromptFixtures.dataURL(bytes))
        #expect(result.breakdown.images == 765, "\(name)")
        #expect(!result.estimated, "\(name)")
        #expect(imageTokens(PromptFixtures.dataURL(bytes), detail: "auto").breakdown.images == 765, "\(name) auto")
    }

    @Test("sizes other than square read right: 2048×4096 PNG = 1105, 300×200 JPEG = 255, 1×1 GIF = 255")
    func sizes() {
        #expect(imageTokens(PromptFixtures.dataURL(PromptFixtures.png(width: 2048, height: 4096))).breakdown.images == 1105)
        #expect(imageTokens(PromptFixtures.dataURL(PromptFixtures.jpeg(width: 300, height: 200))).breakdown.images == 255)
        #expect(imageTokens(PromptFixtures.dataURL(PromptFixtures.gif(width: 1, height: 1))).breakdown.images == 255)
    }

    @Test("low detail is 85 whatever the source, remote or data")
    func lowDetail() {
        #expect(imageTokens("https://example.com/cat.png", detail: "low").breakdown.images == 85)
        #expect(imageTokens(PromptFixtures.dataURL(PromptFixtures.png(width: 8000, height: 8000)), detail: "low").breakdown.images == 85)
        #expect(!imageTokens("https://example.com/cat.png", detail: "low").estimated)
    }

    @Test("a remote URL at high or auto detail costs the worst case, marked estimated")
    func remote() {
        for detail in [nil, "high", "auto"] {
            let result = imageTokens("https://example.com/cat.png", detail: detail)
            #expect(result.breakdown.images == 1445)
            #expect(result.estimated && result.problems.isEmpty)
        }
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static let malformedURLs: [String] = {
        var urls: [String] = []
        urls.append("data:image/png;base64,")
        urls.append("data:image/png;base64,iVBORw0KGgo")  // PNG cut inside the signature
        urls.append("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA")  // cut inside IHDR
        urls.append("data:image/png;base64,!!!!not base64 at all!!!!")
        urls.append("data:image/png,%89PNG")  // not base64
        urls.append("data:image/svg+xml;base64," + base64(Array("<svg width='10' height='10'/>".utf8)))
        urls.append("data:;base64," + base64(Array("just some text".utf8)))
        urls.append("data:image/png;base64," + base64(PromptFixtures.png(width: 0, height: 10)))
        urls.append("data:image/jpeg;base64," + base64([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08] + Array(repeating: 0, count: 20)))
        urls.append("data:image/jpeg;base64," + base64([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]))
        let emptySegments: [UInt8] = Array([[UInt8]](repeating: [0xFF, 0xFE, 0x00, 0x02], count: 5000).joined())
        urls.append("data:image/jpeg;base64," + base64([0xFF, 0xD8] + emptySegments))
        urls.append("data:image/webp;base64," + base64(Array("RIFF\0\0\0\0WEBPVP8Z".utf8)))
        urls.append("")
        urls.append("not a url")
        return urls
    }()

    @Test("malformed data never crashes: it costs the worst case, marked estimated", arguments: malformedURLs)
    func malformed(url: String) {
        let result = imageTokens(url)
        #expect(result.breakdown.images == 1445)
        #expect(result.estimated)
    }

    @Test("fuzz (seeded): whole headers count their size exactly; cut or corrupted ones never crash and stay within 255...1445")
    func fuzz() {
        var random = SeededGenerator(seed: 1805)
        let makers: [(Int, Int) -> [UInt8]] = [
            PromptFixtures.png, PromptFixtures.jpeg, PromptFixtures.gif,
            PromptFixtures.webpLossy, PromptFixtures.webpLossless, PromptFixtures.webpExtended,
        ]
        for round in 0..<600 {
            let width = Int.random(in: 1...16_383, using: &random)
            let height = Int.random(in: 1...16_383, using: &random)
            var bytes = makers[round % makers.count](width, height)
            let whole = ImageTokens.count(ImageDimensions(width: width, height: height), detail: nil)
            #expect(imageTokens(PromptFixtures.dataURL(bytes)).breakdown.images == whole, "round \(round)")
            if Bool.random(using: &random) {
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            } else {
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            let images = imageTokens(PromptFixtures.dataURL(bytes)).breakdown.images
            #expect((255...1445).contains(images), "round \(round): \(images)")
        }
    }

    @Test("an image_url given as a bare string is read like an object's url; a missing url is the worst case and a problem")
    func shapes() {
        let bare = PromptCounting.count(
            body: PromptFixtures.user(
                parts: #"[{"type":"image_url","image_url":"\#(PromptFixtures.dataURL(PromptFixtures.png(width: 512, height: 512)))"}]"#
            ),
            with: counter
        )
        #expect(bare.breakdown.images == 255)
        let missing = PromptCounting.count(body: PromptFixtures.user(parts: #"[{"type":"image_url","image_url":{"detail":"high"}}]"#), with: counter)
        #expect(missing.breakdown.images == 1445)
        #expect(missing.problems.map(\.description) == ["messages[0].content[0].image_url.url: missing; expected the image's URL or a data: URL"])
    }

    @Test("a 10 MB data URL is read from its header only, and counted")
    func hugeImage() {
        let bytes = PromptFixtures.jpeg(width: 4000, height: 3000) + Array(repeating: 0x11, count: 7_500_000)
        #expect(imageTokens(PromptFixtures.dataURL(bytes)).breakdown.images == 765)
    }

    @Test("the image parts of a message add to its text")
    func mixed() {
        let parts = #"[{"type":"text","text":"What is this?"},"# + String(PromptFixtures.imagePart("https://x/y.png").dropFirst())
        let result = PromptCounting.count(body: PromptFixtures.user(parts: parts), with: counter)
        #expect(result.total == 3 + 3 + counter.count("user") + counter.count("What is this?") + 1445)
    }
}

import Foundation
import Testing
import TollgateStreaming

@testable import TollgateMetering

@Suite("Prompt counting: audio and file estimates")
struct MediaTokensTests {
    let counter = PromptFixtures.gpt

    func audio(_ bytes: [UInt8], format: String = "wav") -> PromptCount {
        PromptCounting.count(
            body: PromptFixtures.user(
                parts: #"[{"type":"input_audio","input_audio":{"data":"\#(Data(bytes).base64EncodedString())","format":"\#(format)"}}]"#
            ),
            with: counter
        )
    }

    func file(_ fields: String) -> PromptCount {
        PromptCounting.count(body: PromptFixtures.user(parts: #"[{"type":"file","file":\#(fields)}]"#), with: counter)
    }

    @Test("WAV: 10 tokens per second at the byte rate its fmt chunk states (header bytes round up)")
    func wav() {
        let oneSecond = audio(PromptFixtures.wav(byteRate: 32_000, dataBytes: 32_000))
        #expect(oneSecond.breakdown.audio == (32_044 * 10 + 31_999) / 32_000)  // 11: 44 header bytes push past 10
        #expect(oneSecond.estimated)
        #expect(audio(PromptFixtures.wav(byteRate: 48_000, dataBytes: 480_000 - 44)).breakdown.audio == 100)
    }

    @Test(
        "MP3: the first frame's bitrate, after an ID3v2 tag",
        arguments: [
            ([0xFF, 0xFB, 0x90, 0x00], 16_000),  // MPEG-1 layer III, 128 kbit/s
            ([0xFF, 0xF3, 0x40, 0x00], 4_000),  // MPEG-2 layer III, 32 kbit/s
        ] as [([UInt8], Int)]
    )
    func mp3(header: [UInt8], bytesPerSecond: Int) {
        let frames = header + Array(repeating: 0, count: bytesPerSecond * 3 - header.count)
        #expect(audio(frames, format: "mp3").breakdown.audio == 30)
        let tag: [UInt8] = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 10] + Array(repeating: 0, count: 10)
        let tagged = tag + header + Array(repeating: 0, count: bytesPerSecond * 3 - header.count - tag.count)
        #expect(audio(tagged, format: "mp3").breakdown.audio == 30)
    }

    @Test("audio whose rate cannot be read counts at 8 kbit/s (1000 bytes/s), the slowest MP3, so it errs long")
    func unknownRate() {
        #expect(audio(Array(repeating: 0x42, count: 5_000), format: "mp3").breakdown.audio == 50)
        #expect(audio(Array("RIFF\0\0\0\0WAVE".utf8), format: "wav").breakdown.audio == 1)
        #expect(audio(Array(repeating: 0xFF, count: 2_000), format: "flac").breakdown.audio == 20)
    }

    @Test("audio without data is a problem and counts nothing")
    func audioWithoutData() {
        let result = PromptCounting.count(
            body: PromptFixtures.user(parts: #"[{"type":"input_audio","input_audio":{"format":"wav"}}]"#),
            with: counter
        )
        #expect(result.problems.map(\.description) == ["messages[0].content[0].input_audio.data: missing; expected the base64 audio"])
        #expect(result.breakdown.audio == 0)
    }

    @Test("an assistant's audio answer referenced by id adds nothing it cannot see, but marks the count estimated")
    func audioReference() {
        let result = PromptCounting.count(
            body: PromptFixtures.body(#"{"messages":[{"role":"assistant","audio":{"id":"audio_abc"}}]}"#),
            with: counter
        )
        #expect(result.estimated && result.problems.isEmpty)
        #expect(result.total == 3 + 3 + counter.count("assistant"))
    }

    @Test("a PDF counts 2445 tokens per page object (not the /Pages tree), plus its file name")
    func pdfPages() {
        let pdf =
            "%PDF-1.7\n1 0 obj << /Type /Pages /Count 3 >> endobj\n2 0 obj << /Type /Page /Parent 1 0 R >>\n3 0 obj <</Type/Page>>\n4 0 obj << /Type\n/Page >>\n%%EOF"
        let result = file(#"{"filename":"report.pdf","file_data":"data:application/pdf;base64,\#(Data(pdf.utf8).base64EncodedString())"}"#)
        #expect(result.breakdown.files == 3 * 2445 + counter.count("report.pdf"))
        #expect(result.estimated)
        #expect(FileTokens.perPage == 2445)
    }

    @Test("a file without page objects counts one page per 8 KiB; raw base64 is read like a data URL")
    func compressedPDF() {
        let bytes = Array("%PDF-1.7\n".utf8) + Array(repeating: 0x78, count: 20_000)
        #expect(file(#"{"file_data":"\#(Data(bytes).base64EncodedString())"}"#).breakdown.files == 3 * 2445)
    }

    @Test("a file_id reference counts one page; a file part with neither data nor id is a problem")
    func fileReferences() {
        #expect(file(#"{"file_id":"file-abc"}"#).breakdown.files == 2445)
        let empty = file(#"{"filename":"x.pdf"}"#)
        #expect(empty.problems.map(\.description) == ["messages[0].content[0].file: expected file_data (base64) or file_id"])
        let notObject = file("7")
        #expect(notObject.problems.map(\.description) == ["messages[0].content[0].file: expected an object with file_data or file_id, got a number"])
    }
}

import Testing

@testable import TollgateStreaming

@Suite("Server-sent event parser")
struct ServerSentEventParserTests {
    private func parse(_ chunks: [String]) -> [ServerSentEventParser.Event] {
        var parser = ServerSentEventParser()
        return chunks.flatMap { parser.feed(Array($0.utf8)) }
    }

    @Test func singleDataLine() {
        #expect(parse(["data: {\"a\":1}\n\n"]) == [.init(data: "{\"a\":1}")])
    }

    @Test func multiLineDataIsJoinedWithNewlines() {
        #expect(parse(["data: first\ndata: second\ndata:third\n\n"]) == [.init(data: "first\nsecond\nthird")])
    }

    @Test func commentsAndUnknownFieldsAreIgnored() {
        #expect(parse([": keep-alive\n", "id: 7\nretry: 100\ndata: x\n\n", ":\n\n"]) == [.init(data: "x")])
    }

    @Test func crlfAndBareCRLineEnds() {
        #expect(parse(["data: a\r\n\r\ndata: b\r\rdata: c\n\n"]) == [.init(data: "a"), .init(data: "b"), .init(data: "c")])
    }

    @Test func crlfSplitAcrossBuffersIsOneLineEnd() {
        #expect(parse(["data: a\r", "\n\r", "\ndata: b\r", "\r"]) == [.init(data: "a"), .init(data: "b")])
    }

    @Test func eventsSplitAtEveryByteStillParse() {
        let text = "event: delta\ndata: {\"content\":\"héllo\"}\n\ndata: [DONE]\n\n"
        var parser = ServerSentEventParser()
        var events: [ServerSentEventParser.Event] = []
        for byte in Array(text.utf8) { events += parser.feed([byte]) }
        #expect(events == [.init(type: "delta", data: "{\"content\":\"héllo\"}"), .init(data: "[DONE]")])
    }

    @Test func doneMarkerIsPlainData() {
        #expect(parse(["data: [DONE]\n\n"]) == [.init(data: "[DONE]")])
    }

    @Test func unfinishedEventAtEndIsNotDispatched() {
        #expect(parse(["data: complete\n\ndata: partial\n"]) == [.init(data: "complete")])
    }

    @Test func emptyDataLineDispatchesEmptyString() {
        #expect(parse(["data\n\n"]) == [.init(data: "")])
    }

    @Test("any split of a stream, contiguous or not, gives the same events as one buffer")
    func splitsAndNonContiguousInput() {
        let text =
            "event: delta\r\ndata: {\"content\":\"h\u{e9}llo \u{1F389}\"}\r\n\r\n: comment\ndata:a\ndata: b\rid: 1\r\r"
            + String(repeating: "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"piece\"}}]}\n\n", count: 20) + "data: [DONE]\n\n"
        var whole = ServerSentEventParser()
        let expected = whole.feed(Array(text.utf8))
        #expect(expected.count == 23)
        #expect(expected[0] == .init(type: "delta", data: "{\"content\":\"h\u{e9}llo \u{1F389}\"}"))
        #expect(expected[1] == .init(data: "a\nb"))
        let bytes = Array(text.utf8)
        for size in [1, 2, 3, 5, 7, 13, 64, 1000] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEventParser.Event] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += parser.feed(bytes[start..<min(start + size, bytes.count)])
            }
            #expect(events == expected, "split every \(size) bytes")
        }
        var lazyParser = ServerSentEventParser()
        #expect(lazyParser.feed(text.utf8.lazy.map { $0 }) == expected, "a sequence without contiguous storage")
    }
}

import Foundation
import NIOCore
import Testing
import TollgateStreaming

@testable import TollgateGateway

@Suite("SSE chunk encoding (hand-written) against JSONEncoder")
struct ChunkFactoryTests {
    static let texts: [String] =
        (0..<0x80).map { String(UnicodeScalar(UInt8($0))) } + [
            "", "Hello", "a \"quoted\" \\ back/slash", "line\nbreak\ttab\r\u{08}\u{0C}\u{00}\u{1F}\u{7F}", "café 中文 🎉👩‍💻 \u{2028}",
            String(repeating: "long text ", count: 300),
        ]

    static let factories = [
        ChunkFactory(id: "chatcmpl-7f3a", model: "gpt-4.1", created: 1_795_000_000),
        ChunkFactory(id: "chatcmpl-\"odd\" \\ id/\n", model: "modèle-中", created: -1),
    ]

    private func expected(_ factory: ChunkFactory, _ choice: ChatCompletionsChunk.Choice) throws -> [UInt8] {
        let chunk = ChatCompletionsChunk(id: factory.id, model: factory.model, created: factory.created, choices: [choice])
        return Array(SSE.data(try JSONEncoder.gateway.encode(chunk)).readableBytesView)
    }

    @Test("delta chunks are byte-for-byte what JSONEncoder.gateway writes", arguments: texts)
    func deltaChunks(_ text: String) throws {
        for factory in Self.factories {
            #expect(Array(factory.delta(.init(content: text)).readableBytesView) == (try expected(factory, .init(delta: .init(content: text)))))
        }
    }

    @Test("the role chunk, an empty delta and finish chunks match JSONEncoder.gateway")
    func roleAndFinishChunks() throws {
        for factory in Self.factories {
            for delta in [ChatCompletionsChunk.Choice.Delta(role: .assistant, content: ""), .init(role: .assistant), .init()] {
                #expect(Array(factory.delta(delta).readableBytesView) == (try expected(factory, .init(delta: delta))))
            }
            for reason in ["stop", "length", "content_filter", "odd \"reason\"\n"] {
                #expect(Array(factory.finish(reason).readableBytesView) == (try expected(factory, .init(delta: .init(), finishReason: reason))))
            }
        }
    }

    @Test("a chunk is one SSE event whose data decodes back to the chunk")
    func decodesBack() throws {
        let factory = Self.factories[1]
        let line = String(buffer: factory.delta(.init(content: "x\n\"y\" 🎉")))
        #expect(line.hasPrefix("data: ") && line.hasSuffix("\n\n"))
        #expect(line.dropFirst(6).dropLast(2).contains("\n") == false)
        let chunk = try JSONDecoder().decode(ChatCompletionsChunk.self, from: Data(line.dropFirst(6).dropLast(2).utf8))
        #expect(chunk.choices?.first?.delta.content == "x\n\"y\" 🎉")
        #expect(chunk.id == factory.id && chunk.model == factory.model && chunk.object == "chat.completion.chunk")
    }
}

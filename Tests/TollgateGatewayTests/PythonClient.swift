import Foundation
import TollgateTestSupport

/// Runs real Python clients (nobody here wrote them) as processes, off Swift's cooperative pool:
/// blocking pipe reads on the 2-thread pool would starve the in-process gateway they talk to.
enum PythonClient {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Python")

    /// Whether `python3 -c "import MODULE"` works.
    static func has(_ module: String) -> Bool {
        (try? run(["python3", "-c", "import \(module)"]).status) == 0
    }

    static let webSocketReady = has("websocket")
    static let openAIReady = has("openai")
    static let anthropicReady = has("anthropic")

    static func runOffPool(_ arguments: [String], environment: [String: String] = [:]) async throws -> ChildProcess.Output {
        try await ChildProcess.runOffPool(arguments, environment: environment)
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess.Output {
        try ChildProcess.run(arguments, environment: environment)
    }
}

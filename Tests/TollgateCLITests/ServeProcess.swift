import Foundation
import Synchronization

/// A running `tollgate serve` child process: its output collected on threads (never on the
/// cooperative pool), its port read from the startup banner.
final class ServeProcess: Sendable {
    let process: Process
    /// stdout, then stderr, as read so far.
    private let streams = Mutex(["", ""])
    private let closed = Mutex(0)

    init(_ arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        var env = ProcessInfo.processInfo.environment
        for name in ["TOLLGATE_UPSTREAM_URL", "TOLLGATE_ADMIN_TOKEN", "TOLLGATE_PORT", "TOLLGATE_HOST", "TOLLGATE_PRICING_DIR"] {
            env.removeValue(forKey: name)
        }
        FreshVocabularies.scrub(&env)
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        self.process = process
        try process.run()
        for (index, pipe) in [out, err].enumerated() {
            Thread { [self] in
                while true {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    streams.withLock { $0[index] += String(decoding: chunk, as: UTF8.self) }
                }
                closed.withLock { $0 += 1 }
            }.start()
        }
    }

    var output: String { streams.withLock { $0[0] } }
    var errors: String { streams.withLock { $0[1] } }

    /// The port from "listening on HOST:PORT", waiting up to 30 s for it.
    func port() async throws -> Int {
        for _ in 0..<3000 {
            if let line = output.split(separator: "\n").first(where: { $0.contains("listening on") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return port
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CLIFailure(description: "tollgate serve did not start: stdout \(output) stderr \(errors)")
    }

    /// Sends SIGTERM and waits (up to `timeout`) for the exit and the end of both outputs.
    func terminate(timeout: Duration = .seconds(30)) async throws -> Int32 {
        process.terminate()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning || closed.withLock({ $0 }) < 2 {
            guard ContinuousClock.now < deadline else { throw CLIFailure(description: "tollgate serve did not exit after SIGTERM") }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }
}

/// `curl`, run off the cooperative pool: a real HTTP client nobody here wrote.
enum Curl {
    static func stream(port: Int, key: String, maxTokens: Int? = nil) async throws -> String {
        let limit = maxTokens.map { ",\"max_tokens\":\($0)" } ?? ""
        let body =
            #"{"model":"gpt-4.1","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello"}]"# + limit + "}"
        return try await run([
            "-sN", "http://127.0.0.1:\(port)/v1/chat/completions", "-H", "Authorization: Bearer \(key)",
            "-H", "Content-Type: application/json", "-d", body,
        ])
    }

    static func run(_ arguments: [String]) async throws -> String {
        try await OffPool.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["curl", "--max-time", "60"] + arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Runs any command to its end (off the pool); returns its exit status and standard output.
    static func runCapturing(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await OffPool.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    /// Runs any command to its end (off the pool) and returns its exit status; output is discarded.
    static func runProcess(_ arguments: [String]) async throws -> Int32 {
        try await OffPool.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Whether python3 can import websocket-client (checked once, when the test list is built).
    static let pythonWebSocketReady: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import websocket"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static let available: Bool = FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
}

import Foundation

/// Runs a child process (a real Python client, Chromium) for a test and collects its output.
public enum ChildProcess {
    /// The exit status and the whole of standard output and standard error.
    public typealias Output = (status: Int32, stdout: String, stderr: String)

    /// ``run(_:environment:)`` on a thread of its own: blocking pipe reads on Swift's 2-thread
    /// cooperative pool would starve the in-process server the child talks to.
    public static func runOffPool(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try run(arguments, environment: environment) }) }.start()
        }
    }

    /// Runs `arguments` through `/usr/bin/env` with `environment` added, and waits for it to end.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Drain stderr on its own thread so a chatty child can't fill its pipe while stdout is read.
        let errors = ErrorDrain(stderr.fileHandleForReading)
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = errors.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// Reads a pipe to its end on a Dispatch thread.
private final class ErrorDrain: @unchecked Sendable {
    // Safe: `data` is written once on the drain thread before `done` is signalled and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

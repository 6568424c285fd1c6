import Foundation
import Synchronization

/// Runs the real `tollgate` binary (built next to the test bundle) against a temporary ledger.
final class CLIRunner: Sendable {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-cli-\(UUID().uuidString)")
    var db: String { folder.appending(path: "ledger.sqlite").path }

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The binary sits in the same build folder as the test executable.
    static let binary: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = exe.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appending(path: "tollgate").path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appending(path: "tollgate")
    }()

    /// Runs the binary. The blocking process work happens off Swift's cooperative thread pool:
    /// blocking a pool thread (2 on this machine) starves every other test's async work and timers.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> Result {
        try await OffPool.run { try self.runBlocking(arguments, stdin: stdin, environment: environment) }
    }

    private func runBlocking(_ arguments: [String], stdin: String?, environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["TOLLGATE_DB"] = db
        env.removeValue(forKey: "TOLLGATE_PRICING_DIR")
        FreshVocabularies.scrub(&env)
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = folder
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Drain stderr concurrently so a chatty child can't fill its pipe while stdout is read.
        let stderrData = Mutex(Data())
        let drained = DispatchGroup()
        DispatchQueue.global().async(group: drained) {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            stderrData.withLock { $0 = data }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderrData.withLock { $0 }, as: UTF8.self)
        )
    }

    /// Runs and requires success, returning stdout.
    func ok(_ arguments: [String], stdin: String? = nil) async throws -> String {
        let result = try await run(arguments, stdin: stdin)
        guard result.status == 0 else {
            throw CLIFailure(description: "tollgate \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    func write(_ name: String, _ contents: String) throws -> String {
        let url = folder.appending(path: name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }
}

struct CLIFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs blocking work (process waits, pipe reads) on a Dispatch thread instead of the cooperative pool.
enum OffPool {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }
}

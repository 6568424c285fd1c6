import Foundation

/// A `tollgate serve` or `tollgate relay-sim` child process: the gateway under test and its upstream
/// run apart from the load client, so each one's resident memory, CPU time and open files are its own.
///
/// Its output goes to a log file (read for the listening port, shown when something fails); it is
/// stopped with SIGTERM, as an operator would.
// @unchecked: every stored property is a `let`; `Process` (not marked Sendable) is only asked for
// `terminate()` and `waitUntilExit()` after `run()`, which are safe from any thread.
final class BenchProcess: @unchecked Sendable {
    let port: Int
    let pid: Int32
    private let process: Process
    private let log: URL

    /// Starts `executable command --host 127.0.0.1 --port 0 arguments` with `environment` added, and
    /// waits until it prints `listeningPrefix` followed by `host:port`.
    init(
        executable: String,
        command: String,
        arguments: [String],
        environment: [String: String],
        log: URL,
        listeningPrefix: String
    ) async throws {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [command, "--host", "127.0.0.1", "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try output.close()
        self.process = process
        self.log = log
        self.pid = process.processIdentifier
        var found: Int?
        for _ in 0..<1200 where found == nil {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(listeningPrefix) }),
                let address = line.dropFirst(listeningPrefix.count).split(separator: " ").first,
                let port = address.split(separator: ":").last.flatMap({ Int($0) })
            {
                found = port
            } else if !process.isRunning {
                break
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw BenchFailure("tollgate \(command) did not start listening; its output:\n\(Self.tail(of: log))")
        }
        self.port = found
    }

    /// Resident set size now, in bytes (`VmRSS` of /proc/PID/status).
    func residentBytes() throws -> Int {
        try Self.statusField("VmRSS", pid: pid) * 1024
    }

    /// Peak resident set size, in bytes (`VmHWM`).
    func peakResidentBytes() throws -> Int {
        try Self.statusField("VmHWM", pid: pid) * 1024
    }

    /// User + system CPU seconds the gateway has used (fields 14 and 15 of /proc/PID/stat).
    func cpuSeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { throw BenchFailure("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchFailure("unreadable /proc/\(pid)/stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Sends SIGTERM and waits for the exit status (the gateway settles open streams first).
    func stop() async -> Int32 {
        process.terminate()
        let process = self.process
        return await Task.detached {
            process.waitUntilExit()
            return process.terminationStatus
        }.value
    }

    /// The last lines the gateway wrote.
    var outputTail: String { Self.tail(of: log) }

    private static func tail(of log: URL) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
    }

    private static func statusField(_ name: String, pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
            let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Int($0) })
        else {
            throw BenchFailure("no \(name) in /proc/\(pid)/status")
        }
        return kilobytes
    }
}

/// A benchmark that could not run as set up; the message says what to fix.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

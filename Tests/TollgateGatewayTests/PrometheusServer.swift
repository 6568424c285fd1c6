import AsyncHTTPClient
import Foundation
import NIOCore

/// A real Prometheus (Debian's `prometheus` package) on a free loopback port with a temporary
/// config and data folder, scraping one target every second. Its output goes to a log file, so
/// nothing reads pipes on the cooperative pool.
final class PrometheusServer: Sendable {
    /// `PROMETHEUS_BIN`, else `prometheus` on the usual paths; `nil` skips the tests that need it.
    static let binary: URL? = {
        if let path = ProcessInfo.processInfo.environment["PROMETHEUS_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("prometheus")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()
    static let available = binary != nil

    let port: Int
    let folder: URL
    private let process: Process

    /// Starts Prometheus scraping `http://127.0.0.1:<targetPort>/metrics` and waits until it is ready.
    init(scraping targetPort: Int, bearerToken: String? = nil) async throws {
        guard let binary = Self.binary else { throw HarnessFailure(description: "prometheus is not installed: apt-get install prometheus") }
        folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appending(path: "data"), withIntermediateDirectories: true)
        let authorization = bearerToken.map { "\n    authorization:\n      credentials: \"\($0)\"" } ?? ""
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: tollgate
                scrape_interval: 1s
                scrape_timeout: 900ms
                static_configs:
                  - targets: ["127.0.0.1:\(targetPort)"]\(authorization)
            """
        try config.write(to: folder.appending(path: "prometheus.yml"), atomically: true, encoding: .utf8)
        port = try FreePort.pick()
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "--config.file=\(folder.appending(path: "prometheus.yml").path)",
            "--storage.tsdb.path=\(folder.appending(path: "data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
            "--log.level=warn",
        ]
        _ = FileManager.default.createFile(atPath: folder.appending(path: "prometheus.log").path, contents: nil)
        let log = try FileHandle(forWritingTo: folder.appending(path: "prometheus.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        try await waitUntilReady()
    }

    var log: String { (try? String(contentsOf: folder.appending(path: "prometheus.log"), encoding: .utf8)) ?? "" }

    private func waitUntilReady() async throws {
        for _ in 0..<300 {
            guard process.isRunning else { break }
            if let response = try? await get("/-/ready"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessFailure(description: "prometheus did not become ready: \(log)")
    }

    /// Stops the server and removes its data.
    func stop() async {
        process.terminate()
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        try? FileManager.default.removeItem(at: folder)
    }

    func get(_ path: String) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// One instant query through `/api/v1/query`: the result vector's series (empty: no data).
    func query(_ promQL: String) async throws -> [[String: Any]] {
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "query", value: promQL)]
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        let (status, body) = try await get("/api/v1/query?" + encoded)
        guard let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw HarnessFailure(description: "prometheus answered non-JSON: \(body)")
        }
        guard status == 200, json["status"] as? String == "success", let data = json["data"] as? [String: Any] else {
            throw HarnessFailure(description: "query \(promQL) failed (\(status)): \(body)")
        }
        return data["result"] as? [[String: Any]] ?? []
    }
}

/// A free loopback TCP port, found by binding port 0 and closing.
enum FreePort {
    static func pick() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessFailure(description: "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw HarnessFailure(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw HarnessFailure(description: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

import Foundation

/// A throwaway PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 at a free port:
/// what the tests and `tollgate-bench` run against, so they need no database set up beforehand.
///
/// Uses Debian's server binaries (`/usr/lib/postgresql/<version>/bin`, or `$TOLLGATE_PG_BIN`).
/// `initdb` refuses to run as root, so as root every server command runs as the `postgres` user
/// through `runuser`. Trust authentication on loopback only; nothing here is for production.
public final class LocalPostgresServer: Sendable {
    /// Why a local server couldn't start, in words a test skip or a benchmark can print.
    public struct Unavailable: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// The cluster's folder (data, socket, log).
    public let folder: URL
    /// The TCP port it listens on, on 127.0.0.1.
    public let port: Int
    private let binaries: URL
    private let runAsPostgres: Bool

    /// Initializes a cluster in a new temporary folder and starts it. With `tls`, the server also
    /// accepts TLS with a fresh self-signed certificate for `localhost` (see `certificatePath`).
    public init(settings: [String] = ["fsync=off", "max_connections=200"], tls: Bool = false) throws {
        guard let binaries = Self.binaries() else {
            throw Unavailable(
                description:
                    "no PostgreSQL server binaries (looked in $TOLLGATE_PG_BIN and /usr/lib/postgresql/*/bin): install Debian's postgresql package"
            )
        }
        self.binaries = binaries
        runAsPostgres = getuid() == 0
        folder = URL(fileURLWithPath: "/tmp").appending(path: "tollgate-pg-\(UUID().uuidString.prefix(8))")
        port = try Self.freePort()
        let certificate = folder.appending(path: "server.crt").path
        let key = folder.appending(path: "server.key").path
        self.settings = settings + (tls ? ["ssl=on", "ssl_cert_file=\(certificate)", "ssl_key_file=\(key)"] : [])
        certificatePath = tls ? certificate : nil
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if runAsPostgres {
            try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: folder.path)
        }
        do {
            try run("initdb", ["-D", dataPath, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            if tls {
                try run(
                    "/usr/bin/openssl",
                    [
                        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", certificate,
                    ]
                )
                // The server refuses a key that others can read.
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
            }
            try start(settings: self.settings)
            try watchOwner()
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    private let settings: [String]
    /// The server's self-signed certificate (PEM) when started with `tls`: the CA to trust.
    public let certificatePath: String?

    private var dataPath: String { folder.appending(path: "data").path }

    /// `postgres://postgres@127.0.0.1:PORT/<database>`.
    public func url(database: String = "postgres") -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    /// Creates a new empty database and returns its URL.
    public func createDatabase(_ name: String = "tollgate_\(UUID().uuidString.prefix(8).lowercased())") throws -> String {
        try run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
        return url(database: name)
    }

    /// Starts the server (again, after `stopServer`), waiting until it accepts connections.
    public func startServer() throws { try start(settings: settings) }

    /// Stops the server, keeping its data: for tests of a database restart.
    public func stopServer() throws {
        try run("pg_ctl", ["stop", "-D", dataPath, "-m", "immediate", "-w"])
    }

    /// Stops the server and removes its folder.
    public func shutdown() {
        try? run("pg_ctl", ["stop", "-D", dataPath, "-m", "immediate", "-w"])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Starts a shell that stops the server and removes its folder once this process is gone, so a
    /// crashed or killed test run leaves no server behind (`shutdown` does it at once otherwise).
    private func watchOwner() throws {
        let stop =
            (runAsPostgres ? "/usr/sbin/runuser -u postgres -- " : "")
            + "'\(binaries.appending(path: "pg_ctl").path)' stop -D '\(dataPath)' -m immediate"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop) >/dev/null 2>&1; rm -rf '\(folder.path)'"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = ["/bin/sh", "-c", script]
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        // Its own session, so a signal to this process's group (a test runner's timeout) spares it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, 0x80)  // POSIX_SPAWN_SETSID (glibc), not exported to Swift
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot start the server's watchdog: \(String(cString: strerror(spawned)))") }
    }

    private func start(settings: [String]) throws {
        let options = (["-p \(port)", "-c listen_addresses=127.0.0.1", "-c unix_socket_directories=\(folder.path)"] + settings.map { "-c \($0)" })
            .joined(separator: " ")
        try run("pg_ctl", ["start", "-D", dataPath, "-w", "-t", "60", "-l", folder.appending(path: "server.log").path, "-o", options])
    }

    /// Runs a server tool to its end with `posix_spawn` and `waitpid`. Not `Process`: its exit
    /// monitoring needs a run loop, and it hung (a reaped-never child) when a test's static
    /// initializer started the server. Output goes to a file, not a pipe, because the server that
    /// `pg_ctl start` leaves running inherits the descriptors and would hold a pipe open forever.
    private func run(_ tool: String, _ arguments: [String]) throws {
        let executable = tool.hasPrefix("/") ? tool : binaries.appending(path: tool).path
        let argv = runAsPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let outputPath = "/tmp/tollgate-pg-\(UUID().uuidString.prefix(8)).out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw Unavailable(description: "cannot run \(tool) (\(String(cString: strerror(spawned)))): install Debian's postgresql package")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw Unavailable(description: "\(tool) failed (status \(status)): \(text.suffix(600))")
        }
    }

    private static func binaries() -> URL? {
        if let folder = ProcessInfo.processInfo.environment["TOLLGATE_PG_BIN"], !folder.isEmpty { return URL(fileURLWithPath: folder) }
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return versions.compactMap(Int.init).sorted().last.map { root.appending(path: "\($0)/bin") }
            .flatMap { FileManager.default.isExecutableFile(atPath: $0.appending(path: "pg_ctl").path) ? $0 : nil }
    }

    /// A port nobody listens on now: bind port 0, read what the kernel chose, close.
    private static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Unavailable(description: "cannot open a socket to find a free port") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw Unavailable(description: "cannot bind 127.0.0.1 to find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

import Foundation
import PostgresNIO
import TollgateLedger

/// A `postgres://` URL read into a client configuration.
///
/// Accepted: `postgres://user[:password]@host[:port]/database`, `postgresql://` too, and libpq's
/// `?host=/socket/folder` for a Unix socket. TLS is off unless `?sslmode=require` (a loopback or
/// socket database, the usual case for gateways beside their database, needs none).
struct PostgresAddress {
    let configuration: PostgresClient.Configuration
    /// The URL without its password.
    let redacted: String

    init(parsing text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased())
        else {
            throw LedgerError(.unavailable, "'\(Self.hidePassword(text))' is not a PostgreSQL URL: use postgres://user:password@host:5432/database")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.isEmpty ? user : path
        let port = components.port ?? 5432
        if let socketFolder = query["host"], socketFolder.hasPrefix("/") {
            configuration = .init(unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            guard let host = components.host, !host.isEmpty else {
                throw LedgerError(.unavailable, "'\(Self.hidePassword(text))' names no host: use postgres://user:password@host:5432/database")
            }
            switch query["sslmode"] ?? "disable" {
            case "disable", "allow", "prefer":
                configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
            case "require", "verify-ca", "verify-full":
                configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .require(.makeClientConfiguration()))
            case let mode:
                throw LedgerError(.unavailable, "sslmode '\(mode)' is not supported: use disable or require")
            }
        }
        redacted = Self.hidePassword(text)
    }

    /// The URL with any password replaced by `***`, safe to print.
    static func hidePassword(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}

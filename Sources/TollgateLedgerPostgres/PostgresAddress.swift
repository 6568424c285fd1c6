import Foundation
import PostgresNIO
import TollgateStorage

/// A `postgres://` URL read into a client configuration.
///
/// Accepted: `postgres://user[:password]@host[:port]/database`, `postgresql://` too, and libpq's
/// `?host=/socket/folder` for a Unix socket. TLS follows libpq's `sslmode`, except that the
/// default is `disable` (a loopback or socket database, the usual case for gateways beside their
/// database, needs none): `prefer` tries TLS first, `require` encrypts without checking the
/// server's certificate, `verify-ca` checks it against `sslrootcert` (a PEM file; the system's
/// trusted roots without one), `verify-full` also checks that it names the host.
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
            let tls = try Self.tls(mode: query["sslmode"] ?? "disable", rootCertificate: query["sslrootcert"])
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        redacted = Self.hidePassword(text)
    }

    /// The TLS setting for a libpq `sslmode`, with the CA file to trust for the verifying modes.
    static func tls(mode: String, rootCertificate: String?) throws -> PostgresClient.Configuration.TLS {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case "disable", "allow":
            return .disable
        case "prefer", "require":
            // libpq's meaning: encrypted, but any certificate is accepted (no protection from an
            // active man in the middle; verify-ca or verify-full give that).
            settings.certificateVerification = .none
            return mode == "prefer" ? .prefer(settings) : .require(settings)
        case "verify-ca", "verify-full":
            settings.certificateVerification = mode == "verify-ca" ? .noHostnameVerification : .fullVerification
            if let rootCertificate, !rootCertificate.isEmpty {
                guard FileManager.default.isReadableFile(atPath: rootCertificate) else {
                    throw LedgerError(
                        .unavailable,
                        "sslrootcert '\(rootCertificate)' is not a readable file: point it at the PEM file of the CA that signed the server's certificate"
                    )
                }
                settings.trustRoots = .file(rootCertificate)
            }
            return .require(settings)
        default:
            throw LedgerError(.unavailable, "sslmode '\(mode)' is not supported: use disable, allow, prefer, require, verify-ca or verify-full")
        }
    }

    /// The URL with any password replaced by `***`, safe to print.
    static func hidePassword(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}

import ArgumentParser
import TollgateGateway

#if canImport(Glibc)
import Glibc
#endif

/// `tollgate serve`'s connection limits: a flag, then its `TOLLGATE_*` variable, then the default.
struct ServerLimitOptions: ParsableArguments {
    @Option(
        name: .customLong("request-head-timeout"),
        help: "Seconds a new connection has to send its request head (default: $TOLLGATE_REQUEST_HEAD_TIMEOUT or 10)."
    )
    var requestHeadTimeout: Int?
    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a keep-alive connection may wait for its next request (default: $TOLLGATE_IDLE_TIMEOUT or 60)."
    )
    var idleTimeout: Int?
    @Option(name: .customLong("body-timeout"), help: "Seconds a request has to send its body (default: $TOLLGATE_BODY_TIMEOUT or 30).")
    var bodyTimeout: Int?
    @Option(name: .customLong("max-header-count"), help: "Most header fields in a request (default: $TOLLGATE_MAX_HEADER_COUNT or 100).")
    var maxHeaderCount: Int?
    @Option(name: .customLong("max-header-bytes"), help: "Most bytes of headers in a request (default: $TOLLGATE_MAX_HEADER_BYTES or 65536).")
    var maxHeaderBytes: Int?
    @Option(
        name: .customLong("max-connections"),
        help: """
            Most connections open at once; more are answered 503 (default: $TOLLGATE_MAX_CONNECTIONS, \
            else half the descriptor limit less 64, at least 16).
            """
    )
    var maxConnections: Int?

    /// The limits after precedence; a value that is not a positive whole number says how to set it.
    func limits(environment: [String: String], descriptorLimit: Int = Self.descriptorLimit()) throws -> ServerLimits {
        func value(_ flag: Int?, _ option: String, _ variable: String, default fallback: Int) throws -> Int {
            if let flag {
                guard flag >= 1 else { throw CLIError("--\(option) \(flag) must be 1 or more") }
                return flag
            }
            guard let text = environment[variable], !text.isEmpty else { return fallback }
            guard let number = Int(text), number >= 1 else {
                throw CLIError("\(variable)=\(text) is not a whole number of 1 or more: set it like \(variable)=\(fallback)")
            }
            return number
        }
        let defaults = ServerLimits()
        return ServerLimits(
            requestHeadTimeout: .seconds(try value(requestHeadTimeout, "request-head-timeout", "TOLLGATE_REQUEST_HEAD_TIMEOUT", default: 10)),
            idleTimeout: .seconds(try value(idleTimeout, "idle-timeout", "TOLLGATE_IDLE_TIMEOUT", default: 60)),
            bodyTimeout: .seconds(try value(bodyTimeout, "body-timeout", "TOLLGATE_BODY_TIMEOUT", default: 30)),
            maxHeaderCount: try value(maxHeaderCount, "max-header-count", "TOLLGATE_MAX_HEADER_COUNT", default: defaults.maxHeaderCount),
            maxHeaderBytes: try value(maxHeaderBytes, "max-header-bytes", "TOLLGATE_MAX_HEADER_BYTES", default: defaults.maxHeaderBytes),
            maxConnections: try value(
                maxConnections,
                "max-connections",
                "TOLLGATE_MAX_CONNECTIONS",
                default: Self.defaultMaxConnections(descriptorLimit)
            )
        )
    }

    /// Each proxied stream holds two descriptors (client and upstream), and the ledger, logs and
    /// listening socket need a few: so half the limit, less 64, and never below 16.
    static func defaultMaxConnections(_ descriptorLimit: Int) -> Int {
        max(16, (descriptorLimit - 64) / 2)
    }

    /// This process's soft limit on open descriptors.
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)
    }
}

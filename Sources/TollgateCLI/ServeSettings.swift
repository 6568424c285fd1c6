/// `tollgate serve`'s settings after precedence: flag, then `TOLLGATE_*` variable, then default.
struct ServeSettings: Sendable, Equatable {
    var host: String
    var port: Int
    var graceSeconds: Int
    var adminToken: String?
    /// How long a hold outlives a dead replica before any other replica reclaims it.
    var leaseSeconds = 30

    init(host: String?, port: Int?, graceSeconds: Int?, leaseSeconds: Int? = nil, environment: [String: String]) throws {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func number(_ name: String) throws -> Int? {
            guard let text = variable(name) else { return nil }
            guard let value = Int(text), value >= 0 else { throw CLIError("\(name)=\(text) is not a whole number: set it like \(name)=8080") }
            return value
        }
        self.host = host ?? variable("TOLLGATE_HOST") ?? "127.0.0.1"
        self.port = try port ?? number("TOLLGATE_PORT") ?? 8080
        self.graceSeconds = try graceSeconds ?? number("TOLLGATE_GRACE_SECONDS") ?? 10
        self.adminToken = variable("TOLLGATE_ADMIN_TOKEN")
        self.leaseSeconds = try leaseSeconds ?? number("TOLLGATE_LEASE_SECONDS") ?? 30
        guard self.leaseSeconds >= 1 else { throw CLIError("a lease of 0 seconds would expire every open stream at once: use 1 or more") }
        guard self.port <= 65535 else { throw CLIError("TOLLGATE_PORT=\(self.port) is out of range: use 0 to 65535") }
    }
}

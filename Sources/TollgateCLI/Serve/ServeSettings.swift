import TollgateCore
/// `tollgate serve`'s settings after precedence: flag, then `TOLLGATE_*` variable, then default.
import TollgateGateway
import TollgateMetering

struct ServeSettings: Sendable, Equatable {
    var host: String
    var port: Int
    var graceSeconds: Int
    var adminToken: String?
    var metricsAccess: MetricsAccess
    /// Budget alert webhooks: `--alert-webhook` flags, else `TOLLGATE_ALERT_WEBHOOKS` (comma-separated).
    var alertWebhooks: [String] = []
    /// `TOLLGATE_ALERT_SECRET`: signs alert bodies (HMAC-SHA256).
    var alertSecret: String?
    /// How long a hold outlives a dead replica before any other replica reclaims it.
    var leaseSeconds = 30
    /// How long an admission waits for in-flight holds before answering `budget_busy`.
    var admissionWait = MeteringSettings.defaultAdmissionWait
    /// Days a delivered budget alert is kept (`--alert-retention-days`, `TOLLGATE_ALERT_RETENTION_DAYS`); 0 keeps them all.
    var alertRetentionDays = 90

    /// The longest retention: a century, so the days always convert to a `Duration` exactly.
    static let maximumAlertRetentionDays = 36_500

    /// The alert settings these make.
    var alerts: BudgetAlertSettings {
        BudgetAlertSettings(
            webhooks: alertWebhooks,
            secret: alertSecret,
            retention: alertRetentionDays == 0 ? nil : .seconds(Int64(alertRetentionDays) * 86_400)
        )
    }

    init(
        host: String?,
        port: Int?,
        graceSeconds: Int?,
        leaseSeconds: Int? = nil,
        alertWebhooks: [String] = [],
        admissionWait: String? = nil,
        alertRetentionDays: Int? = nil,
        environment: [String: String]
    ) throws {
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
        self.metricsAccess = try Self.metricsAccess(
            host: self.host,
            token: variable("TOLLGATE_METRICS_TOKEN"),
            open: variable("TOLLGATE_METRICS_OPEN")
        )
        self.alertSecret = variable("TOLLGATE_ALERT_SECRET")
        // A bad URL is a BudgetError (invalid_input) naming it; the command reports it like any other.
        self.alertWebhooks =
            try alertWebhooks.isEmpty
            ? BudgetAlertSettings.webhooks(parsing: variable("TOLLGATE_ALERT_WEBHOOKS") ?? "")
            : alertWebhooks.map(BudgetAlertSettings.webhook)
        self.leaseSeconds = try leaseSeconds ?? number("TOLLGATE_LEASE_SECONDS") ?? 30
        guard self.leaseSeconds >= 1 else { throw CLIError("a lease of 0 seconds would expire every open stream at once: use 1 or more") }
        if let wait = admissionWait ?? variable("TOLLGATE_ADMISSION_WAIT") { self.admissionWait = try Self.admissionWait(parsing: wait) }
        self.alertRetentionDays = try alertRetentionDays ?? number("TOLLGATE_ALERT_RETENTION_DAYS") ?? 90
        guard (0...Self.maximumAlertRetentionDays).contains(self.alertRetentionDays) else {
            throw CLIError(
                "an alert retention of \(self.alertRetentionDays) days is out of range: use 0 (keep every alert) to \(Self.maximumAlertRetentionDays) days"
            )
        }
        guard self.port <= 65535 else { throw CLIError("TOLLGATE_PORT=\(self.port) is out of range: use 0 to 65535") }
    }

    /// Seconds, whole or with up to three decimals (`2`, `0.5`), from 0 to 60.
    static func admissionWait(parsing text: String) throws -> Duration {
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), digits(parts[0]), parts.count == 1 || (digits(parts[1]) && parts[1].count <= 3),
            let whole = Int(parts[0]), whole <= 60
        else {
            throw CLIError(
                "admission wait '\(text)' is not a number of seconds from 0 to 60: use e.g. --admission-wait 2 or 0.5 (0 answers budget_busy at once)"
            )
        }
        let millis = parts.count == 2 ? Int(parts[1].padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0 : 0
        let wait = Duration.seconds(whole) + .milliseconds(millis)
        guard wait <= .seconds(60) else {
            throw CLIError("admission wait \(text) s is too long: clients time out first; use 0 to 60 seconds")
        }
        return wait
    }

    /// `/metrics` shows every team's spend: a token when one is set; open on loopback or when
    /// `TOLLGATE_METRICS_OPEN=1` says the port is private; otherwise off, saying how to turn it on.
    static func metricsAccess(host: String, token: String?, open: String?) throws -> MetricsAccess {
        if let token { return .token(token) }
        switch open {
        case "1", "true": return .open
        case nil, "0", "false": return ["127.0.0.1", "::1", "localhost"].contains(host) ? .open : .disabled
        case let other?: throw CLIError("TOLLGATE_METRICS_OPEN=\(other) is not understood: set it to 1 (serve /metrics without a token) or 0")
        }
    }
}

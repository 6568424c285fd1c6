import TollgateCore
import TollgateGateway

/// `tollgate serve`'s settings after precedence: flag, then `TOLLGATE_*` variable, then default.
struct ServeSettings: Sendable, Equatable {
    var host: String
    var port: Int
    var graceSeconds: Int
    var adminToken: String?
    /// Budget alert webhooks: `--alert-webhook` flags, else `TOLLGATE_ALERT_WEBHOOKS` (comma-separated).
    var alertWebhooks: [String] = []
    /// `TOLLGATE_ALERT_SECRET`: signs alert bodies (HMAC-SHA256).
    var alertSecret: String?

    init(host: String?, port: Int?, graceSeconds: Int?, alertWebhooks: [String] = [], environment: [String: String]) throws {
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
        self.alertSecret = variable("TOLLGATE_ALERT_SECRET")
        // A bad URL is a BudgetError (invalid_input) naming it; the command reports it like any other.
        self.alertWebhooks = try alertWebhooks.isEmpty
            ? BudgetAlertSettings.webhooks(parsing: variable("TOLLGATE_ALERT_WEBHOOKS") ?? "")
            : alertWebhooks.map(BudgetAlertSettings.webhook)
        guard self.port <= 65535 else { throw CLIError("TOLLGATE_PORT=\(self.port) is out of range: use 0 to 65535") }
    }
}

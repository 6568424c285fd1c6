import Foundation
import TollgateCore

/// Where and how budget alerts are delivered. Every field has a default; `tollgate serve` fills
/// `webhooks` and `secret` from `--alert-webhook` / `TOLLGATE_ALERT_WEBHOOKS` and `TOLLGATE_ALERT_SECRET`.
public struct BudgetAlertSettings: Sendable {
    /// Webhook URLs (http or https); none: alerts are only claimed and logged.
    public var webhooks: [String]
    /// The HMAC-SHA256 key signing each body (`X-Tollgate-Signature`); `nil` sends unsigned.
    public var secret: String?
    /// Attempts per webhook before the delivery is given up (and logged as an error).
    public var maxAttempts: Int
    /// Wait before the second attempt; doubled after each failure up to `maxRetryDelay`.
    public var firstRetryDelay: Duration
    /// The longest wait between attempts.
    public var maxRetryDelay: Duration
    /// How often pending deliveries are looked at when no team is marked.
    public var pollInterval: Duration
    /// How long one webhook call may take.
    public var requestTimeout: Duration
    /// How often every team is checked, for spend this gateway didn't settle (imports, adjustments,
    /// other processes); a team is also checked after each of its own settlements here.
    public var sweepInterval: Duration
    /// How long a delivered alert is kept: older ones whose budget period has ended are deleted
    /// with their delivery rows (`AlertOutbox.pruneDeliveredAlerts`); `nil` keeps every alert.
    /// Undelivered alerts are never deleted.
    public var retention: Duration?
    /// How often the outbox is pruned (at start, then at this interval).
    public var pruneInterval: Duration

    /// The default `retention`: 90 days, long enough to look back over a quarter's alerts.
    public static let defaultRetention: Duration = .seconds(90 * 86_400)

    /// Creates settings.
    public init(
        webhooks: [String] = [],
        secret: String? = nil,
        maxAttempts: Int = 8,
        firstRetryDelay: Duration = .seconds(1),
        maxRetryDelay: Duration = .seconds(300),
        pollInterval: Duration = .seconds(1),
        requestTimeout: Duration = .seconds(10),
        sweepInterval: Duration = .seconds(60),
        retention: Duration? = BudgetAlertSettings.defaultRetention,
        pruneInterval: Duration = .seconds(3600)
    ) {
        self.webhooks = webhooks
        self.secret = secret.flatMap { $0.isEmpty ? nil : $0 }
        self.maxAttempts = max(1, maxAttempts)
        self.firstRetryDelay = firstRetryDelay
        self.maxRetryDelay = maxRetryDelay
        self.pollInterval = pollInterval
        self.requestTimeout = requestTimeout
        self.sweepInterval = sweepInterval
        self.retention = retention
        self.pruneInterval = pruneInterval
    }

    /// The wait after the `attempts`-th failed attempt: first, 2 × first, 4 × first, ... capped.
    public func retryDelay(afterAttempt attempts: Int) -> Duration {
        var delay = firstRetryDelay
        for _ in 1..<max(attempts, 1) {
            delay = delay * 2
            if delay >= maxRetryDelay { return maxRetryDelay }
        }
        return min(delay, maxRetryDelay)
    }

    /// Parses a comma-separated list of webhook URLs, refusing anything but absolute http(s) URLs.
    public static func webhooks(parsing text: String) throws(BudgetError) -> [String] {
        var webhooks: [String] = []
        for part in text.split(separator: ",") { webhooks.append(try webhook(String(part).trimmingCharacters(in: .whitespaces))) }
        return webhooks
    }

    /// Checks one webhook URL.
    public static func webhook(_ text: String) throws(BudgetError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host() != nil else {
            throw BudgetError(.invalidInput, "alert webhook '\(text)' is not an http(s) URL: write it like https://hooks.example.com/tollgate")
        }
        return text
    }
}

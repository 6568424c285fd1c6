import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TollgateAdmin
import TollgateStorage

/// Claims and delivers budget alerts: checks the teams `BudgetAlertMonitor` marked (every team at
/// startup and every `sweepInterval`), claims newly reached thresholds in the ledger's outbox,
/// then POSTs every due delivery, retrying failures with exponential backoff up to `settings.maxAttempts`.
///
/// Claims are durable before anything is sent, so pending deliveries left by a crash or a stop are
/// sent after the next start: at least once, with the same `alert_id` every time. At start and every
/// `settings.pruneInterval` it deletes delivered alerts older than `settings.retention` whose
/// period has ended, so the outbox doesn't grow forever; undelivered ones stay. List it before
/// the HTTP server in the `ServiceGroup`, so it outlives the server's drain and claims the alerts
/// of the last settlements.
public struct BudgetAlertService: Service {
    let admin: QuotaAdmin
    let monitor: BudgetAlertMonitor
    let settings: BudgetAlertSettings
    let sender: any AlertWebhookSending
    let logger: Logger
    let clock: @Sendable () -> Date

    /// Creates the service.
    public init(
        admin: QuotaAdmin,
        monitor: BudgetAlertMonitor,
        settings: BudgetAlertSettings,
        sender: any AlertWebhookSending = HTTPAlertWebhookSender(),
        logger: Logger = Logger(label: "tollgate.alerts"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.admin = admin
        self.monitor = monitor
        self.settings = settings
        self.sender = sender
        self.logger = logger
        self.clock = clock
    }

    /// Runs passes until graceful shutdown, then a last pass so the final settlements' alerts are claimed.
    public func run() async throws {
        let outbox = admin.store
        if settings.webhooks.isEmpty {
            logger.notice("budget alerts are logged only: no webhook configured (--alert-webhook or TOLLGATE_ALERT_WEBHOOKS)")
        } else if settings.secret == nil {
            logger.warning("budget alert webhooks are sent unsigned: set TOLLGATE_ALERT_SECRET to sign them (X-Tollgate-Signature)")
        }
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            var nextSweep = ContinuousClock.now
            var nextPrune = ContinuousClock.now
            while !stopping.isSet, !Task.isCancelled {
                if ContinuousClock.now >= nextSweep {
                    await markEveryTeam()
                    nextSweep = ContinuousClock.now + settings.sweepInterval
                }
                if ContinuousClock.now >= nextPrune {
                    await prune(outbox)
                    nextPrune = ContinuousClock.now + settings.pruneInterval
                }
                await pass(outbox)
                await waitForWork(stopping)
            }
        } onGracefulShutdown: {
            stopping.set()
            monitor.wake()
        }
        await claimMarked()
    }

    /// Deletes delivered alerts older than the retention whose period has ended; a failure is
    /// logged and tried again at the next interval (nothing is lost by keeping rows longer).
    func prune(_ outbox: any AlertOutbox) async {
        guard let retention = settings.retention else { return }
        let now = clock()
        do {
            let pruned = try await outbox.pruneDeliveredAlerts(occurredBefore: now.addingTimeInterval(-Self.seconds(retention)), periodEndedBy: now)
            if pruned > 0 {
                logger.info("pruned \(pruned) delivered budget alerts older than \(Int(Self.seconds(retention) / 86_400)) days")
            }
        } catch {
            logger.error("pruning delivered budget alerts failed: \(error)")
        }
    }

    /// Marks every team: at start, and every `sweepInterval` for spend written outside this gateway
    /// (`tollgate ledger import` or `adjust`, another gateway process on the same ledger).
    private func markEveryTeam() async {
        do {
            for team in try await admin.store.teams() { monitor.mark(teamID: team.id) }
        } catch {
            // Teams are checked at their next settlement or sweep instead; pending deliveries still go out.
            logger.error("listing teams for the alert sweep failed: \(error)")
        }
    }

    /// One pass: claim what the marked teams reached, then attempt every due delivery.
    ///
    /// Webhooks are served side by side, each one's deliveries in order, so a slow or dead receiver
    /// only delays its own alerts. A receiver that seems down (no answer, 5xx, 408, 429) ends its
    /// webhook's turn in this pass: the deliveries behind it wait for the next pass without spending
    /// an attempt, instead of each waiting out its own timeout against a dead receiver.
    func pass(_ outbox: any AlertOutbox) async {
        await claimMarked()
        let due: [AlertDelivery]
        do {
            due = try await outbox.dueAlertDeliveries(at: clock(), limit: 100)
        } catch {
            logger.error("reading pending budget alert deliveries failed: \(error)")
            return
        }
        await withTaskGroup(of: Void.self) { group in
            for deliveries in Dictionary(grouping: due, by: \.webhook).values {
                group.addTask {
                    for delivery in deliveries {
                        guard await attempt(delivery, outbox) else { break }
                    }
                }
            }
        }
    }

    private func claimMarked() async {
        for (teamID, marks) in monitor.drain() {
            do {
                for alert in try await admin.claimReachedAlerts(
                    teamID: teamID,
                    exhausted: marks.exhausted,
                    overrun: marks.overrun,
                    webhooks: settings.webhooks
                ) {
                    logger.notice(
                        "budget alert: team \(alert.teamName) reached \(alert.threshold) (spent \(alert.spent) of \(alert.limit))",
                        metadata: ["alert_id": "\(alert.id)", "webhooks": "\(settings.webhooks.count)"]
                    )
                }
            } catch {
                // The team stays unchecked until its next settlement; a failed read claims nothing.
                logger.error("checking budget alerts of team #\(teamID) failed: \(error)")
            }
        }
    }

    /// Tries one delivery; returns whether the receiver seems up (it answered, and not with a
    /// status that means "not now").
    private func attempt(_ delivery: AlertDelivery, _ outbox: any AlertOutbox) async -> Bool {
        let body = AlertPayload.body(delivery.alert)
        var headers = [(AlertPayload.alertIDHeader, delivery.alert.id)]
        if let secret = settings.secret { headers.append((AlertPayload.signatureHeader, AlertPayload.signature(body, secret: secret))) }
        let attempts = delivery.attempts + 1
        let failure: String
        let receiverUp: Bool
        do {
            let status = try await sender.post(body, to: delivery.webhook, headers: headers, timeout: settings.requestTimeout)
            if (200..<300).contains(status) {
                try await outbox.recordAlertDelivered(delivery.id, attempts: attempts, at: clock())
                logger.info("budget alert \(delivery.alert.id) delivered to \(delivery.webhook) (attempt \(attempts))")
                return true
            }
            failure = "HTTP \(status)"
            receiverUp = !(500..<600).contains(status) && status != 408 && status != 429
        } catch {
            failure = "\(error)"
            receiverUp = false
        }
        let retryAt = attempts >= settings.maxAttempts ? nil : clock().addingTimeInterval(Self.seconds(settings.retryDelay(afterAttempt: attempts)))
        do {
            try await outbox.recordAlertAttemptFailed(delivery.id, attempts: attempts, error: failure, retryAt: retryAt, at: clock())
        } catch {
            logger.error("recording a failed budget alert delivery failed: \(error)")
        }
        if let retryAt {
            logger.warning(
                "budget alert \(delivery.alert.id) to \(delivery.webhook) failed (\(failure)), attempt \(attempts) of \(settings.maxAttempts); retrying at \(retryAt.formatted(.iso8601))"
            )
        } else {
            logger.error("budget alert \(delivery.alert.id) to \(delivery.webhook) failed \(attempts) times (last: \(failure)); given up")
        }
        return receiverUp
    }

    /// Waits for a marked team, the poll interval, or shutdown, whichever comes first.
    private func waitForWork(_ stopping: StopFlag) async {
        guard !stopping.isSet else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await monitor.waitForMark() }
            group.addTask { try? await Task.sleep(for: settings.pollInterval) }
            await group.next()
            group.cancelAll()
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}

/// Set once when graceful shutdown starts; read by the delivery loop.
private final class StopFlag: Sendable {
    private let flag = Atomic(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

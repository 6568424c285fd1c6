import Foundation
import Synchronization
import Testing
import TollgateAdmin
import TollgateCore
import TollgateStorage

/// A clock tests move by hand.
final class MovableClock: Sendable {
    private let instant: Mutex<Date>
    init(_ start: Date) { instant = Mutex(start) }
    var now: Date { instant.withLock { $0 } }
    func set(_ text: String) throws {
        let date = try Date(text, strategy: .iso8601)
        instant.withLock { $0 = date }
    }
}

@Suite("Budget alerts in QuotaAdmin")
struct AlertTests {
    @Test("an overrun seen by the caller claims the overrun alert once per period")
    func overrunAlert() async throws {
        let fixture = try AdminFixture()
        let team = try await fixture.team()
        #expect(try await fixture.admin.claimReachedAlerts(teamID: team.id, exhausted: false, webhooks: []).isEmpty)
        let claimed = try await fixture.admin.claimReachedAlerts(teamID: team.id, exhausted: false, overrun: true, webhooks: [])
        #expect(claimed.map(\.threshold) == [.overrun])
        #expect(try await fixture.admin.claimReachedAlerts(teamID: team.id, exhausted: false, overrun: true, webhooks: []).isEmpty)
        #expect(try AlertThreshold.list(parsing: "overrun,50") == [.percent(50), .overrun])
    }

    @Test("the defaults are 50/80/100 %, exhausted and overrun plus the soft limit; set-alerts overrides, none turns off, nil resets")
    func thresholds() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.admin.createTeam(
            name: "soft",
            budget: try Budget(limit: Money(parsing: "10", .cny), period: .monthly, softLimitPercent: 90)
        )
        let defaults = try await fixture.admin.alerts("soft")
        #expect(defaults.isDefault && defaults.thresholds == [.percent(50), .percent(80), .percent(90), .percent(100), .exhausted, .overrun])
        let own = try await fixture.admin.setAlerts("soft", thresholds: [.percent(75)])
        #expect(!own.isDefault && own.thresholds == [.percent(75)])
        #expect(try await fixture.admin.setAlerts("soft", thresholds: []).thresholds.isEmpty)
        #expect(try await fixture.admin.setAlerts("soft", thresholds: nil).isDefault)
        await #expect(throws: BudgetError.self) { try await fixture.admin.setAlerts("nobody", thresholds: [.percent(50)]) }
    }

    @Test("each reached threshold is claimed once per budget period; a new month claims again")
    func perPeriod() async throws {
        let fixture = try AdminFixture()
        let clock = MovableClock(AdminFixture.now)
        let admin = QuotaAdmin(store: fixture.ledger, pricing: fixture.admin.pricing, clock: { clock.now })
        let team = try await admin.createTeam(name: "research", budget: try Budget(limit: Money(parsing: "10", .cny), period: .monthly))
        let hooks = ["http://127.0.0.1:9/hook"]
        #expect(try await admin.claimReachedAlerts(teamID: team.id, exhausted: false, webhooks: hooks).isEmpty)
        _ = try await admin.adjust(team: "research", amount: try Money(parsing: "-8.5", .cny), reason: "usage billed elsewhere")
        let first = try await admin.claimReachedAlerts(teamID: team.id, exhausted: false, webhooks: hooks)
        #expect(first.map(\.threshold) == [.percent(50), .percent(80)])
        let spent = try Money(parsing: "8.5", .cny)
        let remaining = try Money(parsing: "1.5", .cny)
        #expect(first[0].spent == spent && first[0].remaining == remaining)
        #expect(try await admin.claimReachedAlerts(teamID: team.id, exhausted: false, webhooks: hooks).isEmpty)
        #expect(try await admin.claimReachedAlerts(teamID: team.id, exhausted: true, webhooks: hooks).map(\.threshold) == [.exhausted])
        #expect(try await admin.claimReachedAlerts(teamID: team.id, exhausted: true, webhooks: hooks).isEmpty)

        try clock.set("2026-12-03T09:00:00Z")
        #expect(try await admin.claimReachedAlerts(teamID: team.id, exhausted: false, webhooks: hooks).isEmpty, "December starts from zero")
        _ = try await admin.adjust(team: "research", amount: try Money(parsing: "-5", .cny), reason: "usage billed elsewhere")
        let december = try await admin.claimReachedAlerts(teamID: team.id, exhausted: false, webhooks: hooks)
        #expect(december.map(\.threshold) == [.percent(50)])
        #expect(december[0].window.start == (try Date("2026-12-01T00:00:00Z", strategy: .iso8601)))
        #expect(try await admin.store.dueAlertDeliveries(at: clock.now, limit: 100).count == 4)
    }

    @Test("a team with alerts off claims nothing")
    func off() async throws {
        let fixture = try AdminFixture()
        let team = try await fixture.team("quiet", "10")
        _ = try await fixture.admin.setAlerts("quiet", thresholds: [])
        _ = try await fixture.admin.adjust(team: "quiet", amount: try Money(parsing: "-10", .cny), reason: "spent")
        #expect(try await fixture.admin.claimReachedAlerts(teamID: team.id, exhausted: true, webhooks: []).isEmpty)
    }

    @Test("the webhook body has exact decimal strings and a stable id; the signature is HMAC-SHA256 of the body")
    func payload() throws {
        let window = PeriodWindow(
            start: try Date("2026-11-01T00:00:00Z", strategy: .iso8601),
            end: try Date("2026-12-01T00:00:00Z", strategy: .iso8601)
        )
        let alert = BudgetAlert(
            teamID: 7,
            teamName: "re\"search",
            window: window,
            threshold: .percent(80),
            limit: try Money(parsing: "500", .cny),
            spent: try Money(parsing: "400.000000001", .cny),
            occurredAt: AdminFixture.now
        )
        let body = AlertPayload.body(alert)
        #expect(body == AlertPayload.body(alert), "every attempt sends the same bytes")
        let fields = try JSONDecoder().decode(AlertPayload.Fields.self, from: body)
        #expect(fields.alert_id == "7-1793491200000-80")
        #expect(fields.team == "re\"search" && fields.threshold == "80" && fields.currency == "CNY")
        #expect(fields.limit == "500.00" && fields.spent == "400.000000001" && fields.remaining == "99.999999999")
        #expect(fields.period_start == "2026-11-01T00:00:00Z" && fields.period_end == "2026-12-01T00:00:00Z")
        #expect(fields.occurred_at == "2026-11-15T12:00:00Z")
        let expected =
            #"{"alert_id":"7-1793491200000-80","currency":"CNY","event":"budget.threshold_reached","limit":"500.00","occurred_at":"2026-11-15T12:00:00Z","period_end":"2026-12-01T00:00:00Z","period_start":"2026-11-01T00:00:00Z","remaining":"99.999999999","spent":"400.000000001","team":"re\"search","threshold":"80"}"#
        #expect(String(decoding: body, as: UTF8.self) == expected)
        // Known answer from Python: hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        let signature = AlertPayload.signature(body, secret: "s3cret")
        #expect(signature == "sha256=934b0667f06d7c02564b6a1838e0fb822148f3b13c382b6f3832dcb7ec495010")
        #expect(AlertPayload.verify(body, header: signature, secret: "s3cret"))
        #expect(!AlertPayload.verify(body, header: signature, secret: "other"))
        #expect(!AlertPayload.verify(body + Data(" ".utf8), header: signature, secret: "s3cret"))
        let total = BudgetAlert(
            teamID: 7,
            teamName: "t",
            window: PeriodWindow(start: .distantPast, end: nil),
            threshold: .exhausted,
            limit: alert.limit,
            spent: alert.spent,
            occurredAt: AdminFixture.now
        )
        let totalFields = try JSONDecoder().decode(AlertPayload.Fields.self, from: AlertPayload.body(total))
        #expect(totalFields.period_start == nil && totalFields.alert_id == "7-total-exhausted")
        #expect(String(decoding: AlertPayload.body(total), as: UTF8.self).contains("\"period_start\":null"))
    }
}

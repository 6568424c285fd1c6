import Foundation
import TollgateCore
import TollgateMetering
import TollgateReports
import TollgateStorage
import TollgateStreaming

/// Runs one metered stream for `tollgate chat`, printing text to stdout and accounting to stderr.
enum ChatSession {
    /// Exit status for a request the budget refused or cut off.
    static let budgetStatus: Int32 = 3
    /// Exit status for `budget_busy` (unspent money would cover it but streams in flight hold it)
    /// and `rate_limited` (the team's rate limit): retrying shortly may succeed (sysexits' EX_TEMPFAIL).
    static let busyStatus: Int32 = 75

    static func run(_ client: MeteredClient, team: Team, request: ChatRequest) async throws -> Int32 {
        let stream: MeteredStream
        do {
            stream = try await client.stream(teamID: team.id, keyID: nil, request: request)
        } catch let refusal as MeteringError {
            Console.error("refused (\(refusal.code.rawValue)): \(refusal.commandLineMessage)")
            return refusal.code == .exhausted ? budgetStatus : [.busy, MeteringError.rateLimitedCode].contains(refusal.code) ? busyStatus : 1
        }
        if case .clamped(_, let tokens, let requested) = stream.admission.decision {
            Console.error("note: max_tokens lowered from \(requested) to \(tokens): that is what the budget affords")
        }
        var status: Int32 = 0
        do {
            for try await event in stream {
                switch event {
                case .chat(.textDelta(let text)):
                    Console.output(printable(text))
                case .budgetExhausted(let cutoff):
                    Console.error("\n\(cutoff.message)")
                    status = budgetStatus
                case .settled(let summary):
                    Console.error("\n" + describe(summary, team: team))
                default:
                    break
                }
            }
        } catch {
            let summary = try? await stream.summary()
            Console.error("\nupstream error: " + printable("\(error)") + (summary.map { "\n" + describe($0, team: team) } ?? ""))
            return 1
        }
        return status
    }

    /// Model text as the terminal shows it: the upstream decides these bytes, so an ESC or BEL in
    /// them is shown as an escape instead of moving the cursor or rewriting the screen; lines and
    /// tabs stay, since answers are multi-line text.
    static func printable(_ text: String) -> String {
        TerminalText.escape(text, keepingLines: true)
    }

    static func describe(_ summary: MeteredSummary, team: Team) -> String {
        let value = summary.valuation
        return "\(summary.usage.inputTokens) input + \(summary.usage.outputTokens) output tokens (\(summary.tokenSource.rawValue)); "
            + "\(value.relayUSD) list = \(value.paidCNY) paid, \(value.baselineCNY) at the baseline rate; "
            + "charged \(summary.charge) to team '\(team.name)' [\(summary.outcome.rawValue), prices \(value.priceVersion), FX \(value.fxVersion)]"
    }
}

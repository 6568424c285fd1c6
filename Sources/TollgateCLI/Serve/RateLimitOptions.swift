import ArgumentParser
import TollgateAdmin
import TollgateCore

/// `--rpm`, `--tpm`, `--max-streams` of `team set-limits` and `key set-limits`: 0 removes a limit,
/// an absent flag keeps it.
struct RateLimitOptions: ParsableArguments {
    @Option(help: "Requests per minute (0 removes the limit).") var rpm: Int?
    @Option(help: "Tokens per minute: prompt + max_tokens as admitted, the real count once settled (0 removes).") var tpm: Int?
    @Option(name: .customLong("max-streams"), help: "Concurrent streams (0 removes the limit).") var maxStreams: Int?

    var change: RateLimitChange { RateLimitChange(requestsPerMinute: rpm, tokensPerMinute: tpm, concurrentStreams: maxStreams) }

    func validate() throws {
        guard rpm != nil || tpm != nil || maxStreams != nil else {
            throw ValidationError("give at least one of --rpm, --tpm, --max-streams (0 removes a limit)")
        }
    }
}

extension RateLimitOptions {
    /// `60 requests/min, 100000 tokens/min, 4 streams`, or `no rate limits`.
    static func describe(_ limits: RateLimits) -> String {
        let parts = [
            limits.requestsPerMinute.map { "\($0) requests/min" }, limits.tokensPerMinute.map { "\($0) tokens/min" },
            limits.concurrentStreams.map { "\($0) streams" },
        ].compactMap { $0 }
        return parts.isEmpty ? "no rate limits" : parts.joined(separator: ", ")
    }
}

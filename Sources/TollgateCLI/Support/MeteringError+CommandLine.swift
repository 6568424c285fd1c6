import TollgateCore
import TollgateMetering

extension MeteringError {
    /// The message the CLI shows: the metering layer's, with the admin's remedy followed by the
    /// command that does it, as the CLI has always said it.
    var commandLineMessage: String {
        switch code {
        case .exhausted, .busy:
            guard scope == "key", let key else { return message }
            return message.replacingOccurrences(of: Self.raiseKeyBudget, with: Self.raiseKeyBudget + " ('tollgate key set-budget \(key) AMOUNT')")
        case Self.rateLimitedCode:
            return message.replacingOccurrences(
                of: Self.raiseLimit + ".",
                with: Self.raiseLimit + " with 'tollgate \(key == nil ? "team" : "key") set-limits'."
            )
        case .teamDisabled:
            guard let team else { return message }
            return message.replacingOccurrences(of: Self.reenableTeam, with: Self.reenableTeam + " with 'tollgate team enable \(team)'")
        default:
            return message
        }
    }
}

import TollgateReports

extension ReportError {
    /// The message the CLI shows: the facts, naming the option that was typed (`--month`, `--from`,
    /// `--to`, `--tz`). Errors without a `problem` keep their description.
    var commandLineMessage: String {
        guard let problem else { return description }
        return switch problem {
        case .notAMonth(let text): "--month '\(text)' is not a month: write it as YYYY-MM, e.g. 2026-11"
        case .notADate(let bound, let text):
            "\(bound == .start ? "--from" : "--to") '\(text)' is not a date: write 2026-11-03 (midnight in --tz) or 2026-11-03T14:05:00Z"
        case .emptyRange: "--from must be before --to (the period is [from, to), --to excluded): swap or widen them"
        }
    }
}

import TollgateTokenizers

extension TokenizerError {
    /// The message `/readyz` shows the gateway's operator: the facts, then what to run on the
    /// gateway's host (the operator's tool is the `tollgate` command the gateway runs as).
    var operatorMessage: String {
        guard let remedy, remedy != .modelOrEncoding else { return description }
        return facts
            + "On the gateway's host, `tollgate tokenizers fetch` downloads and verifies the published vocabularies; restart the gateway after."
    }
}

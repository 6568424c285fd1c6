import HTTPTypes

/// Response headers the gateway adds so clients see what a request cost and what is left.
public enum GatewayHeader {
    /// The request id, also the ledger entry's `request_id`.
    public static let requestID = HTTPField.Name("X-Tollgate-Request-Id")!
    /// The price version the request is valued at.
    public static let priceVersion = HTTPField.Name("X-Tollgate-Price-Version")!
    /// What the team's budget can still hold once this request's hold is counted (`9.950000000 CNY`).
    public static let remainingBudget = HTTPField.Name("X-Tollgate-Remaining-Budget")!
    /// The charge to the team's budget (non-streaming only: a stream's cost is in its usage chunk).
    public static let cost = HTTPField.Name("X-Tollgate-Cost")!
    /// The list price in USD at the relay's rate (non-streaming only).
    public static let costUSD = HTTPField.Name("X-Tollgate-Cost-USD")!
    /// `budget_exceeded` when a non-streamed answer was cut short by the budget.
    public static let cutoff = HTTPField.Name("X-Tollgate-Cutoff")!
}

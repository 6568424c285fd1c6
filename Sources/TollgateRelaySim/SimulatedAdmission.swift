/// Why the simulator refuses a request, with the status and error code a relay would use.
struct SimulatedRejection: Sendable, Hashable, Error {
    let status: Int
    let code: String
    let type: String
    let message: String

    /// Checks key, model and the rejection faults, in the order a relay would.
    static func check(
        apiKey: String?,
        model: String?,
        scenario: SimulatedScenario,
        configuration: RelaySimulatorConfiguration
    ) -> SimulatedRejection? {
        guard let apiKey, !apiKey.isEmpty else {
            return .init(
                status: 401,
                code: "invalid_api_key",
                type: "authentication_error",
                message: "Missing API key: send 'Authorization: Bearer <key>'."
            )
        }
        if scenario.faults.rejectKey || (configuration.apiKey.map { $0 != apiKey } ?? false) {
            return .init(
                status: 401,
                code: "invalid_api_key",
                type: "authentication_error",
                message: "Invalid API key provided. Check the key or generate a new one in the dashboard." + scenario.keyEcho(apiKey)
            )
        }
        guard let model, !model.isEmpty else {
            return .init(
                status: 400,
                code: "invalid_request",
                type: "invalid_request_error",
                message: "No model specified. Valid models: \(configuration.models.joined(separator: ", "))."
            )
        }
        if scenario.faults.rejectModel || !configuration.models.contains(model) {
            return .init(
                status: 400,
                code: "model_not_found",
                type: "invalid_request_error",
                message: "The model '\(model)' does not exist. Valid models: \(configuration.models.joined(separator: ", "))."
            )
        }
        if scenario.faults.rateLimit {
            return .init(
                status: 429,
                code: "rate_limit_exceeded",
                type: "rate_limit_error",
                message: "Rate limit reached for \(model). Retry after 1s." + scenario.keyEcho(apiKey)
            )
        }
        return nil
    }
}

/// One chat model of a LiteLLM `model_prices_and_context_window.json`, its prices read exactly.
public struct LiteLLMEntry: Sendable, Hashable {
    /// The file's key (`gpt-4.1`, `anthropic.claude-haiku-4-5-20251001-v1:0`).
    public let key: String
    /// `litellm_provider`.
    public let provider: String
    /// `max_output_tokens`, else `max_tokens`.
    public let maxOutputTokens: Int
    /// `max_input_tokens`, when given.
    public let contextWindow: Int?
    /// Tollgate price field (`input`, `cached_input`, …) → nanos per million tokens.
    public let prices: [String: Int64]

    /// LiteLLM's per-token fields and the price-file fields they become, in the order written.
    /// LiteLLM's cache-creation prices are Anthropic's cache writes: the plain one the 5-minute
    /// cache, `_above_1hr` the 1-hour one.
    public static let priceFields: [(litellm: String, field: String)] = [
        ("input_cost_per_token", "input"),
        ("cache_read_input_token_cost", "cached_input"),
        ("output_cost_per_token", "output"),
        ("cache_creation_input_token_cost", "cache_write_5m"),
        ("cache_creation_input_token_cost_above_1hr", "cache_write_1h"),
    ]

    /// Fields an imported model must have.
    static let requiredFields = ["input", "output"]

    /// A chat entry of the file as read: the entry, or why it can't be imported.
    public struct Candidate: Sendable {
        /// The file's key.
        public let key: String
        /// `litellm_provider`, when the entry has one.
        public let provider: String?
        /// The entry, or the problem naming its model and field.
        public let result: Result<LiteLLMEntry, PricingError>
        /// Whether the entry only lacks a per-token price (a model billed per second, per image…):
        /// a `--provider` import passes over it, a `--models` import refuses it.
        public var unpricedPerToken: Bool {
            guard case .failure(let error) = result else { return false }
            return error.code == .missingField && LiteLLMEntry.priceFields.contains { error.field == "\(key).\($0.litellm)" }
        }
    }

    /// Reads the chat entries of a LiteLLM file (other modes and `sample_spec` are not models a
    /// chat gateway meters), each read or refused on its own so one bad entry names itself.
    public static func chatEntries(_ file: PricingFile) throws(PricingError) -> [Candidate] {
        let root: ExactJSON
        do throws(ExactJSONError) { root = try ExactJSON.parse(file.contents) } catch {
            throw PricingError(.malformed, "not valid JSON (\(error.message)): pass LiteLLM's model_prices_and_context_window.json", file: file.path)
        }
        guard case .object(let members) = root else {
            throw PricingError(.malformed, "the file must hold one JSON object of models", file: file.path)
        }
        return members.filter { $0.key != "sample_spec" && $0.value["mode"] == .string("chat") }.map { key, value in
            var provider: String?
            if case .string(let name) = value["litellm_provider"] { provider = name }
            do throws(PricingError) {
                return Candidate(key: key, provider: provider, result: .success(try entry(key, value, file: file.path)))
            } catch {
                return Candidate(key: key, provider: provider, result: .failure(error))
            }
        }
    }

    private static func entry(_ key: String, _ value: ExactJSON, file: String) throws(PricingError) -> LiteLLMEntry {
        func fail(_ field: String, _ message: String) -> PricingError {
            PricingError(.malformed, message, file: file, field: "\(key).\(field)")
        }
        func integer(_ field: String) throws(PricingError) -> Int? {
            guard let member = value[field], member != .null else { return nil }
            guard case .number(let text) = member, let number = Int(text), number > 0 else {
                throw fail(field, "must be a positive whole number of tokens")
            }
            return number
        }
        guard case .string(let provider) = value["litellm_provider"], !provider.isEmpty else {
            throw PricingError(.missingField, "has no litellm_provider: every model needs one", file: file, field: "\(key).litellm_provider")
        }
        var prices: [String: Int64] = [:]
        for (litellm, field) in priceFields {
            guard let member = value[litellm], member != .null else { continue }
            guard case .number(let text) = member else { throw fail(litellm, "must be a JSON number of USD per token, like 3e-06") }
            guard let nanos = PerTokenPrice.nanosPerMillion(text) else {
                throw fail(
                    litellm,
                    "\(text) USD per token is not a whole number of nanos (10⁻⁹ USD) per million tokens, or is negative or too large: Tollgate prices exactly, so fix the entry or leave this model out"
                )
            }
            prices[field] = nanos
        }
        for field in requiredFields where prices[field] == nil {
            let litellm = priceFields.first { $0.field == field }!.litellm
            throw PricingError(
                .missingField,
                "is missing: a metered chat model needs a per-token \(field) price (leave this model out, or price it by hand)",
                file: file,
                field: "\(key).\(litellm)"
            )
        }
        var stated = try integer("max_output_tokens")
        if stated == nil { stated = try integer("max_tokens") }
        guard let maxOutput = stated else {
            throw PricingError(
                .missingField,
                "has neither max_output_tokens nor max_tokens: Tollgate reserves the maximum output, so it must be known",
                file: file,
                field: "\(key).max_output_tokens"
            )
        }
        return LiteLLMEntry(key: key, provider: provider, maxOutputTokens: maxOutput, contextWindow: try integer("max_input_tokens"), prices: prices)
    }
}

extension PricingTable {
    /// Parses `models.json`: per canonical id its provider, maximum output, optional context
    /// window, optional aliases and how it is counted.
    static func parseModels(_ file: PricingFile) throws(PricingError) -> ModelCatalog {
        let reader = JSONFieldReader(file)
        let root = try reader.root()
        let models = try reader.object(root, ["models"])
        var infos: [ModelInfo] = []
        var claimed: [String: String] = [:]
        for id in models.keys.sorted() {
            let path = ["models", id]
            let entry = try reader.object(models, path)
            let aliases = try reader.optionalStrings(entry, path + ["aliases"])
            for alias in aliases {
                if models[alias] != nil {
                    throw reader.error(.malformed, path + ["aliases"], "'\(alias)' is itself a model in this file: remove the alias or the model")
                }
                if let owner = claimed[alias] {
                    throw reader.error(.malformed, path + ["aliases"], "'\(alias)' is already an alias of '\(owner)': an alias names one model")
                }
                claimed[alias] = id
            }
            infos.append(
                ModelInfo(
                    id: ModelID(rawValue: id),
                    provider: try reader.string(entry, path + ["provider"]),
                    maxOutputTokens: try reader.integer(entry, path + ["max_output_tokens"]),
                    contextWindow: entry["context_window"] == nil ? nil : try reader.integer(entry, path + ["context_window"]),
                    aliases: aliases.map(ModelID.init(rawValue:)),
                    counting: try parseCounting(entry, path, reader)
                )
            )
        }
        guard !infos.isEmpty else { throw reader.error(.missingField, ["models"], "lists no models") }
        return ModelCatalog(infos)
    }

    /// `"counting": "o200k_base"`, or `"counting": "estimate"` with
    /// `"estimate": {"base": "o200k_base", "numerator": 5, "denominator": 4}`. Without `counting` a
    /// model is the documented unlisted estimate (``TokenCounting/unlisted``): a model added by
    /// data alone is still admitted, and its count errs high and is marked `estimate`.
    private static func parseCounting(_ entry: [String: Any], _ path: [String], _ reader: JSONFieldReader) throws(PricingError) -> TokenCounting {
        let methods = (TokenCounting.encodings + ["estimate"]).joined(separator: ", ")
        guard entry["counting"] != nil else {
            guard entry["estimate"] == nil else {
                throw reader.error(.missingField, path + ["counting"], "is missing but \"estimate\" is given: add \"counting\": \"estimate\"")
            }
            return .unlisted
        }
        let name = try reader.string(entry, path + ["counting"])
        if TokenCounting.encodings.contains(name) {
            guard entry["estimate"] == nil else {
                throw reader.error(
                    .malformed,
                    path + ["estimate"],
                    "only applies to \"counting\": \"estimate\": remove it, or count this model as an estimate"
                )
            }
            return .exact(encoding: name)
        }
        guard name == "estimate" else {
            throw reader.error(.malformed, path + ["counting"], "unknown counting method '\(name)': use one of \(methods)")
        }
        let estimate = try reader.object(entry, path + ["estimate"])
        let base = try reader.string(estimate, path + ["estimate", "base"])
        guard TokenCounting.encodings.contains(base) else {
            throw reader.error(
                .malformed,
                path + ["estimate", "base"],
                "unknown encoding '\(base)': estimate from one of \(TokenCounting.encodings.joined(separator: ", "))"
            )
        }
        return .estimate(
            base: base,
            numerator: try reader.integer(estimate, path + ["estimate", "numerator"]),
            denominator: try reader.integer(estimate, path + ["estimate", "denominator"])
        )
    }
}

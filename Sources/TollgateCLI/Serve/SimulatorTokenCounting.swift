import TollgateCore
import TollgateMetering
import TollgateRelaySim
import TollgateTokenizers

/// The simulator's usage counter: the model's real tokenizer when its vocabulary is available, so
/// simulated usage equals what Tollgate counts; the simulator's stand-in otherwise.
enum SimulatorTokenCounting {
    /// Counts each model as `catalog` says (an unlisted one as the unknown-model estimate).
    static func make(_ registry: TokenizerRegistry, catalog: ModelCatalog) -> (SimulatorTokenCounter, String) {
        let available = catalog.ids.map(\.rawValue).filter { (try? registry.counter(forModel: $0, in: catalog)) != nil }
        guard !available.isEmpty else {
            return (SimulatedText.defaultTokenCount, "the stand-in (no vocabulary could be loaded: check --tokenizer-dir and TOLLGATE_TOKENIZER_DIR)")
        }
        let counter: SimulatorTokenCounter = { model, text in
            guard let counter = try? registry.counter(forModel: model, in: catalog) else {
                return SimulatedText.defaultTokenCount(model: model, text: text)
            }
            return counter.count(text)
        }
        return (counter, "model tokenizers for \(available.joined(separator: ", "))")
    }
}

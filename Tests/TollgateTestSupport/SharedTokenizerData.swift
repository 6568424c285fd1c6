import Foundation
import TollgateCore
import TollgateDefaults
import TollgateMetering
import TollgateRelaySim
import TollgateTokenizers

/// The vocabularies the tests count with: the built-in ones, compiled into the binary, exactly as a
/// fresh install counts. Only the conformance corpus (test data, not product) stays outside the
/// repo, in the first `shared/tokenizers` found walking up from this file (/work/shared/tokenizers
/// from a clone at /work/main).
public enum SharedTokenizerData {
    /// `conformance.jsonl`: texts with tiktoken 0.14 / Hugging Face reference counts, if present.
    public static let conformanceCorpus: URL? = {
        var ancestor = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while ancestor.path != "/" {
            for candidate in ["shared/tokenizers", "../shared/tokenizers"] {
                let file = ancestor.appendingPathComponent(candidate, isDirectory: true)
                    .appendingPathComponent("conformance.jsonl").standardizedFileURL
                if FileManager.default.fileExists(atPath: file.path) { return file }
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
        return nil
    }()

    /// Why a test that needs the corpus was skipped, and what to do about it.
    public static let corpusMissing = "the conformance corpus is required: place it at ../shared/tokenizers/conformance.jsonl"

    /// One registry over the built-in vocabularies for the whole test run, so each is parsed once.
    public static let registry = TokenizerRegistry(locator: .builtIn)

    /// The shipped catalog, which says how each model is counted.
    public static let catalog = try! PricingTable.shipped().catalog

    /// The counter the shipped catalog gives a model (an unlisted one: the unlisted estimate).
    public static func counter(forModel model: String) throws -> ModelTokenCounter {
        try registry.counter(forModel: model, in: catalog)
    }

    /// The simulator counts usage with the same tokenizers, as a real relay would with its own.
    public static let simulatorCounter: SimulatorTokenCounter = { model, text in
        (try? counter(forModel: model).count(text)) ?? SimulatedText.defaultTokenCount(model: model, text: text)
    }
}

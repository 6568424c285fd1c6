import TollgateTestSupport

/// The built-in vocabularies, loaded once for every test target (see `SharedTokenizerData`).
typealias Vocabularies = SharedTokenizerData

import TollgateTestSupport

/// The shared vocabularies, located once for every test target (see `SharedTokenizerData`).
typealias Vocabularies = SharedTokenizerData

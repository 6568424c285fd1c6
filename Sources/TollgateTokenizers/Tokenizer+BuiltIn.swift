import TollgateVocabularyTables

extension Tokenizer {
    /// The built-in `encoding`, from the tables the build precomputed from its file: one linear
    /// pass over the image instead of parsing, hashing and inserting (BENCHMARKS.md, "Load at
    /// startup"). It counts exactly as the file parsed would, which the tests check table by table.
    init(builtIn encoding: TokenEncoding) throws {
        guard let text = BuiltInVocabulary.tableImage(for: encoding) else {
            throw TokenizerError(.vocabularyNotFound, "\(encoding.rawValue) is not built in")
        }
        var image = TableImageReader(base64: text)
        self.encoding = encoding
        switch encoding {
        case .o200kBase: engine = .tiktoken(TiktokenEngine(ranks: ByteRankTable(image: &image), pattern: .o200k))
        case .cl100kBase: engine = .tiktoken(TiktokenEngine(ranks: ByteRankTable(image: &image), pattern: .cl100k))
        case .deepseekV3: engine = .huggingFace(HuggingFaceEngine(tables: MergeModelTables(image: &image)))
        }
    }
}

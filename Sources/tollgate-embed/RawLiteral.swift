import Foundation

/// A file as a multi-line raw string literal: its bytes verbatim, nothing escaped, so the compiler
/// reads ~4 MB in about 0.3 s where a `[UInt8]` array literal of that size is far too slow to
/// type-check (BENCHMARKS.md, "Built-in vocabularies").
///
/// The delimiter carries one `#` more than the longest run of `#` in the text, so neither `"""`
/// nor `\` followed by the delimiter's `#`s can occur inside. Multi-line literals turn CR LF into
/// LF, so text holding CR is refused rather than embedded altered.
func rawMultilineLiteral(_ data: Data, file: String) throws -> String {
    guard let text = String(data: data, encoding: .utf8) else {
        throw EmbedError("\(file) is not UTF-8 text; only UTF-8 vocabularies can be embedded")
    }
    var longestRun = 0
    var run = 0
    for byte in data {
        if byte == UInt8(ascii: "\r") { throw EmbedError("\(file) contains a carriage return, which a Swift literal would not keep") }
        run = byte == UInt8(ascii: "#") ? run + 1 : 0
        longestRun = max(longestRun, run)
    }
    let hashes = String(repeating: "#", count: longestRun + 1)
    // The newline after the opening and the one before the closing delimiter are not part of the value.
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

/// A build-time failure, printed as the build error.
struct EmbedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `tollgate-embed --vocabularies OUTPUT TABLES (PATH FILE)...`: OUTPUT lists each vocabulary
/// under its path in the tokenizer-folder layout, TABLES the table image built from each.
///
/// Two files so each stays one kind of literal; both are regenerated together when a vocabulary changes.
func embedVocabularies(output: String, tables: String, pairs: [String]) throws {
    let header = "// Generated at build time by tollgate-embed from the package's tokenizers/ folder. Do not edit.\n\n"
    var source = header + "extension BuiltInVocabularies {\n    static let files: [(path: String, contents: StaticString)] = [\n"
    var images = header + "extension BuiltInVocabularies {\n    static let tableImages: [(path: String, image: StaticString)] = [\n"
    var remaining = pairs[...]
    while remaining.count >= 2 {
        let path = remaining.removeFirst()
        let file = remaining.removeFirst()
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        // Literal lines start at column 0: the closing delimiter's indentation is stripped from every line.
        source += "        (\(swiftLiteral(path)), \(try rawMultilineLiteral(data, file: file))),\n"
        // Base64 needs no escaping: one plain single-line literal.
        images += "        (\(swiftLiteral(path)), \"\(try tableImage(path: path, data: data, file: file))\"),\n"
    }
    source += "    ]\n}\n"
    images += "    ]\n}\n"
    try source.write(toFile: output, atomically: true, encoding: .utf8)
    try images.write(toFile: tables, atomically: true, encoding: .utf8)
}

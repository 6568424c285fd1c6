/// The Unicode properties the pre-tokenizer patterns test, packed so one table lookup answers them all.
///
/// The patterns of tiktoken and Hugging Face only ever ask about general categories, `White_Space`
/// and a few literal ranges, so a bit set per scalar replaces a regex engine's class machinery.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt16

    static let uppercaseLetter = ScalarClass(rawValue: 1 << 0)
    static let lowercaseLetter = ScalarClass(rawValue: 1 << 1)
    static let titlecaseLetter = ScalarClass(rawValue: 1 << 2)
    static let modifierLetter = ScalarClass(rawValue: 1 << 3)
    static let otherLetter = ScalarClass(rawValue: 1 << 4)
    static let mark = ScalarClass(rawValue: 1 << 5)
    static let number = ScalarClass(rawValue: 1 << 6)
    static let punctuation = ScalarClass(rawValue: 1 << 7)
    static let symbol = ScalarClass(rawValue: 1 << 8)
    /// Unicode `White_Space`, which is what `\s` means in both Rust's regex and Oniguruma.
    static let whitespace = ScalarClass(rawValue: 1 << 9)
    /// Only `\r` and `\n`: the patterns single these out with `[\r\n]`.
    static let lineBreak = ScalarClass(rawValue: 1 << 10)
    /// DeepSeek-V3's `[一-龥぀-ゟ゠-ヿ]` ranges.
    static let cjk = ScalarClass(rawValue: 1 << 11)
    /// `[A-Za-z]`.
    static let asciiLetter = ScalarClass(rawValue: 1 << 12)
    /// DeepSeek-V3's ``[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]``.
    static let asciiPunctuation = ScalarClass(rawValue: 1 << 13)
    /// Set on the sentinel returned past the end of the input, so no class test matches it.
    static let end = ScalarClass(rawValue: 1 << 15)

    /// `\p{L}`.
    static let letter: ScalarClass = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
    /// o200k's `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`.
    static let o200kUpper: ScalarClass = [.uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .mark]
    /// o200k's `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`.
    static let o200kLower: ScalarClass = [.lowercaseLetter, .modifierLetter, .otherLetter, .mark]

    /// Whether any member of `other` is set (`contains` would demand all of them).
    @inline(__always)
    func intersects(_ other: ScalarClass) -> Bool { rawValue & other.rawValue != 0 }

    /// Computes the class from the standard library's Unicode tables; the table caches this.
    static func compute(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return [] }
        var result: ScalarClass = []
        switch scalar.properties.generalCategory {
        case .uppercaseLetter: result.insert(.uppercaseLetter)
        case .lowercaseLetter: result.insert(.lowercaseLetter)
        case .titlecaseLetter: result.insert(.titlecaseLetter)
        case .modifierLetter: result.insert(.modifierLetter)
        case .otherLetter: result.insert(.otherLetter)
        case .nonspacingMark, .spacingMark, .enclosingMark: result.insert(.mark)
        case .decimalNumber, .letterNumber, .otherNumber: result.insert(.number)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            result.insert(.punctuation)
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: result.insert(.symbol)
        default: break
        }
        if scalar.properties.isWhitespace { result.insert(.whitespace) }
        if value == 0x0A || value == 0x0D { result.insert(.lineBreak) }
        if (0x4E00...0x9FA5).contains(value) || (0x3040...0x30FF).contains(value) { result.insert(.cjk) }
        if (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) { result.insert(.asciiLetter) }
        if value < 0x80, result.contains(.punctuation) || result.contains(.symbol) { result.insert(.asciiPunctuation) }
        return result
    }
}

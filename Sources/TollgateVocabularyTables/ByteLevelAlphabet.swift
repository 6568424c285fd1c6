/// GPT-2's byte-level alphabet: each byte is shown as a printable character, bytes that are
/// printable Latin-1 as themselves and the rest as U+0100 onwards, in byte order.
public enum ByteLevelAlphabet {
    /// The character byte `byte` is written as.
    public static func scalar(of byte: UInt8) -> Unicode.Scalar {
        var next: UInt32 = 256
        for candidate in 0...255 {
            let printable = (33...126).contains(candidate) || (161...172).contains(candidate) || (174...255).contains(candidate)
            if candidate == Int(byte) { return Unicode.Scalar(printable ? UInt32(candidate) : next)! }
            if !printable { next += 1 }
        }
        return Unicode.Scalar(next)!
    }
}

/// A precomputed ``ScalarClass`` for every Basic Multilingual Plane scalar.
///
/// Asking `Unicode.Scalar.Properties` per character costs far more than the whole rest of the
/// pre-tokenizer, so the BMP (where almost all text lives) is answered from a flat array;
/// supplementary-plane scalars fall back to computing.
final class ScalarClassTable: @unchecked Sendable {
    // @unchecked Sendable: `classes` is written once in `init` and only read afterwards; the
    // allocation lives as long as the process-wide `shared` instance.

    /// The process-wide table, built on first use (Swift global initialisation is thread-safe).
    static let shared = ScalarClassTable()

    /// One entry per BMP scalar value.
    let classes: UnsafeMutablePointer<UInt16>

    private init() {
        classes = .allocate(capacity: 0x10000)
        for value in 0..<UInt32(0x10000) {
            classes[Int(value)] = ScalarClass.compute(value).rawValue
        }
    }

    deinit { classes.deallocate() }
}

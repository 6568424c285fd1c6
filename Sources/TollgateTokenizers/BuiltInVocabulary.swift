import Foundation
import TollgateVocabularies

/// The vocabularies compiled into the binary (target `TollgateVocabularies`), as `Data` over the
/// binary's read-only memory: no copy, no file, nothing to install.
enum BuiltInVocabulary {
    /// The built-in bytes of `encoding`'s file, or nil if this build lacks it.
    static func data(for encoding: TokenEncoding) -> Data? {
        guard let bytes = BuiltInVocabularies.bytes(path: encoding.relativePath), let base = bytes.baseAddress else { return nil }
        // The loaders only read; `.none` because the memory belongs to the binary, not to this Data.
        return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
    }

    /// The tables precomputed from `encoding`'s built-in file at build time, as base64 text, or nil
    /// if this build lacks them.
    static func tableImage(for encoding: TokenEncoding) -> UnsafeRawBufferPointer? {
        BuiltInVocabularies.tableImage(path: encoding.relativePath)
    }
}

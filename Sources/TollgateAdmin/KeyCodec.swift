import Crypto
import Foundation

/// How API keys look and are stored: `tg_` + 40 random base62 characters; only a SHA-256 hash and
/// the first 12 characters (the prefix) are ever stored.
///
/// A plain SHA-256 suffices because keys carry ~238 bits of randomness: there is nothing to guess,
/// so a slow password hash would only slow down every request.
public enum KeyCodec {
    /// Characters of the visible prefix, `tg_` included.
    public static let prefixLength = 12
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// A new random key from the system's secure generator.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return "tg_" + String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The stored prefix of a key.
    public static func prefix(of key: String) -> String { String(key.prefix(prefixLength)) }

    /// SHA-256 of the key's UTF-8 bytes.
    public static func hash(_ key: String) -> Data { Data(SHA256.hash(data: Data(key.utf8))) }

    /// Compares two hashes in time independent of where they differ.
    public static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}

import TollgateStorage

/// A key just created: the only time its full text exists outside the client that holds it.
public struct IssuedKey: Sendable {
    /// The stored record (prefix and hash).
    public let record: APIKeyRecord
    /// The full key, to show once.
    public let secret: String
}

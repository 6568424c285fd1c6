/// The exact model identifier a relay uses (`gpt-4.1`, `deepseek-v3.2`).
public struct ModelID: RawRepresentable, Hashable, Sendable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The identifier as sent on the wire.
    public let rawValue: String

    /// Wraps an identifier; whether it is known is decided by a `ModelCatalog`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps an identifier from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The identifier.
    public var description: String { rawValue }

    /// Orders identifiers alphabetically, for stable listings.
    public static func < (lhs: ModelID, rhs: ModelID) -> Bool { lhs.rawValue < rhs.rawValue }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JSON value, used for provider-specific request extras that Tollgate passes through untouched.
public enum JSONValue: Sendable, Hashable, Codable {
    /// JSON `null`.
    case null
    /// JSON `true` / `false`.
    case bool(Bool)
    /// A JSON number without fraction, kept exact.
    case integer(Int64)
    /// A JSON number with a fraction (sampling parameters, never money).
    case number(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object.
    case object([String: JSONValue])

    /// Decodes any JSON value, preferring exact integers over doubles.
    ///
    /// A `Decoder` can't say which type it holds, so each kind is tried in turn, and every miss is
    /// a thrown error (allocated, with its coding path). The kinds a chat request is made of come
    /// first — strings, objects (messages, options), arrays — which halves the misses of a typical
    /// body: decoding request bodies was the gateway's largest single cost per request. The order
    /// changes no result: JSON's kinds are disjoint, and `Int64` is still tried before `Double`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    /// Encodes the value as the JSON it represents.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value as an integer when it is one (used for `seed`-like extras).
    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}

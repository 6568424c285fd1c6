/// Provider-specific fields that ride along in a request body: decoded from every key the wire type
/// doesn't model, and encoded back without ever overriding a modelled field.
extension KeyedDecodingContainer where Key == AnyCodingKey {
    /// Every field whose key is not in `known`, as raw JSON.
    func decodeExtras(excluding known: Set<String>) throws -> [String: JSONValue] {
        var extras: [String: JSONValue] = [:]
        for key in allKeys where !known.contains(key.stringValue) {
            extras[key.stringValue] = try decode(JSONValue.self, forKey: key)
        }
        return extras
    }
}

extension KeyedEncodingContainer where Key == AnyCodingKey {
    /// Writes `extras`, skipping any key in `known` so a modelled field always wins.
    mutating func encodeExtras(_ extras: [String: JSONValue], excluding known: Set<String>) throws {
        for (key, value) in extras where !known.contains(key) {
            try encode(value, forKey: AnyCodingKey(key))
        }
    }
}

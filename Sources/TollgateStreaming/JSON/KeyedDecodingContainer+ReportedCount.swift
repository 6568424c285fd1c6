extension KeyedDecodingContainer {
    /// A token count an upstream reported: the whole number, or `nil` when the value is a number or
    /// string that isn't one in `Int` range (`1.5`, `1e30`, `"100"`). A usage object with such a
    /// count is still a usage report: failing the whole stream over it would lose the delivered
    /// text, so metering bills its own count instead. A missing key still fails as before.
    func reportedCount(forKey key: Key) throws -> Int? {
        do {
            return try decode(Int.self, forKey: key)
        } catch DecodingError.keyNotFound(let missing, let context) {
            throw DecodingError.keyNotFound(missing, context)
        } catch {
            return nil
        }
    }

    /// An optional reported count: absent or `null` is `nil`; not a whole number marks `malformed`.
    func reportedCountIfPresent(forKey key: Key, malformed: inout Bool) -> Int? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        guard let value = try? decode(Int.self, forKey: key) else {
            malformed = true
            return nil
        }
        return value
    }
}

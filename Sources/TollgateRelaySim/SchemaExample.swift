import TollgateStreaming

/// A JSON document that satisfies a JSON Schema, as far as the schemas of tools and structured
/// outputs go (`type`, `properties`/`required`, `items`/`minItems`, `enum`, `const`, `anyOf`/`oneOf`,
/// `$ref` into `$defs`/`definitions`, common string `format`s, numeric `minimum`): what a model
/// fills a tool's arguments or a `json_schema` response with, so an SDK's `.parse()` succeeds.
struct SchemaExample {
    let root: JSONValue?
    let seed: Int64

    /// The example for the root schema.
    func value() -> SimulatedJSON { value(for: root, path: "$", depth: 0) }

    private func value(for schema: JSONValue?, path: String, depth: Int) -> SimulatedJSON {
        guard depth < 16, case .object(let schema)? = schema else { return .string(words(path)) }
        if case .string(let reference)? = schema["$ref"] { return value(for: resolve(reference), path: path, depth: depth + 1) }
        if let constant = schema["const"] { return Self.simulated(constant) }
        if case .array(let options)? = schema["enum"], let first = options.first { return Self.simulated(first) }
        for key in ["anyOf", "oneOf", "allOf"] {
            if case .array(let options)? = schema[key] {
                let chosen = options.first { $0 != .object(["type": .string("null")]) } ?? options.first
                return value(for: chosen, path: path, depth: depth + 1)
            }
        }
        var type: String?
        switch schema["type"] {
        case .string(let name)?: type = name
        case .array(let names)?:
            let named: [String] = names.compactMap { if case .string(let name) = $0, name != "null" { name } else { nil } }
            type = named.first ?? "null"
        default: type = schema["properties"] != nil ? "object" : nil
        }
        switch type {
        case "object":
            guard case .object(let properties)? = schema["properties"] else { return .object([]) }
            var order: [String] = []
            if case .array(let required)? = schema["required"] {
                order = required.compactMap { if case .string(let name) = $0, properties[name] != nil { name } else { nil } }
            }
            order += properties.keys.filter { !order.contains($0) }.sorted()
            return .object(order.map { ($0, value(for: properties[$0], path: path + "." + $0, depth: depth + 1)) })
        case "array":
            let count = max(1, schema["minItems"]?.integerValue.map { Int(clamping: $0) } ?? 1)
            return .array((0..<min(count, 8)).map { value(for: schema["items"], path: path + "[\($0)]", depth: depth + 1) })
        case "integer", "number":
            return .integer(Int(clamping: schema["minimum"]?.integerValue ?? 1))
        case "boolean": return .bool(true)
        case "null": return .null
        default:
            if case .string(let format)? = schema["format"], let example = Self.formats[format] { return .string(example) }
            var text = words(path)
            if let minimum = schema["minLength"]?.integerValue, text.count < minimum {
                text += String(repeating: "x", count: Int(clamping: minimum) - text.count)
            }
            return .string(text)
        }
    }

    private func resolve(_ reference: String) -> JSONValue? {
        for prefix in ["#/$defs/", "#/definitions/"] where reference.hasPrefix(prefix) {
            let key = prefix == "#/$defs/" ? "$defs" : "definitions"
            if case .object(let root)? = root, case .object(let definitions)? = root[key] {
                return definitions[String(reference.dropFirst(prefix.count))]
            }
        }
        return nil
    }

    /// Two generated words, a function of the field's path and the seed.
    private func words(_ path: String) -> String {
        SimulatedText.generate(model: "schema", prompt: path, seed: seed, pieceCount: 2)
            .joined().filter { $0.isLetter || $0 == " " }
    }

    private static let formats: [String: String] = [
        "date-time": "2025-05-01T12:00:00Z", "date": "2025-05-01", "time": "12:00:00", "email": "sim@example.com",
        "uri": "https://example.com/sim", "uuid": "00000000-0000-4000-8000-000000000000", "duration": "P1D",
    ]

    static func simulated(_ value: JSONValue) -> SimulatedJSON {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .integer(let number): return .integer(Int(clamping: number))
        case .number(let number): return .decimal("\(number)")
        case .string(let text): return .string(text)
        case .array(let values): return .array(values.map(simulated))
        case .object(let members): return .object(members.keys.sorted().map { ($0, simulated(members[$0]!)) })
        }
    }
}

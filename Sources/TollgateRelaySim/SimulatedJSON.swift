import TollgateStreaming

/// A JSON value whose object keys keep the order they were written in, serialized by hand, so the
/// simulator's generated chunks have one fixed byte form (OpenAI's key order, explicit `null`s)
/// and numbers that are not integers (logprobs) are written from decimal text, never a `Double`.
enum SimulatedJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int)
    /// A number written as given (`-0.0012`): the caller formats it.
    case decimal(String)
    case string(String)
    case array([SimulatedJSON])
    case object([(String, SimulatedJSON)])

    static func == (lhs: SimulatedJSON, rhs: SimulatedJSON) -> Bool { lhs.serialized == rhs.serialized }
    func hash(into hasher: inout Hasher) { hasher.combine(serialized) }

    /// Compact JSON text (no spaces), as OpenAI's streaming endpoint writes it.
    var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .decimal(let text): out += text
        case .string(let text): JSONOutput.appendString(text, to: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                JSONOutput.appendString(member.0, to: &out)
                out += ":"
                member.1.write(to: &out)
            }
            out += "}"
        }
    }
}

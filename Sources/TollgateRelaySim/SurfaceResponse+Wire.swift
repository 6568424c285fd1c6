/// The OpenAI wire form of a ``SurfaceResponse``: streamed chunks and the non-streamed body, with
/// OpenAI's key order and its explicit `null`s.
extension SurfaceResponse {
    /// Identity fields every chunk and body carries.
    struct Envelope: Sendable {
        let id: String
        let created: Int
        let model: String
        static let systemFingerprint = "fp_tollgate_sim"
    }

    /// One streamed event: its `data:` JSON, and whether it counts as output for the faults'
    /// chunk numbering (role and finish chunks do not).
    struct Event: Sendable {
        let json: SimulatedJSON
        let isOutput: Bool
    }

    /// The usage object: `reported` applies the scenario's lying-relay faults to the real counts.
    func usage(reported: (input: Int, output: Int), cachedTokens: Int?) -> SimulatedJSON {
        let (total, overflow) = reported.input.addingReportingOverflow(reported.output)
        return .object([
            ("prompt_tokens", .integer(reported.input)), ("completion_tokens", .integer(reported.output)),
            ("total_tokens", overflow ? .null : .integer(total)),
            ("prompt_tokens_details", .object([("cached_tokens", .integer(cachedTokens ?? 0))])),
            ("completion_tokens_details", .object([("reasoning_tokens", .integer(reasoningTokens))])),
        ])
    }

    /// Every event of the stream before `[DONE]`: each choice's opening chunk, the output pieces
    /// of all choices interleaved (as OpenAI interleaves `n` > 1), each choice's finish, then usage.
    func events(_ envelope: Envelope, logprobs: SimulatedLogprobs?, usage: SimulatedJSON?) -> [Event] {
        func chunk(_ choice: SimulatedJSON) -> SimulatedJSON { Self.chunk(envelope, choices: [choice]) }
        var events = choices.map { choice -> Event in
            var delta: [(String, SimulatedJSON)] = [("role", .string("assistant"))]
            if !choice.refusal.isEmpty {
                delta += [("content", .null), ("refusal", .string(""))]
            } else if !choice.toolCalls.isEmpty || !choice.reasoning.isEmpty {
                delta += [("content", .null)]
                if !choice.reasoning.isEmpty { delta += [("reasoning_content", .string(""))] }
            } else {
                delta += [("content", .string("")), ("refusal", .null)]
            }
            let opening = Self.choice(choice.index, delta: delta, logprobs: .null)
            return Event(json: chunk(opening), isOutput: false)
        }
        let perChoice = choices.map { choice -> [SimulatedJSON] in
            var deltas: [SimulatedJSON] = choice.reasoning.map {
                Self.choice(choice.index, delta: [("content", .null), ("reasoning_content", .string($0))], logprobs: .null)
            }
            deltas += choice.content.map { piece in
                Self.choice(
                    choice.index,
                    delta: [("content", .string(piece))],
                    logprobs: logprobs.map { .object([("content", .array([$0.entry(for: piece)])), ("refusal", .null)]) } ?? .null
                )
            }
            deltas += choice.refusal.map { piece in
                Self.choice(
                    choice.index,
                    delta: [("refusal", .string(piece))],
                    logprobs: logprobs.map { .object([("content", .null), ("refusal", .array([$0.entry(for: piece)]))]) } ?? .null
                )
            }
            for (number, call) in choice.toolCalls.enumerated() {
                let opening: SimulatedJSON = .object([
                    ("index", .integer(number)), ("id", .string(call.id)), ("type", .string("function")),
                    ("function", .object([("name", .string(call.name)), ("arguments", .string(""))])),
                ])
                deltas.append(Self.choice(choice.index, delta: [("tool_calls", .array([opening]))], logprobs: .null))
                deltas += call.argumentPieces.map { piece in
                    let part: SimulatedJSON = .object([("index", .integer(number)), ("function", .object([("arguments", .string(piece))]))])
                    return Self.choice(choice.index, delta: [("tool_calls", .array([part]))], logprobs: .null)
                }
            }
            return deltas
        }
        let longest = perChoice.map(\.count).max() ?? 0
        for position in 0..<longest {
            for deltas in perChoice where position < deltas.count {
                events.append(Event(json: chunk(deltas[position]), isOutput: true))
            }
        }
        for choice in choices {
            events.append(
                Event(
                    json: chunk(Self.choice(choice.index, delta: [], logprobs: .null, finishReason: choice.finishReason)),
                    isOutput: false
                )
            )
        }
        if let usage {
            var object = Self.envelopeMembers(envelope)
            object += [("choices", .array([])), ("usage", usage)]
            events.append(Event(json: .object(object), isOutput: false))
        }
        return events
    }

    /// The non-streamed `chat.completion` body.
    func body(_ envelope: Envelope, logprobs: SimulatedLogprobs?, usage: SimulatedJSON?) -> SimulatedJSON {
        let bodyChoices: [SimulatedJSON] = choices.map { choice in
            let content = choice.content.joined()
            let refusal = choice.refusal.joined()
            var message: [(String, SimulatedJSON)] = [
                ("role", .string("assistant")),
                ("content", choice.refusal.isEmpty && choice.toolCalls.isEmpty ? .string(content) : .null),
                ("refusal", choice.refusal.isEmpty ? .null : .string(refusal)),
            ]
            if !choice.reasoning.isEmpty { message.append(("reasoning_content", .string(choice.reasoning.joined()))) }
            if !choice.toolCalls.isEmpty {
                message.append(
                    (
                        "tool_calls",
                        .array(
                            choice.toolCalls.map { call in
                                .object([
                                    ("id", .string(call.id)), ("type", .string("function")),
                                    ("function", .object([("name", .string(call.name)), ("arguments", .string(call.arguments))])),
                                ])
                            }
                        )
                    )
                )
            }
            var choiceLogprobs = SimulatedJSON.null
            if let logprobs {
                choiceLogprobs = .object([
                    ("content", choice.refusal.isEmpty ? .array(choice.content.map { logprobs.entry(for: $0) }) : .null),
                    ("refusal", choice.refusal.isEmpty ? .null : .array(choice.refusal.map { logprobs.entry(for: $0) })),
                ])
            }
            return .object([
                ("index", .integer(choice.index)), ("message", .object(message)), ("logprobs", choiceLogprobs),
                ("finish_reason", .string(choice.finishReason)),
            ])
        }
        var object: [(String, SimulatedJSON)] = [
            ("id", .string(envelope.id)), ("object", .string("chat.completion")), ("created", .integer(envelope.created)),
            ("model", .string(envelope.model)), ("choices", .array(bodyChoices)),
        ]
        if let usage { object.append(("usage", usage)) }
        object.append(("system_fingerprint", .string(Envelope.systemFingerprint)))
        return .object(object)
    }

    private static func envelopeMembers(_ envelope: Envelope) -> [(String, SimulatedJSON)] {
        [
            ("id", .string(envelope.id)), ("object", .string("chat.completion.chunk")), ("created", .integer(envelope.created)),
            ("model", .string(envelope.model)), ("system_fingerprint", .string(Envelope.systemFingerprint)),
        ]
    }

    private static func chunk(_ envelope: Envelope, choices: [SimulatedJSON]) -> SimulatedJSON {
        .object(envelopeMembers(envelope) + [("choices", .array(choices))])
    }

    private static func choice(
        _ index: Int,
        delta: [(String, SimulatedJSON)],
        logprobs: SimulatedJSON,
        finishReason: String? = nil
    ) -> SimulatedJSON {
        .object([
            ("index", .integer(index)), ("delta", .object(delta)), ("logprobs", logprobs),
            ("finish_reason", finishReason.map { .string($0) } ?? .null),
        ])
    }
}

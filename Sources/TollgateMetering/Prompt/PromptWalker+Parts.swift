import TollgateStreaming

/// Content parts: text, refusal, image, audio, file.
extension PromptWalker {
    mutating func part(_ value: JSONValue, at path: String) {
        guard case .object(let fields) = value else { return invalid(value, at: path, expected: "a content part object") }
        switch Self.string(fields["type"]) {
        case "text": textPart(fields["text"], at: "\(path).text")
        case "refusal": textPart(fields["refusal"], at: "\(path).refusal")
        case "image_url": image(fields["image_url"], at: "\(path).image_url")
        case "input_audio": audio(fields["input_audio"], at: "\(path).input_audio")
        case "file": file(fields["file"], at: "\(path).file")
        case nil: invalid(value, at: "\(path).type", expected: "a part type (text, image_url, input_audio, file, refusal)")
        default: unrecognized(value)
        }
    }

    private mutating func textPart(_ value: JSONValue?, at path: String) {
        guard let text = Self.string(value) else {
            if let value { return invalid(value, at: path, expected: "a string") }
            return problem(at: path, "missing; expected a string")
        }
        add(counter.count(text), to: \.text)
    }

    /// The tile formula on the size read from a `data:` URL's header; a remote URL (or unreadable
    /// data) costs the high-detail worst case, and is marked estimated.
    private mutating func image(_ value: JSONValue?, at path: String) {
        let url: String?
        let detail: String?
        switch value {
        case .string(let text)?: (url, detail) = (text, nil)
        case .object(let fields)?: (url, detail) = (Self.string(fields["url"]), Self.string(fields["detail"]))
        default: (url, detail) = (nil, nil)
        }
        guard let url else {
            problem(at: "\(path).url", "missing; expected the image's URL or a data: URL")
            markEstimated()
            return add(ImageTokens.count(nil, detail: detail), to: \.images)
        }
        if detail == "low" { return add(ImageTokens.base, to: \.images) }
        let dimensions = DataURL.withPayload(url, ImageDimensions.read) ?? nil
        if dimensions == nil { markEstimated() }
        add(ImageTokens.count(dimensions, detail: detail), to: \.images)
    }

    private mutating func audio(_ value: JSONValue?, at path: String) {
        guard let data = Self.string(Self.object(value)?["data"]) else {
            return problem(at: "\(path).data", "missing; expected the base64 audio")
        }
        markEstimated()
        add(DataURL.withBase64(data, AudioTokens.count), to: \.audio)
    }

    private mutating func file(_ value: JSONValue?, at path: String) {
        guard let fields = Self.object(value) else {
            if let value { return invalid(value, at: path, expected: "an object with file_data or file_id") }
            return problem(at: path, "missing; expected an object with file_data or file_id")
        }
        markEstimated()
        if let name = Self.string(fields["filename"]) { add(counter.count(name), to: \.files) }
        if let data = Self.string(fields["file_data"]) {
            add(DataURL.withBase64(data, FileTokens.count), to: \.files)
        } else if Self.string(fields["file_id"]) != nil {
            add(FileTokens.perPage, to: \.files)
        } else {
            problem(at: path, "expected file_data (base64) or file_id")
        }
    }
}

/// The tokenizers Tollgate counts with exactly.
public enum TokenEncoding: String, CaseIterable, Sendable {
    /// OpenAI o200k_base (GPT-4o, GPT-4.1, o-series).
    case o200kBase = "o200k_base"
    /// OpenAI cl100k_base (GPT-4, GPT-3.5).
    case cl100kBase = "cl100k_base"
    /// DeepSeek-V3 byte-level BPE from its Hugging Face `tokenizer.json`.
    case deepseekV3 = "deepseek-v3"

    /// Path of the vocabulary inside a tokenizer directory (the layout of `shared/tokenizers`).
    public var relativePath: String {
        switch self {
        case .o200kBase: "o200k_base.tiktoken"
        case .cl100kBase: "cl100k_base.tiktoken"
        case .deepseekV3: "deepseek-v3/tokenizer.json"
        }
    }

    /// Where the vocabulary is published.
    public var officialURL: String {
        switch self {
        case .o200kBase: "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
        case .cl100kBase: "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
        case .deepseekV3: "https://huggingface.co/deepseek-ai/DeepSeek-V3/resolve/main/tokenizer.json"
        }
    }

    /// Lower-case hex SHA-256 of the published file. The OpenAI values are the ones tiktoken 0.14
    /// pins in `openai_public.py`; the DeepSeek value was computed from the file the conformance
    /// counts were produced with.
    public var sha256: String {
        switch self {
        case .o200kBase: "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
        case .cl100kBase: "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
        case .deepseekV3: "4607b3d1929c5ca263a81d7153c6d6ecdbc71c9e933c0fb2df2abf181bf6df61"
        }
    }

    /// Parses an encoding name, or throws an error listing the valid names.
    public static func named(_ name: String) throws -> TokenEncoding {
        guard let encoding = TokenEncoding(rawValue: name) else {
            let valid = allCases.map(\.rawValue).joined(separator: ", ")
            throw TokenizerError(.unknownEncoding, "unknown encoding '\(name)'; valid encodings: \(valid)")
        }
        return encoding
    }
}

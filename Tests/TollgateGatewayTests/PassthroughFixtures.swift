/// Upstream payloads in the shapes OpenAI and DeepSeek stream them (field order, `null`s,
/// `system_fingerprint`, `logprobs`, usage details as their APIs document and send them), for the
/// pass-through tests: what a client receives must be these bytes.
enum PassthroughFixtures {
    static let head =
        #""id":"chatcmpl-BvQ1x9zKp3","object":"chat.completion.chunk","created":1733312000,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_b42e5e7a47""#

    /// Two parallel tool calls, streamed as OpenAI does (names first, arguments in pieces).
    static let toolCalls = [
        "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_Q8qM3bU\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}],\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
        "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\": \\\"Paris, France\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
        "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_Zr71kXw\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
        "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"location\\\": \\\"Tokyo, Japan\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
        "{\(head),\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":null}",
    ]

    static let toolCallsUsage =
        "{\(head),\"choices\":[],\"usage\":{\"prompt_tokens\":82,\"completion_tokens\":51,\"total_tokens\":133,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}"

    static let deepseekHead =
        #""id":"0c3f2a61-8f1e-4d7b-a4be-3f0e9b7c1d22","object":"chat.completion.chunk","created":1738040000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0225""#

    /// DeepSeek's reasoner: `reasoning_content` first, then `content`.
    static let reasoning = [
        "{\(deepseekHead),\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}",
        "{\(deepseekHead),\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"reasoning_content\":\"The user asks for 9.11 vs 9.8; compare the tenths: 1 < 8.\"},\"logprobs\":null,\"finish_reason\":null}]}",
        "{\(deepseekHead),\"choices\":[{\"index\":0,\"delta\":{\"content\":\"9.8 is larger.\",\"reasoning_content\":null},\"logprobs\":null,\"finish_reason\":null}]}",
        "{\(deepseekHead),\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\",\"reasoning_content\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":40,\"total_tokens\":61,\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":31},\"prompt_cache_hit_tokens\":0,\"prompt_cache_miss_tokens\":21}}",
    ]

    /// `n: 2`: choices 0 and 1 interleaved, one refusing.
    static let twoChoices = [
        "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null},{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
        "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there!\"},\"logprobs\":{\"content\":[{\"token\":\"Hello\",\"logprob\":-0.0009,\"bytes\":[72,101,108,108,111],\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":null}],\"usage\":null}",
        "{\(head),\"choices\":[{\"index\":1,\"delta\":{\"refusal\":\"I'm sorry, I can't help with that.\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
        "{\(head),\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"},{\"index\":1,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}",
    ]

    /// A non-streamed answer with a tool call.
    static let toolCallBody = #"""
        {
          "id": "chatcmpl-BvQ2aLm8Rt",
          "object": "chat.completion",
          "created": 1733312042,
          "model": "gpt-4.1-2025-04-14",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": null,
                "tool_calls": [
                  {"id": "call_8fJ2kLq", "type": "function", "function": {"name": "get_weather", "arguments": "{\"location\":\"Paris, France\"}"}}
                ],
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "tool_calls"
            }
          ],
          "usage": {"prompt_tokens": 82, "completion_tokens": 18, "total_tokens": 100,
                    "prompt_tokens_details": {"cached_tokens": 64, "audio_tokens": 0},
                    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
          "service_tier": "default",
          "system_fingerprint": "fp_b42e5e7a47"
        }
        """#

    /// A tool call whose arguments never end (a long generated document), without usage: only
    /// Tollgate's own count can stop it.
    static func endlessArguments(chunks: Int) -> [String] {
        let piece = "\\\"lorem ipsum dolor sit amet, consectetur adipiscing elit\\\", "
        return [
            "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_long\",\"type\":\"function\",\"function\":{\"name\":\"write_report\",\"arguments\":\"{\\\"lines\\\": [\"}}]},\"logprobs\":null,\"finish_reason\":null}]}"
        ]
            + (0..<chunks).map { _ in
                "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\(piece)\"}}]},\"logprobs\":null,\"finish_reason\":null}]}"
            }
            + ["{\(head),\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}"]
    }
}

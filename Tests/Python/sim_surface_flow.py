#!/usr/bin/env python3
"""Ask the relay simulator for each part of the OpenAI Chat Completions surface with the official
OpenAI Python SDK (which validates every chunk and body into its own types), and print one JSON
object describing what the SDK decoded, for the Swift test to check against the usage reported.

Cases: streamed and non-streamed tool calls (one, parallel), `.parse()` of a pydantic tool and of
a structured output, `chat.completions.stream(...)`, reasoning_content, refusal, n=3, logprobs, and
an upstream 429 surfacing as `RateLimitError` with its Retry-After; then every recorded stream
named with --replay, replayed by the simulator. Exit status 1 on a failed
expectation (message on stderr), 4 when the SDK is missing.
"""
import argparse
import json
import sys

try:
    import openai  # pip install openai
    import pydantic
except ImportError:
    print("the openai package is not installed: pip install openai", file=sys.stderr)
    sys.exit(4)


class GetWeather(pydantic.BaseModel):
    city: str
    country: str
    units: str


class Answer(pydantic.BaseModel):
    title: str
    count: int
    tags: list[str]
    done: bool


WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}, "units": {"enum": ["c", "f"]}}, "required": ["city", "units"]}}}
STOCK = {"type": "function", "function": {"name": "get_stock", "parameters": {
    "type": "object", "properties": {"ticker": {"type": "string"}, "exchange": {"type": "string"}}, "required": ["ticker"]}}}


def usage(u):
    return u.model_dump() if u else None


def stream(client, **kwargs):
    """Accumulates a stream per choice the way an agent would; returns the summary."""
    choices, usage_seen, chunks = {}, None, 0
    for chunk in client.chat.completions.create(stream=True, stream_options={"include_usage": True}, **kwargs):
        chunks += 1
        if chunk.usage:
            usage_seen = chunk.usage
        for choice in chunk.choices:
            c = choices.setdefault(choice.index, {"content": "", "reasoning": "", "refusal": "", "tool_calls": {}, "finish": None,
                                                  "logprobs": 0})
            delta = choice.delta
            c["content"] += delta.content or ""
            audio = getattr(delta, "audio", None)
            c["transcript"] = c.get("transcript", "") + ((audio.transcript if audio else None) or "")
            c["refusal"] += delta.refusal or ""
            c["reasoning"] += (delta.model_extra or {}).get("reasoning_content") or ""
            for call in delta.tool_calls or []:
                slot = c["tool_calls"].setdefault(call.index, {"id": None, "name": "", "arguments": ""})
                slot["id"] = call.id or slot["id"]
                if call.function:
                    slot["name"] += call.function.name or ""
                    slot["arguments"] += call.function.arguments or ""
            if choice.logprobs:
                c["logprobs"] += len(choice.logprobs.content or []) + len(choice.logprobs.refusal or [])
            c["finish"] = choice.finish_reason or c["finish"]
    for c in choices.values():
        c["tool_calls"] = [c["tool_calls"][i] for i in sorted(c["tool_calls"])]
        for call in c["tool_calls"]:
            json.loads(call["arguments"])  # every streamed argument string must be complete JSON
    return {"chunks": chunks, "choices": [choices[i] for i in sorted(choices)], "usage": usage(usage_seen)}


def body(completion):
    out = []
    for choice in completion.choices:
        m = choice.message
        out.append({"content": m.content or "", "refusal": m.refusal or "",
                    "reasoning": (m.model_extra or {}).get("reasoning_content") or "",
                    "tool_calls": [{"id": t.id, "name": t.function.name, "arguments": t.function.arguments} for t in m.tool_calls or []],
                    "finish": choice.finish_reason,
                    "logprobs": len((choice.logprobs.content or []) + (choice.logprobs.refusal or [])) if choice.logprobs else 0})
    return {"chunks": 0, "choices": out, "usage": usage(completion.usage)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", default="gpt-4.1")
    parser.add_argument("--replay", nargs="*", default=[], help="recorded streams to replay through the SDK")
    args = parser.parse_args()
    client = openai.OpenAI(base_url=args.base_url, api_key="sk-sim", max_retries=0, timeout=30)
    user = [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}]}]
    base = {"model": args.model, "messages": user}
    results = {
        "tool_call_stream": stream(client, tools=[WEATHER], **base),
        "parallel_tool_calls_stream": stream(client, tools=[WEATHER, STOCK], extra_body={"tollgate_sim": {"tool_calls": 2}}, **base),
        "tool_call_body": body(client.chat.completions.create(tools=[WEATHER], **base)),
        "reasoning_stream": stream(client, extra_body={"tollgate_sim": {"reasoning_tokens": 12}}, **base),
        "reasoning_body": body(client.chat.completions.create(extra_body={"tollgate_sim": {"reasoning_tokens": 12}}, **base)),
        "refusal_stream": stream(client, extra_body={"tollgate_sim": {"refusal": True}}, **base),
        "n3_stream": stream(client, n=3, **base),
        "logprobs_stream": stream(client, logprobs=True, top_logprobs=2, **base),
        "logprobs_body": body(client.chat.completions.create(logprobs=True, top_logprobs=2, **base)),
    }

    # An agent loop: the call, its result sent back as a `tool` message, then a text answer.
    first = client.chat.completions.create(tools=[WEATHER], **base)
    call = first.choices[0].message.tool_calls[0]
    history = user + [first.choices[0].message.model_dump(exclude_none=True),
                      {"role": "tool", "tool_call_id": call.id, "content": "18 C, sunny"}]
    second = client.chat.completions.create(model=args.model, messages=history, tools=[WEATHER])
    results["agent_loop_answer"] = body(second)

    parsed_tool = client.chat.completions.parse(tools=[openai.pydantic_function_tool(GetWeather)], **base)
    results["parsed_tool_arguments"] = parsed_tool.choices[0].message.tool_calls[0].function.parsed_arguments.model_dump()
    parsed = client.chat.completions.parse(response_format=Answer, **base)
    results["parsed_answer"] = parsed.choices[0].message.parsed.model_dump()
    with client.chat.completions.stream(response_format=Answer, **base) as helper:
        final = helper.get_final_completion()
    results["stream_helper_parsed"] = final.choices[0].message.parsed.model_dump()

    # Every recorded stream, replayed by the simulator, through the SDK's own chunk types.
    results["replays"] = {name: stream(client, extra_body={"tollgate_sim": {"replay": name}}, **base) for name in args.replay}

    try:
        client.chat.completions.create(extra_body={"tollgate_sim": {"status": 429, "retry_after": 3}}, **base)
        print("the simulated 429 did not raise", file=sys.stderr)
        return 1
    except openai.RateLimitError as error:
        results["rate_limit"] = {"status": error.status_code, "retry_after": error.response.headers.get("retry-after"),
                                 "code": error.code, "type": error.type,
                                 "remaining_requests": error.response.headers.get("x-ratelimit-remaining-requests")}
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

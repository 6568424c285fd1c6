#!/usr/bin/env python3
"""Use `tollgate serve` with no upstream configured the way a new user's agent would, with the
official OpenAI Python SDK: the default path (the built-in simulator over OpenAI SSE) must show the
real surface. Cases: a tool-call agent loop (developer role, the call, the tool's result sent back
in a `tool` message after the assistant's `tool_calls`, then a text answer), the same loop
streamed, `n=2` streamed and not, and reasoning asked of the simulator. Prints one JSON object
with what the SDK decoded; on a failure prints {"error": ...} and exits 1; exit 4 without the SDK.
"""
import argparse
import json
import sys
import traceback

try:
    import openai  # pip install openai
except ImportError:
    print("the openai package is not installed: pip install openai", file=sys.stderr)
    sys.exit(4)

WEATHER = {"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}, "units": {"enum": ["c", "f"]}}, "required": ["city", "units"]}}}


def streamed(client, **kwargs):
    """Accumulates a stream per choice; returns the choices and the usage the SDK decoded."""
    choices, usage = {}, None
    for chunk in client.chat.completions.create(stream=True, stream_options={"include_usage": True}, **kwargs):
        if chunk.usage:
            usage = chunk.usage.model_dump()
        for choice in chunk.choices:
            c = choices.setdefault(choice.index, {"content": "", "reasoning": "", "tool_calls": {}, "finish": None})
            c["content"] += choice.delta.content or ""
            c["reasoning"] += (choice.delta.model_extra or {}).get("reasoning_content") or ""
            for call in choice.delta.tool_calls or []:
                slot = c["tool_calls"].setdefault(call.index, {"id": None, "name": "", "arguments": ""})
                slot["id"] = call.id or slot["id"]
                if call.function:
                    slot["name"] += call.function.name or ""
                    slot["arguments"] += call.function.arguments or ""
            c["finish"] = choice.finish_reason or c["finish"]
    for c in choices.values():
        c["tool_calls"] = [c["tool_calls"][i] for i in sorted(c["tool_calls"])]
    return {"choices": [choices[i] for i in sorted(choices)], "usage": usage}


def answered(completion):
    return {"choices": [{"content": c.message.content or "", "finish": c.finish_reason,
                         "reasoning": (c.message.model_extra or {}).get("reasoning_content") or "",
                         "tool_calls": [{"id": t.id, "name": t.function.name, "arguments": t.function.arguments}
                                        for t in c.message.tool_calls or []]} for c in completion.choices],
            "usage": completion.usage.model_dump() if completion.usage else None}


def run(client, model):
    ask = [{"role": "developer", "content": "Answer briefly."}, {"role": "user", "content": "What is the weather in Paris?"}]
    results = {}
    # The agent loop, not streamed: call → tool result → answer.
    first = client.chat.completions.create(model=model, messages=ask, tools=[WEATHER])
    call = first.choices[0].message.tool_calls[0]
    json.loads(call.function.arguments)
    history = ask + [first.choices[0].message.model_dump(exclude_none=True),
                     {"role": "tool", "tool_call_id": call.id, "content": "18 C, sunny"}]
    results["agent_call"] = answered(first)
    results["agent_answer"] = answered(client.chat.completions.create(model=model, messages=history, tools=[WEATHER]))
    # The same loop streamed, the assistant message rebuilt from the deltas as an agent does.
    first = streamed(client, model=model, messages=ask, tools=[WEATHER])
    calls = first["choices"][0]["tool_calls"]
    history = ask + [{"role": "assistant", "content": None, "tool_calls": [
        {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}} for c in calls]}]
    history += [{"role": "tool", "tool_call_id": c["id"], "content": json.dumps({"temperature": 18})} for c in calls]
    results["agent_call_stream"] = first
    results["agent_answer_stream"] = streamed(client, model=model, messages=history, tools=[WEATHER])
    results["n2"] = answered(client.chat.completions.create(model=model, messages=ask, n=2))
    results["n2_stream"] = streamed(client, model=model, messages=ask, n=2)
    results["reasoning_stream"] = streamed(client, model=model, messages=ask, extra_body={"tollgate_sim": {"reasoning_tokens": 12}})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--model", default="gpt-4.1")
    args = parser.parse_args()
    client = openai.OpenAI(base_url=args.base_url, api_key=args.key, max_retries=0, timeout=30)
    try:
        print(json.dumps(run(client, args.model)))
        return 0
    except Exception as error:  # the Swift test shows what went wrong
        print(json.dumps({"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}))
        return 1


if __name__ == "__main__":
    sys.exit(main())

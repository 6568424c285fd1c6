#!/usr/bin/env python3
"""Modern OpenAI SDK flows through the gateway (only `base_url` and `api_key` changed), one per
`--flow`, each printing one JSON line of what the SDK saw:

  agent      a tool-calling agent loop: call -> tool result -> answer (developer role, tools)
  stream     client.chat.completions.stream(...) helpers: the final completion's tool call
  n2         n=2: both choices
  image      a user message with text and image_url parts

Exit status 2 means the SDK raised an API error; its status goes to stdout as {"error": ...}.
"""
import argparse
import json
import sys

try:
    import openai  # pip install openai
except ImportError:
    print("the openai package is not installed: pip install openai", file=sys.stderr)
    sys.exit(4)

TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "description": "Current weather for a city",
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}}]


def agent(client, model):
    messages = [{"role": "developer", "content": "Answer with the tool's result."},
                {"role": "user", "content": "What's the weather in Paris?"}]
    first = client.chat.completions.create(model=model, messages=messages, tools=TOOLS)
    call = first.choices[0].message.tool_calls[0]
    messages.append(first.choices[0].message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps({"temperature_c": 21})})
    second = client.chat.completions.create(model=model, messages=messages, tools=TOOLS)
    return {"first_finish": first.choices[0].finish_reason, "tool": call.function.name,
            "arguments": json.loads(call.function.arguments), "answer": second.choices[0].message.content,
            "receipt": (second.model_extra or {}).get("tollgate")}


def stream(client, model):
    with client.chat.completions.stream(model=model, tools=TOOLS,
                                        messages=[{"role": "user", "content": "Weather in Paris and Tokyo?"}]) as events:
        kinds = sorted({event.type for event in events})
        final = events.get_final_completion()
    calls = final.choices[0].message.tool_calls or []
    return {"events": kinds, "tools": [call.function.name for call in calls],
            "arguments": [json.loads(call.function.arguments) for call in calls], "finish_reason": final.choices[0].finish_reason}


def two(client, model):
    completion = client.chat.completions.create(model=model, n=2, messages=[{"role": "user", "content": "Say hi."}])
    return {"choices": [choice.message.content for choice in completion.choices]}


def image(client, model):
    completion = client.chat.completions.create(model=model, messages=[{"role": "user", "content": [
        {"type": "text", "text": "What is in this image?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "detail": "low"}}]}])
    return {"answer": completion.choices[0].message.content}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--model", default="gpt-4.1")
    parser.add_argument("--flow", required=True, choices=["agent", "stream", "n2", "image"])
    args = parser.parse_args()
    client = openai.OpenAI(base_url=args.base_url, api_key=args.key, max_retries=0, timeout=30)
    flows = {"agent": agent, "stream": stream, "n2": two, "image": image}
    try:
        print(json.dumps(flows[args.flow](client, args.model)))
        return 0
    except openai.APIStatusError as error:
        print(json.dumps({"error": {"status": error.status_code, "body": error.body}}))
        return 2


if __name__ == "__main__":
    sys.exit(main())

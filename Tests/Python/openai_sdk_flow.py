#!/usr/bin/env python3
"""Stream one chat completion through the gateway with the official OpenAI Python SDK, changing only
`base_url` and `api_key`, and print one JSON line: {"text", "chunks", "finish_reason", "usage", "tollgate"}.

Exit status 2 means the SDK raised an API error; its status and body go to stdout as {"error": ...}.
"""
import argparse
import json
import sys

try:
    import openai  # pip install openai
except ImportError:
    print("the openai package is not installed: pip install openai", file=sys.stderr)
    sys.exit(4)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--model", default="gpt-4.1")
    parser.add_argument("--prompt", default="Explain WebSocket streaming in two sentences.")
    parser.add_argument("--no-stream", action="store_true")
    args = parser.parse_args()

    client = openai.OpenAI(base_url=args.base_url, api_key=args.key, max_retries=0, timeout=30)
    messages = [{"role": "user", "content": args.prompt}]
    try:
        if args.no_stream:
            completion = client.chat.completions.create(model=args.model, messages=messages)
            extra = completion.model_extra or {}
            print(json.dumps({"text": completion.choices[0].message.content, "chunks": 0,
                              "finish_reason": completion.choices[0].finish_reason,
                              "usage": completion.usage.model_dump() if completion.usage else None,
                              "tollgate": extra.get("tollgate")}))
            return 0
        stream = client.chat.completions.create(model=args.model, messages=messages, stream=True,
                                                stream_options={"include_usage": True})
        text, chunks, finish, usage, receipt = [], 0, None, None, None
        for chunk in stream:
            chunks += 1
            if chunk.choices:
                if chunk.choices[0].delta.content:
                    text.append(chunk.choices[0].delta.content)
                finish = chunk.choices[0].finish_reason or finish
            if chunk.usage:
                usage = chunk.usage.model_dump()
                receipt = (chunk.model_extra or {}).get("tollgate")
        print(json.dumps({"text": "".join(text), "chunks": chunks, "finish_reason": finish, "usage": usage, "tollgate": receipt}))
        return 0
    except openai.APIStatusError as error:
        print(json.dumps({"error": {"status": error.status_code, "body": error.body}}))
        return 2


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Send one chat completion through the gateway with the official OpenAI Python SDK and print one
JSON line saying how it went: {"ok", "text", "error_class", "status", "retry_after",
"request_id", "elapsed"}. Used to check that an upstream's refusal reaches the SDK as the error it
would raise against OpenAI itself (RateLimitError, BadRequestError, ...), and that its own retry
honours the upstream's Retry-After.
"""
import argparse
import json
import sys
import time

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
    parser.add_argument("--max-retries", type=int, default=0)
    parser.add_argument("--no-stream", action="store_true")
    args = parser.parse_args()

    client = openai.OpenAI(base_url=args.base_url, api_key=args.key, max_retries=args.max_retries, timeout=30)
    messages = [{"role": "user", "content": "Say hello."}]
    started = time.monotonic()
    try:
        if args.no_stream:
            completion = client.chat.completions.create(model=args.model, messages=messages)
            text = completion.choices[0].message.content
        else:
            parts = []
            for chunk in client.chat.completions.create(model=args.model, messages=messages, stream=True):
                if chunk.choices and chunk.choices[0].delta.content:
                    parts.append(chunk.choices[0].delta.content)
            text = "".join(parts)
        print(json.dumps({"ok": True, "text": text, "elapsed": time.monotonic() - started}))
    except openai.APIStatusError as error:
        print(json.dumps({
            "ok": False, "error_class": type(error).__name__, "status": error.status_code,
            "retry_after": error.response.headers.get("retry-after"),
            "request_id": error.response.headers.get("x-tollgate-request-id"),
            "elapsed": time.monotonic() - started,
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

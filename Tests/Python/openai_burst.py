#!/usr/bin/env python3
"""Fire N concurrent streamed chat completions through the gateway with the official OpenAI Python
SDK (AsyncOpenAI, its default retries), and print one JSON line:
{"completed", "finish_reasons", "errors": {"<status>": count}, "seconds"}.

Exit status 0 when every stream completed, 2 when any raised an API error.
"""
import argparse
import asyncio
import json
import sys
import time

try:
    import openai  # pip install openai
except ImportError:
    print("the openai package is not installed: pip install openai", file=sys.stderr)
    sys.exit(4)


async def one(client, model, max_tokens):
    try:
        stream = await client.chat.completions.create(
            model=model, max_tokens=max_tokens, stream=True,
            messages=[{"role": "user", "content": "Explain WebSocket streaming in two sentences."}])
        finish = None
        async for chunk in stream:
            if chunk.choices:
                finish = chunk.choices[0].finish_reason or finish
        return ("ok", finish)
    except openai.APIStatusError as error:
        return ("error", str(error.status_code))
    except openai.APIError as error:
        return ("error", type(error).__name__)


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--model", default="gpt-4.1")
    parser.add_argument("--streams", type=int, default=300)
    parser.add_argument("--max-tokens", type=int, default=1000)
    args = parser.parse_args()

    # Default retries (2, honouring Retry-After): what a user of the SDK gets without configuring it.
    client = openai.AsyncOpenAI(base_url=args.base_url, api_key=args.key, timeout=60)
    started = time.monotonic()
    results = await asyncio.gather(*(one(client, args.model, args.max_tokens) for _ in range(args.streams)))
    seconds = time.monotonic() - started
    errors, finishes = {}, {}
    for kind, value in results:
        if kind == "ok":
            finishes[str(value)] = finishes.get(str(value), 0) + 1
        else:
            errors[value] = errors.get(value, 0) + 1
    completed = sum(finishes.values())
    print(json.dumps({"completed": completed, "finish_reasons": finishes, "errors": errors, "seconds": round(seconds, 3)}))
    return 0 if completed == args.streams else 2


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

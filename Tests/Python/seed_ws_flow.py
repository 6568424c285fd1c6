#!/usr/bin/env python3
"""Drive the relay's WebSocket protocol the way the relay guide's Python client does.

Connects with `Authorization: Bearer KEY` and `X-HolySheep-Model`, sends either `session.start`
followed by `chat.message`, or a single `chat.completion`, collects `content_delta` text until
`message_done`, and prints one JSON line: {"shape", "events", "text", "usage", "done", "error"}
("done" is the whole `message_done` frame, "error" the whole `error` frame, when one arrived).
Exit status 2 means the relay sent an `error` frame; 3 means the stream ended early.
"""
import argparse
import json
import sys

try:
    import websocket  # pip install websocket-client
except ImportError:
    print("websocket-client is not installed: pip install websocket-client", file=sys.stderr)
    sys.exit(4)


def frames_for(shape, model, key, prompt, max_tokens=2048):
    if shape == "session":
        return [
            {"type": "session.start", "model": model, "auth": {"api_key": key},
             "config": {"temperature": 0.7, "max_tokens": max_tokens, "stream": True}},
            {"type": "chat.message", "content": prompt, "role": "user"},
        ]
    return [{
        "type": "chat.completion", "model": model, "stream": True,
        "messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": prompt}],
        "config": {"temperature": 0.7, "max_tokens": max_tokens, "top_p": 1.0, "frequency_penalty": 0, "presence_penalty": 0},
    }]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", default="sk-seed-flow")
    parser.add_argument("--model", default="gpt-4.1")
    parser.add_argument("--shape", choices=["session", "completion"], default="session")
    parser.add_argument("--prompt", default="Explain WebSocket streaming in two sentences.")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--frames", help="send these frames (a JSON list) instead of the shape's")
    parser.add_argument("--max-tokens", type=int, default=2048)
    parser.add_argument("--no-header-key", action="store_true",
                        help="send the key only in session.start's auth.api_key, not as Authorization")
    args = parser.parse_args()

    ws = websocket.create_connection(
        args.url, timeout=args.timeout,
        header=([] if args.no_header_key else [f"Authorization: Bearer {args.key}"]) + [f"X-HolySheep-Model: {args.model}"],
    )
    events, text, usage, status = [], [], None, 3
    done, error = None, None
    try:
        frames = json.loads(args.frames) if args.frames else frames_for(args.shape, args.model, args.key, args.prompt, args.max_tokens)
        for frame in frames:
            ws.send(json.dumps(frame))
        while True:
            try:
                raw = ws.recv()
            except websocket.WebSocketConnectionClosedException:
                break
            if not raw:
                break
            message = json.loads(raw)
            kind = message.get("type")
            events.append(kind)
            if kind == "content_delta":
                text.append(message.get("delta", {}).get("content", ""))
            elif kind == "message_done":
                usage = message.get("usage")
                done = message
                status = 0
                break
            elif kind == "error":
                print(f"error frame: {message.get('message')}", file=sys.stderr)
                error = message
                status = 2
                break
    finally:
        ws.close()
    print(json.dumps({"shape": args.shape, "events": events, "text": "".join(text), "usage": usage,
                      "done": done, "error": error}))
    return status


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Hold a relay WebSocket session open across a gateway shutdown and report how it ended.

With --turn, sends session.start then one chat.message and reads the streamed turn; with --idle,
sends only session.start and waits. Reads every frame until the server closes the connection and
prints one JSON line: {"events": [types...], "done": message_done or null, "errors": [error frames],
"close_code": int or null, "close_reason": str}. Exit status 0 once the server closed the connection
(however the session ended), 3 if it never did within --timeout.
"""
import argparse
import json
import struct
import sys

try:
    import websocket  # pip install websocket-client
except ImportError:
    print("websocket-client is not installed: pip install websocket-client", file=sys.stderr)
    sys.exit(4)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--model", default="gpt-4.1")
    parser.add_argument("--idle", action="store_true", help="start a session but send no chat.message")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--ready-file", help="create this file once session_established arrived")
    args = parser.parse_args()

    ws = websocket.create_connection(args.url, timeout=args.timeout, header=[f"Authorization: Bearer {args.key}"])
    ws.send(json.dumps({"type": "session.start", "model": args.model, "auth": {"api_key": args.key}}))
    if not args.idle:
        ws.send(json.dumps({"type": "chat.message", "role": "user", "content": "Explain WebSocket streaming."}))
    events, errors, done, close_code, close_reason, status = [], [], None, None, "", 3
    try:
        while True:
            frame = ws.recv_data_frame(True)[1]
            if frame.opcode == websocket.ABNF.OPCODE_CLOSE:
                if len(frame.data) >= 2:
                    close_code = struct.unpack("!H", frame.data[:2])[0]
                    close_reason = frame.data[2:].decode("utf-8", "replace")
                status = 0
                break
            if frame.opcode != websocket.ABNF.OPCODE_TEXT:
                continue
            message = json.loads(frame.data.decode("utf-8"))
            events.append(message.get("type"))
            if message.get("type") == "session_established" and args.ready_file:
                open(args.ready_file, "w").close()
            if message.get("type") == "message_done":
                done = message
            elif message.get("type") == "error":
                errors.append(message)
    except websocket.WebSocketConnectionClosedException:
        status = 0
    except websocket.WebSocketTimeoutException:
        status = 3
    finally:
        try:
            ws.close()
        except Exception:
            pass
    print(json.dumps({"events": events, "done": done, "errors": errors, "close_code": close_code,
                      "close_reason": close_reason}), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())

"""The official Anthropic Python SDK (pip `anthropic`) against Tollgate's /v1/messages.

Runs one scenario and prints one JSON object with what the SDK saw; the Swift test asserts on it.
"""
import argparse
import json
import sys
import time

import anthropic

MODEL = "claude-sonnet-4.5"
TOOLS = [{
    "name": "search",
    "description": "Search the team's notes.",
    "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
}]


def extra(message):
    return getattr(message, "model_extra", None) or {}


def usage_dict(usage):
    return usage.model_dump() if usage is not None else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--max-retries", type=int, default=0)
    parser.add_argument("--replay", help="a recorded fixture the simulator replays (tollgate_sim.replay)")
    args = parser.parse_args()
    client = anthropic.Anthropic(base_url=args.base_url, api_key=args.key, max_retries=args.max_retries)
    messages = [{"role": "user", "content": "Explain metering proxies in one line."}]
    out = {"ok": True}
    started = time.monotonic()
    try:
        if args.scenario == "create":
            message = client.messages.create(model=MODEL, max_tokens=40, messages=messages)
            out.update(text="".join(b.text for b in message.content if b.type == "text"), stop_reason=message.stop_reason,
                       usage=usage_dict(message.usage), receipt=extra(message).get("tollgate"), id=message.id)
        elif args.scenario == "create_stream":
            events, text, receipt = [], "", None
            for event in client.messages.create(model=MODEL, max_tokens=40, messages=messages, stream=True):
                events.append(event.type)
                if event.type == "content_block_delta" and event.delta.type == "text_delta":
                    text += event.delta.text
                if event.type == "message_delta":
                    receipt = extra(event).get("tollgate")
                    out["output_tokens"] = event.usage.output_tokens
            out.update(events=events, text=text, receipt=receipt)
        elif args.scenario == "stream_helper":
            with client.messages.stream(model=MODEL, max_tokens=40, messages=messages) as stream:
                text = "".join(stream.text_stream)
                final = stream.get_final_message()
            out.update(text=text, final_text="".join(b.text for b in final.content if b.type == "text"),
                       stop_reason=final.stop_reason, usage=usage_dict(final.usage))
        elif args.scenario == "thinking":
            with client.messages.stream(model=MODEL, max_tokens=64, messages=messages,
                                        thinking={"type": "enabled", "budget_tokens": 1024}) as stream:
                final = stream.get_final_message()
            out.update(blocks=[b.type for b in final.content],
                       thinking="".join(b.thinking for b in final.content if b.type == "thinking"),
                       usage=usage_dict(final.usage))
        elif args.scenario == "tool_roundtrip":
            first = client.messages.create(model=MODEL, max_tokens=64, messages=messages, tools=TOOLS)
            call = next(b for b in first.content if b.type == "tool_use")
            history = messages + [
                {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "metering proxies relay bytes"}]},
            ]
            with client.messages.stream(model=MODEL, max_tokens=64, messages=history, tools=TOOLS) as stream:
                second = stream.get_final_message()
            out.update(first_stop=first.stop_reason, tool_name=call.name, tool_input=call.input,
                       second_stop=second.stop_reason, second_blocks=[b.type for b in second.content])
        elif args.scenario == "cache":
            message = client.messages.create(
                model=MODEL, max_tokens=40,
                system=[{"type": "text", "text": "You are terse.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
                messages=messages, extra_body={"tollgate_sim": {"cache_read": 5, "cache_write_5m": 7, "cache_write_1h": 11}},
            )
            out.update(usage=usage_dict(message.usage), receipt=extra(message).get("tollgate"))
        elif args.scenario == "count_tokens":
            count = client.messages.count_tokens(model=MODEL, messages=messages)
            out.update(input_tokens=count.input_tokens, extra=extra(count))
        elif args.scenario in ("rate_limit", "rate_limit_stream"):
            body = {"tollgate_sim": {"status": 429, "retry_after": 2}}
            if args.scenario == "rate_limit":
                client.messages.create(model=MODEL, max_tokens=40, messages=messages, extra_body=body)
            else:
                with client.messages.stream(model=MODEL, max_tokens=40, messages=messages, extra_body=body) as stream:
                    stream.get_final_message()
        elif args.scenario == "replay_stream":
            with client.messages.stream(model=MODEL, max_tokens=1024, messages=messages, tools=TOOLS,
                                        extra_body={"tollgate_sim": {"replay": args.replay}}) as stream:
                final = stream.get_final_message()
            out.update(blocks=[b.type for b in final.content], stop_reason=final.stop_reason,
                       text="".join(b.text for b in final.content if b.type == "text"),
                       tool_inputs=[b.input for b in final.content if b.type == "tool_use"],
                       tool_names=[b.name for b in final.content if b.type == "tool_use"],
                       usage=usage_dict(final.usage), receipt=extra(final).get("tollgate"))
        elif args.scenario == "budget_stream":
            with client.messages.stream(model=MODEL, max_tokens=4000, messages=messages) as stream:
                stream.get_final_message()
        else:
            client.messages.create(model=MODEL, max_tokens=40, messages=messages)
    except anthropic.APIStatusError as error:
        out.update(ok=False, error_class=type(error).__name__, status=error.status_code,
                   retry_after=error.response.headers.get("retry-after"), request_id=error.response.headers.get("request-id"),
                   body=error.body)
    except anthropic.APIError as error:
        out.update(ok=False, error_class=type(error).__name__, message=str(error), body=getattr(error, "body", None))
    out["elapsed"] = time.monotonic() - started
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""LangChain's ChatOpenAI (langchain-openai, which drives the official OpenAI SDK) through the
gateway: a plain call, a streamed call with usage, a bind_tools tool call (its result sent back as
a ToolMessage, then the answer), and the same tool call streamed. Prints one JSON object with what
LangChain decoded; on a failure prints {"error": ...} and exits 1; exit 4 without langchain-openai.
"""
import argparse
import json
import sys
import traceback

try:
    from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
    from langchain_core.tools import tool
    from langchain_openai import ChatOpenAI  # pip install langchain-openai
except ImportError:
    print("langchain-openai is not installed: pip install langchain-openai", file=sys.stderr)
    sys.exit(4)


@tool
def get_weather(city: str, units: str) -> str:
    """Current weather in a city, in units 'c' or 'f'."""
    return f"18 {units}, sunny in {city}"


def usage(message):
    return dict(message.usage_metadata) if getattr(message, "usage_metadata", None) else None


def run(base_url, key, model):
    llm = ChatOpenAI(model=model, base_url=base_url, api_key=key, max_retries=0, timeout=30)
    ask = [SystemMessage("Answer briefly."), HumanMessage("What is the weather in Paris?")]
    results = {}
    answer = llm.invoke(ask)
    results["invoke"] = {"content": answer.content, "usage": usage(answer), "id": answer.id}

    streamed = None
    chunks = 0
    for chunk in ChatOpenAI(model=model, base_url=base_url, api_key=key, max_retries=0, timeout=30, stream_usage=True).stream(ask):
        chunks += 1
        streamed = chunk if streamed is None else streamed + chunk
    results["stream"] = {"content": streamed.content, "usage": usage(streamed), "chunks": chunks}

    tooled = llm.bind_tools([get_weather])
    call = tooled.invoke(ask)
    results["tool_call"] = {"tool_calls": call.tool_calls, "usage": usage(call)}
    history = ask + [call] + [ToolMessage(get_weather.invoke(c["args"]), tool_call_id=c["id"]) for c in call.tool_calls]
    final = tooled.invoke(history)
    results["tool_answer"] = {"content": final.content, "tool_calls": final.tool_calls}

    gathered = None
    for chunk in tooled.stream(ask):
        gathered = chunk if gathered is None else gathered + chunk
    results["tool_call_stream"] = {"tool_calls": gathered.tool_calls}
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--model", default="gpt-4.1")
    args = parser.parse_args()
    try:
        print(json.dumps(run(args.base_url, args.key, args.model), default=str))
        return 0
    except Exception as error:  # the Swift test shows what went wrong
        print(json.dumps({"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}))
        return 1


if __name__ == "__main__":
    sys.exit(main())

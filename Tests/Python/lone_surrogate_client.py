"""Sends a Chat Completions body holding an escaped lone surrogate, as Python writes one.

`json.dumps` (ensure_ascii, the default, which `requests`' `json=` uses too) escapes a `str` holding
a lone surrogate as `\\ud800`: valid JSON that OpenAI-compatible upstreams accept. (The OpenAI SDK
itself cannot send such a string: httpx encodes its JSON as UTF-8 and raises UnicodeEncodeError.)
Prints {"status", "body", "sent"} as JSON.
"""
import argparse
import json
import urllib.error
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--base-url", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--model", default="gpt-4.1")
parser.add_argument("--stream", action="store_true")
args = parser.parse_args()

body = {"model": args.model, "messages": [{"role": "user", "content": "a broken \ud800 half, then \udc00 the other"}]}
if args.stream:
    body["stream"] = True
    body["stream_options"] = {"include_usage": True}
data = json.dumps(body).encode("ascii")
assert b"\\ud800" in data and b"\\udc00" in data
request = urllib.request.Request(
    args.base_url + "/chat/completions", data=data,
    headers={"Authorization": "Bearer " + args.key, "Content-Type": "application/json"},
)
try:
    with urllib.request.urlopen(request, timeout=60) as response:
        status, text = response.status, response.read().decode("utf-8")
except urllib.error.HTTPError as error:
    status, text = error.code, error.read().decode("utf-8")
print(json.dumps({"status": status, "body": text, "sent": data.decode("ascii")}))

#!/usr/bin/env python3
"""Where the gateway's added time to first token goes: one keep-alive client, one request at a time.

Times, against a running `tollgate serve` and the relay simulator it relays to: a bare HTTP round
trip (/healthz), a request refused after authentication and body decoding but before admission
(unknown model), and a streamed request's time to its first content delta, through the gateway and
directly against the simulator. The first 20 of each are dropped as warm-up.

    tollgate relay-sim --port 0 --output-tokens 16            # note its port: SIM
    TOLLGATE_DB=/tmp/t.sqlite tollgate serve --port 0 --upstream http://127.0.0.1:SIM/v1/chat/completions
    python3 Benchmarks/gateway/ttft_breakdown.py --gateway-port GW --simulator-port SIM --key <demo key>
"""
import argparse
import http.client
import json
import time


def timed(port, method, path, body=None, key=None, stream=False, count=300):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    samples = []
    for _ in range(count):
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = "Bearer " + key
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        if stream:
            while True:
                line = response.readline()
                if not line or (b'"content"' in line and b'"content":""' not in line):
                    break
            samples.append(time.perf_counter() - started)
            response.read()
        else:
            response.read()
            samples.append(time.perf_counter() - started)
    samples = sorted(samples[20:])
    return samples[len(samples) // 2] * 1e6, samples[int(len(samples) * 0.99)] * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway-port", type=int, required=True)
    parser.add_argument("--simulator-port", type=int, required=True)
    parser.add_argument("--key", required=True, help="a team key of the gateway's ledger")
    args = parser.parse_args()

    def request(model):
        return json.dumps({"model": model, "stream": True, "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}]})

    rows = [
        ("GET /healthz through the gateway (HTTP only)", timed(args.gateway_port, "GET", "/healthz")),
        ("unknown model (auth + body decode, no admission)",
         timed(args.gateway_port, "POST", "/v1/chat/completions", request("no-such-model"), key=args.key)),
        ("streamed TTFT through the gateway",
         timed(args.gateway_port, "POST", "/v1/chat/completions", request("gpt-4.1"), key=args.key, stream=True)),
        ("streamed TTFT directly against the simulator",
         timed(args.simulator_port, "POST", "/v1/chat/completions", request("gpt-4.1"), key="sim", stream=True)),
    ]
    print("| request, one at a time, keep-alive | p50 | p99 |")
    print("|---|---:|---:|")
    for name, (p50, p99) in rows:
        print(f"| {name} | {p50:,.0f} µs | {p99:,.0f} µs |")


if __name__ == "__main__":
    main()

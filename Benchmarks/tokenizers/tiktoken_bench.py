#!/usr/bin/env python3
"""Times the reference tokenizers on a corpus file, single-threaded, and prints one JSON object.

tiktoken 0.14: `get_encoding(name).encode(text, disallowed_special=())`, with the vocabulary served
offline from --tokenizer-dir through TIKTOKEN_CACHE_DIR (files named by sha1 of their official URL,
so tiktoken still verifies its pinned SHA-256). Optionally (--hf) Hugging Face tokenizers on
DeepSeek-V3's tokenizer.json with `encode(text, add_special_tokens=False)`.

Usage: tiktoken_bench.py --corpus FILE --tokenizer-dir DIR [--encoding o200k_base] [--hf] [--runs 3]
"""
import argparse, hashlib, json, os, shutil, sys, tempfile, time

URLS = {
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}


def best_of(runs, function):
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--tokenizer-dir", required=True)
    parser.add_argument("--encoding", action="append")
    parser.add_argument("--hf", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    with open(args.corpus, "rb") as handle:
        raw = handle.read()
    text = raw.decode("utf-8")
    megabytes = len(raw) / 1e6
    report = {"corpus_bytes": len(raw)}

    cache = tempfile.mkdtemp(prefix="tiktoken-cache-")
    try:
        for name, url in URLS.items():
            shutil.copyfile(os.path.join(args.tokenizer_dir, name + ".tiktoken"),
                            os.path.join(cache, hashlib.sha1(url.encode()).hexdigest()))
        os.environ["TIKTOKEN_CACHE_DIR"] = cache
        import tiktoken
        report["tiktoken_version"] = tiktoken.__version__
        for name in args.encoding or ["o200k_base"]:
            load_seconds, encoding = best_of(1, lambda: tiktoken.get_encoding(name))
            seconds, tokens = best_of(args.runs, lambda: encoding.encode(text, disallowed_special=()))
            report[name] = {"seconds": seconds, "mb_per_s": megabytes / seconds, "tokens": len(tokens),
                            "load_seconds": load_seconds}
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    if args.hf:
        import tokenizers
        path = os.path.join(args.tokenizer_dir, "deepseek-v3", "tokenizer.json")
        load_seconds, hf = best_of(1, lambda: tokenizers.Tokenizer.from_file(path))
        seconds, encoded = best_of(args.runs, lambda: hf.encode(text, add_special_tokens=False))
        report["deepseek-v3"] = {"seconds": seconds, "mb_per_s": megabytes / seconds, "tokens": len(encoded.ids),
                                 "load_seconds": load_seconds, "tokenizers_version": tokenizers.__version__}
    json.dump(report, sys.stdout)
    print()


if __name__ == "__main__":
    main()

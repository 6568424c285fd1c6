#!/usr/bin/env bash
# Measures what kill -9 loses: a `tollgate chat` streams from a paced relay simulator, is killed with
# SIGKILL after a random 0.5-2 s, its hold is reclaimed after the lease lapses, and the tokens billed
# are compared with the tokens it had printed. Usage (from the repo root, after a release build):
#   Benchmarks/metering/kill9_loss.sh [TRIALS] [TOKENS_PER_SECOND]
set -euo pipefail
trials=${1:-10}
rate=${2:-200}
bin=.build/release/tollgate
export TOLLGATE_TOKENIZER_DIR=${TOLLGATE_TOKENIZER_DIR:-../shared/tokenizers}
work=$(mktemp -d)
trap 'kill $sim 2>/dev/null || true; rm -rf "$work"' EXIT
export TOLLGATE_DB=$work/ledger.sqlite
port=$((20000 + RANDOM % 20000))
$bin relay-sim --port $port --tokens-per-second "$rate" --output-tokens 100000 --no-usage >"$work/sim.log" 2>&1 &
sim=$!
sleep 1
$bin team create bench --budget 1000 --currency CNY --period monthly >/dev/null
echo "| trial | killed after | tokens printed | tokens billed | lost |"
echo "|---:|---:|---:|---:|---:|"
for trial in $(seq 1 "$trials"); do
  out=$work/out-$trial.txt
  $bin chat --team bench --model gpt-4.1 --lease-seconds 1 --upstream "ws://127.0.0.1:$port/v1/ws/stream" "trial $trial" >"$out" 2>/dev/null &
  pid=$!
  wait_ms=$((500 + RANDOM % 1500))
  sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
  kill -9 $pid
  wait $pid 2>/dev/null || true
  sleep 1.2
  $bin ledger reclaim >/dev/null
  printed=$($bin tokens count --model gpt-4.1 --file "$out")
  billed=$(sqlite3 "$TOLLGATE_DB" "SELECT output_tokens FROM ledger_entries ORDER BY id DESC LIMIT 1")
  echo "| $trial | ${wait_ms} ms | $printed | $billed | $((printed - billed)) |"
done

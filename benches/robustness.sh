#!/usr/bin/env bash
# How often microlp fails on generated LPs: for each size, SEEDS seeds (1..SEEDS) of
# `generate --lp` are solved with `solve --no-asks`, and the seeds whose solve fails (any
# exit code but 0) are listed. The README's robustness figures come from this script, run
# once with the binary before microlp 0.7 was added as a retry and once after.
# Usage: benches/robustness.sh [SEEDS]   (default 20; builds --release first)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-20}
# FORCEGEN names a prebuilt binary instead.
[ -n "${FORCEGEN:-}" ] || cargo build --release -q
F=${FORCEGEN:-./target/release/forcegen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for size in "30 10 60" "40 10 80" "70 10 150" "100 10 200"; do
  set -- $size
  failed=""
  ok=0
  start=$(date +%s.%N)
  for seed in $(seq 1 "$seeds"); do
    dir="$tmp/$1-$2-$3-$seed"
    "$F" generate --members "$1" --offers-per-member "$2" --requirements "$3" --seed "$seed" \
      --lp --out "$dir" -q
    if "$F" solve "$dir/scenario.toml" --solver microlp --no-asks -q > /dev/null 2>&1; then
      ok=$((ok + 1))
    else
      failed="$failed $seed"
    fi
  done
  printf '%sx%sx%s: %d of %d solved, %6.1f s; failed seeds:%s\n' "$1" "$2" "$3" "$ok" "$seeds" \
    "$(echo "$(date +%s.%N) - $start" | bc -l)" "${failed:- none}"
done

#!/usr/bin/env bash
# Side-by-side timings of the analysis commands on the flagship, in one run:
#   - the shipped 200-variant sweep in process, --jobs 1 and --jobs 2;
#   - the same variants as separate processes (one `forcegen sweep --shard I/200 --jobs 1`
#     per shard: every variant solved exactly once, each process loading the scenario);
#   - `stress --k 2` (every pair of members withdrawn).
# Usage: benches/sweep_speed.sh   (builds --release first; prints the ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
# FORCEGEN names a prebuilt binary instead.
[ -n "${FORCEGEN:-}" ] || cargo build --release -q
F=${FORCEGEN:-./target/release/forcegen}
SWEEP=scenarios/paris-2026/sweep.toml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

t0=$(now); "$F" sweep "$SWEEP" --jobs 1 -q --out "$tmp/j1.csv" || true; t1=$(now)
"$F" sweep "$SWEEP" --jobs 2 -q --out "$tmp/j2.csv" || true; t2=$(now)
cmp -s "$tmp/j1.csv" "$tmp/j2.csv" && same=yes || same=NO
for i in $(seq 1 200); do
  "$F" sweep "$SWEEP" --shard "$i/200" --jobs 1 -q --out "$tmp/p$i.csv" || true
done
t3=$(now)
"$F" merge "$tmp"/p*.csv --out "$tmp/p.csv" -q
cmp -s "$tmp/j1.csv" "$tmp/p.csv" && same_p=yes || same_p=NO
t4=$(now); "$F" stress scenarios/paris-2026/scenario.toml --k 2 --format csv > /dev/null; t5=$(now)

j1=$(secs "$t0" "$t1"); j2=$(secs "$t1" "$t2"); p=$(secs "$t2" "$t3"); s=$(secs "$t4" "$t5")
printf 'sweep, 200 variants, --jobs 1:        %6.1f s\n' "$j1"
printf 'sweep, 200 variants, --jobs 2:        %6.1f s   (rows identical to --jobs 1: %s)\n' "$j2" "$same"
printf '200 separate processes:               %6.1f s   (rows identical after merge: %s)\n' "$p" "$same_p"
printf 'stress --k 2 (528 withdrawals):       %6.1f s\n' "$s"
printf 'ratio --jobs 1 / --jobs 2:            %6.2f\n' "$(echo "$j1 / $j2" | bc -l)"
printf 'ratio processes / in-process --jobs 2: %5.2f\n' "$(echo "$p / $j2" | bc -l)"

#!/usr/bin/env bash
# The whole-unit figures, side by side in one run (release, the default build, HiGHS):
#   1. `solve` of the flagship without the asks, end to end, against the same model built
#      in PuLP and solved by HiGHS (benches/pulp_peer.py, written from the spec), RUNS
#      runs each, interleaved: medians and their ratio;
#   2. `solve` with the asks against the same solve without them: medians and ratio;
#   3. the flagship sweep (200 variants) with --jobs 1 and --jobs 2: times and ratio, and
#      whether the rows are identical;
#   4. `stress --k 2` on the flagship (528 withdrawals): time.
# Usage: benches/whole_units.sh [1|2|3|4 ...]   (default: all; builds --release first;
# part 1 needs python3 with pulp and highspy). RUNS (default 11) sets the runs of 1 and 2.
set -euo pipefail
cd "$(dirname "$0")/.."
parts=${*:-1 2 3 4}
runs=${RUNS:-11}
# FORCEGEN names a prebuilt binary instead.
[ -n "${FORCEGEN:-}" ] || cargo build --release -q
F=${FORCEGEN:-${CARGO_TARGET_DIR:-target}/release/forcegen}
FLAGSHIP=scenarios/paris-2026/scenario.toml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
# Seconds one run of the command takes (its output discarded).
seconds() {
  local t0 t1
  t0=$(now)
  "$@" > /dev/null 2>&1 || true
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# Runs the two commands (given as two strings) alternately, `runs` times each; prints
# "median_a median_b".
pair() {
  local a=$1 b=$2 i
  : > "$tmp/a"; : > "$tmp/b"
  for i in $(seq 1 "$runs"); do
    # shellcheck disable=SC2086
    seconds $a >> "$tmp/a"
    # shellcheck disable=SC2086
    seconds $b >> "$tmp/b"
  done
  echo "$(median < "$tmp/a") $(median < "$tmp/b")"
}
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }

echo "forcegen: $("$F" --version); $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
for part in $parts; do
  case $part in
  1)
    read -r ours peer < <(pair "$F solve $FLAGSHIP --no-asks --format json" \
      "python3 benches/pulp_peer.py $FLAGSHIP --json")
    printf '1. flagship solve, no asks: forcegen %.3f s, PuLP+HiGHS %.3f s (medians of %d): PuLP / forcegen %sx\n' \
      "$ours" "$peer" "$runs" "$(ratio "$peer" "$ours")"
    ;;
  2)
    read -r with without < <(pair "$F solve $FLAGSHIP --format json" \
      "$F solve $FLAGSHIP --no-asks --format json")
    printf '2. flagship solve with the asks %.3f s, without %.3f s (medians of %d): %sx\n' \
      "$with" "$without" "$runs" "$(ratio "$with" "$without")"
    ;;
  3)
    one=$(seconds "$F" sweep scenarios/paris-2026/sweep.toml --jobs 1 -q --out "$tmp/j1.csv")
    two=$(seconds "$F" sweep scenarios/paris-2026/sweep.toml --jobs 2 -q --out "$tmp/j2.csv")
    cmp -s "$tmp/j1.csv" "$tmp/j2.csv" && same=identical || same=DIFFERENT
    printf '3. flagship sweep (200 variants): --jobs 1 %.1f s, --jobs 2 %.1f s: %sx; rows %s\n' \
      "$one" "$two" "$(ratio "$one" "$two")" "$same"
    ;;
  4)
    k2=$(seconds "$F" stress "$FLAGSHIP" --k 2 --format csv)
    printf '4. flagship stress --k 2 (528 withdrawals, %d threads): %.1f s\n' "$(nproc)" "$k2"
    ;;
  *)
    echo "unknown part $part" >&2
    exit 2
    ;;
  esac
done

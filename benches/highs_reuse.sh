#!/usr/bin/env bash
# Side-by-side timings of sweeps with HiGHS, in one run (release, default build):
#   - the kept model per thread (default) against `--cold` (every stage built from scratch),
#     on the shipped flagship sweep (whole units) and on its LP relaxation with
#     multinationality switched off (`min_members` = 1 everywhere, `--relax`): pure LPs;
#   - --jobs 1 against --jobs 2 on the flagship sweep, and microlp on the relaxation.
# Usage: benches/highs_reuse.sh   (builds first; prints times and ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
# FORCEGEN names a prebuilt binary instead.
[ -n "${FORCEGEN:-}" ] || cargo build --release -q
F=${FORCEGEN:-${CARGO_TARGET_DIR:-target}/release/forcegen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The LP twin of the flagship: min_members set to 1 in requirements.csv.
cp -r scenarios/paris-2026 "$tmp/lp"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "min_members") c = i }
  NR > 1 && c && $c != "" { $c = 1 } { print }' scenarios/paris-2026/requirements.csv \
  > "$tmp/lp/requirements.csv"

now() { date +%s.%N; }
run() { # label, then the sweep arguments; prints and returns the seconds
  local t0 t1
  t0=$(now)
  "$F" sweep "${@:2}" -q --out "$tmp/out.csv" || true
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
row() { printf '%-52s %6.2f s\n' "$1" "$2"; }

flag=scenarios/paris-2026/sweep.toml
lp=$tmp/lp/sweep.toml
a=$(run x "$flag" --solver highs --jobs 1 --cold); row "flagship, HiGHS, --cold, --jobs 1" "$a"
b=$(run x "$flag" --solver highs --jobs 1); row "flagship, HiGHS, kept model, --jobs 1" "$b"
c=$(run x "$lp" --relax --solver highs --jobs 1 --cold); row "flagship without min_members (LP), --cold, --jobs 1" "$c"
d=$(run x "$lp" --relax --solver highs --jobs 1); row "flagship without min_members (LP), kept, --jobs 1" "$d"
e=$(run x "$flag" --solver highs --jobs 2); row "flagship, HiGHS, kept model, --jobs 2" "$e"
g=$(run x "$flag" --relax --solver microlp --jobs 1); row "flagship relaxation, microlp, --jobs 1" "$g"
h=$(run x "$flag" --relax --solver microlp --jobs 2); row "flagship relaxation, microlp, --jobs 2" "$h"
printf -- 'cold / kept, flagship (whole units):      %5.2fx\n' "$(echo "$a / $b" | bc -l)"
printf -- 'cold / kept, flagship without min_members: %5.2fx\n' "$(echo "$c / $d" | bc -l)"
printf -- '--jobs 1 / --jobs 2, HiGHS:                %5.2fx\n' "$(echo "$b / $e" | bc -l)"
printf -- '--jobs 1 / --jobs 2, microlp relaxation:   %5.2fx\n' "$(echo "$g / $h" | bc -l)"

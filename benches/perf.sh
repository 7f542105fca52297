#!/usr/bin/env bash
# The figures of the README's Performance section, side by side in one run:
#   1. where the time of a solve goes on the large generated scenario with HiGHS
#      (our own work: parse, validate, formulate, translation for the solver, verify, report);
#   2. build cost at doubling sizes: load, formulate and peak memory (examples/scale);
#   3. microlp against HiGHS at growing sizes (solve time, whole pipeline, pure LPs:
#      generated with --lp, and the shipped scenarios' relaxations);
#   4. a scenario with about a million eligible offer-requirement pairs, as an LP with HiGHS.
# Usage: benches/perf.sh [1|2|3|4 ...]   (default: all; builds --release first). Parts 1
# and 4 take tens of minutes: the solver dominates them.
set -euo pipefail
cd "$(dirname "$0")/.."
parts=${*:-1 2 3 4}
# FORCEGEN and SCALE name prebuilt binaries instead.
[ -n "${FORCEGEN:-}" ] || cargo build --release -q
[ -n "${SCALE:-}" ] || cargo build --release -q --example scale
F=${FORCEGEN:-./target/release/forcegen}
H=$F
S=${SCALE:-./target/release/examples/scale}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen() { # NAME MEMBERS OFFERS REQUIREMENTS [extra generate flags]
  local name=$1 m=$2 k=$3 r=$4; shift 4
  "$F" generate --members "$m" --offers-per-member "$k" --requirements "$r" --seed 1 --lp "$@" \
    --out "$tmp/$name" -q
}
# The solve's own timing lines (stderr of --timings) with a label.
timed() { # LABEL BINARY SCENARIO [flags]
  local label=$1 bin=$2 scenario=$3; shift 3
  echo "== $label"
  "$bin" solve "$scenario" --no-asks --timings --format json "$@" 2>&1 >/dev/null |
    grep -v '^warning' || true
}
solve_seconds() { # BINARY SCENARIO [flags] -> seconds of the whole solve step, or "exit N"
  local bin=$1 scenario=$2 out code=0; shift 2
  out=$("$bin" solve "$scenario" --no-asks --timings --format json "$@" 2>&1 >/dev/null) || code=$?
  if [ "$code" -ne 0 ]; then echo "exit $code"; return; fi
  echo "$out" | awk '$1 == "solve" { print $2 }'
}

for part in $parts; do
  case $part in
  1)
    gen large 1000 50 5000
    "$F" validate "$tmp/large/scenario.toml"
    timed "large 1000x50x5000, HiGHS" "$H" "$tmp/large/scenario.toml" --solver highs --time-limit 3600
    ;;
  2)
    echo "== build cost at doubling sizes (members x offers x requirements: pairs rows load_s formulate_s peak_mib)"
    prev=""
    for size in "250 20 625" "500 20 1250" "1000 20 2500" "2000 20 5000" "4000 20 10000"; do
      # shellcheck disable=SC2086
      line=$("$S" $size 5)
      if [ -n "$prev" ]; then
        echo "$prev $line" | awk '{ printf "%s  (x%.2f pairs: load x%.2f, formulate x%.2f, memory x%.2f)\n", substr($0, index($0, $9)), $12/$4, $14/$6, $15/$7, $16/$8 }'
      else
        echo "$line"
      fi
      prev=$line
    done
    ;;
  3)
    echo "== microlp against HiGHS (seconds of the solve step; scenario: pairs)"
    gen g20 20 5 20; gen g35 35 10 50; gen g70 70 10 100; gen g100 100 20 200; gen g200 200 30 500
    for s in scenarios/tutorial scenarios/paris-2026 "$tmp/g20" "$tmp/g35" "$tmp/g70" "$tmp/g100" "$tmp/g200"; do
      pairs=$("$F" validate "$s/scenario.toml" | sed 's/.*; \([0-9]*\) eligible.*/\1/')
      m=$(solve_seconds "$F" "$s/scenario.toml" --solver microlp --relax --time-limit 900)
      h=$(solve_seconds "$H" "$s/scenario.toml" --solver highs --relax --time-limit 900)
      ratio=$(echo "$m / $h" | bc -l 2>/dev/null || echo "-")
      printf '%-24s pairs %8s  microlp %9s s  highs %9s s  ratio %6.6s\n' \
        "$(basename "$s")" "$pairs" "$m" "$h" "$ratio"
    done
    ;;
  4)
    gen million 1000 50 4200 --offers-per-capability 200
    "$F" validate "$tmp/million/scenario.toml"
    /usr/bin/time -f "wall %e s, peak RSS %M KiB" \
      "$H" solve "$tmp/million/scenario.toml" --solver highs --no-asks --timings --time-limit 7200 \
      --format json 2>&1 >/dev/null | grep -v '^warning' || true
    ;;
  esac
done

#!/usr/bin/env bash
# The run store's cost, measured side by side in one run (issue 17's targets):
#   1. simulate -m compromise and -m bdm on scenarios/istanbul-2025.yaml with --no-store and with
#      a store (a fresh file, as the default store would be): wall time (best of REPEAT), the time
#      ratio, and the bytes the run added to the store per draw;
#   2. peak RSS (/usr/bin/time -v) of 10^6 compromise draws, with the store and with --no-store.
# Usage: bench/store_timings.sh [BUILD_DIR]  (default build/dev; needs the `entente` target)
# Env: COMPROMISE_DRAWS (default 100000), BDM_DRAWS (10000), BIG_DRAWS (1000000), REPEAT (3),
#      THREADS (0 = all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
cli="$build/entente"
[ -x "$cli" ] || { echo "no $cli: build the entente target first" >&2; exit 2; }
sc=scenarios/istanbul-2025.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repeat=${REPEAT:-3}
threads=${THREADS:-0}

best_wall() {  # best wall seconds of $repeat runs of "$@"
  local best=""
  for _ in $(seq "$repeat"); do
    local t
    /usr/bin/time -o "$tmp/time" -f "%e" "$@" >/dev/null 2>/dev/null
    t=$(tail -1 "$tmp/time")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
  done
  echo "$best"
}

printf "%-11s %8s %12s %12s %8s %14s\n" model draws "no-store s" "store s" ratio "bytes/draw"
for spec in "compromise ${COMPROMISE_DRAWS:-100000}" "bdm ${BDM_DRAWS:-10000}"; do
  set -- $spec
  model=$1 n=$2
  base=$(best_wall "$cli" simulate "$sc" -m "$model" -n "$n" -t "$threads" -f json --no-store)
  stored=$(best_wall env ENTENTE_STORE="$tmp/timing.sqlite" "$cli" simulate "$sc" -m "$model" -n "$n" -t "$threads" -f json)
  # Bytes per draw: one run in a fresh store, the whole file (checkpointed on close) and the
  # run's data (its blocks) over the draws.
  rm -f "$tmp/one.sqlite"*
  ENTENTE_STORE="$tmp/one.sqlite" "$cli" simulate "$sc" -m "$model" -n "$n" -t "$threads" -f json >/dev/null 2>&1
  bytes=$(( $(stat -c %s "$tmp/one.sqlite") + $(stat -c %s "$tmp/one.sqlite-wal" 2>/dev/null || echo 0) ))
  data=$(sqlite3 "$tmp/one.sqlite" "SELECT bytes FROM runs ORDER BY id DESC LIMIT 1")
  python3 -c "print('%-11s %8d %12.3f %12.3f %8.3f %7.0f (file) %5.0f (data)' % ('$model', $n, $base, $stored, $stored/$base, $bytes/$n, $data/$n))"
done

big=${BIG_DRAWS:-1000000}
echo
echo "peak RSS, simulate -m compromise -n $big:"
for mode in store no-store; do
  rm -f "$tmp/big.sqlite"*
  args=()
  [ "$mode" = no-store ] && args=(--no-store)
  ENTENTE_STORE="$tmp/big.sqlite" /usr/bin/time -o "$tmp/time" -v "$cli" simulate "$sc" -m compromise -n "$big" \
    -t "$threads" -f json "${args[@]}" >/dev/null 2>/dev/null
  out=$(cat "$tmp/time")
  rss=$(echo "$out" | awk -F': ' '/Maximum resident set size/ {print $2}')
  wall=$(echo "$out" | awk -F': ' '/Elapsed \(wall clock\)/ {print $2}')
  size=$(stat -c %s "$tmp/big.sqlite" 2>/dev/null || echo 0)
  printf "  %-9s %8.1f MB peak RSS, wall %s, store file %.1f MB\n" "$mode" "$(python3 -c "print($rss/1024)")" "$wall" \
    "$(python3 -c "print($size/1e6)")"
done

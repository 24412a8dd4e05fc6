#!/usr/bin/env bash
# The run store's cost, measured side by side in one run (issue 17's targets):
#   1. simulate -m compromise, bdm and exchange on scenarios/istanbul-2025.yaml with --no-store and
#      with a store (a fresh file; one that already holds runs measured the same): CPU and wall time (medians of
#      REPEAT), their ratios, and the bytes the run added to the store per draw;
#   2. peak RSS (/usr/bin/time -v) of 10^6 compromise draws, with the store and with --no-store.
# Usage: bench/store_timings.sh [BUILD_DIR]  (default build/dev; needs the `entente` target)
# Env: COMPROMISE_DRAWS (default 100000), BDM_DRAWS (10000), EXCHANGE_DRAWS (1000), BIG_DRAWS (1000000), REPEAT (3),
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

# Per model: median CPU (user + sys of the child) and wall of REPEAT runs with --no-store and with a
# fresh store, run alternately so that both see the same load; CPU is the fair figure on a shared
# machine (a store writer thread overlaps the draws, so wall can hide CPU it costs).
echo "load: $(uptime)"
printf "%-15s %8s %22s %22s %16s %14s\n" model draws "no-store CPU/wall s" "store CPU/wall s" "ratio CPU/wall" "bytes/draw"
# (compromise keeps its inputs and a digest by default, `--store-draws yes` every draw: both rows.)
for spec in "compromise ${COMPROMISE_DRAWS:-100000}" "compromise ${COMPROMISE_DRAWS:-100000} --store-draws yes" \
            "bdm ${BDM_DRAWS:-10000}" "exchange ${EXCHANGE_DRAWS:-1000}"; do
  set -- $spec
  model=$1 n=$2
  shift 2
  extra="$*"
  python3 - "$cli" "$sc" "$model" "$n" "$threads" "$repeat" "$tmp" "$extra" <<'PY'
import os, statistics, subprocess, sys, time
cli, sc, model, n, threads, repeat, tmp, extra = sys.argv[1:]
runs = {"no-store": [], "store": []}
for _ in range(int(repeat)):
    for mode in runs:
        db = os.path.join(tmp, "timing.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix): os.remove(db + suffix)
        args = [cli, "simulate", sc, "-m", model, "-n", n, "-t", threads, "-f", "json"] + (["--no-store"] if mode == "no-store" else extra.split())
        t = time.perf_counter()
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ENTENTE_STORE": db})
        _, status, ru = os.wait4(p.pid, 0)
        if status: sys.exit(f"failed: {' '.join(args)}")
        runs[mode].append((ru.ru_utime + ru.ru_stime, time.perf_counter() - t))
med = {m: (statistics.median(c for c, _ in r), statistics.median(w for _, w in r)) for m, r in runs.items()}
b, s = med["no-store"], med["store"]
print("%-15s %8s %10.3f / %-9.3f %10.3f / %-9.3f %7.3f / %-6.3f" % (model + ("+yes" if extra else ""), n, b[0], b[1], s[0], s[1], s[0] / b[0], s[1] / b[1]), end="")
PY
  # Bytes per draw: one run in a fresh store, the whole file (checkpointed on close) and the
  # run's data (its blocks) over the draws.
  rm -f "$tmp/one.sqlite"*
  ENTENTE_STORE="$tmp/one.sqlite" "$cli" simulate "$sc" -m "$model" -n "$n" -t "$threads" -f json $extra >/dev/null 2>&1
  bytes=$(( $(stat -c %s "$tmp/one.sqlite") + $(stat -c %s "$tmp/one.sqlite-wal" 2>/dev/null || echo 0) ))
  data=$(sqlite3 "$tmp/one.sqlite" "SELECT bytes FROM runs ORDER BY id DESC LIMIT 1")
  python3 -c "print(' %7.0f (file) %5.0f (data)' % ($bytes/$n, $data/$n))"
done
echo "load: $(uptime)"

big=${BIG_DRAWS:-1000000}
echo
echo "peak RSS, simulate -m compromise -n $big:"
for mode in store store-yes no-store; do
  rm -f "$tmp/big.sqlite"*
  args=()
  [ "$mode" = no-store ] && args=(--no-store)
  [ "$mode" = store-yes ] && args=(--store-draws yes)
  ENTENTE_STORE="$tmp/big.sqlite" /usr/bin/time -o "$tmp/time" -v "$cli" simulate "$sc" -m compromise -n "$big" \
    -t "$threads" -f json "${args[@]}" >/dev/null 2>/dev/null
  out=$(cat "$tmp/time")
  rss=$(echo "$out" | awk -F': ' '/Maximum resident set size/ {print $2}')
  wall=$(echo "$out" | awk -F': ' '/Elapsed \(wall clock\)/ {print $2}')
  size=$(stat -c %s "$tmp/big.sqlite" 2>/dev/null || echo 0)
  printf "  %-9s %8.1f MB peak RSS, wall %s, store file %.1f MB\n" "$mode" "$(python3 -c "print($rss/1024)")" "$wall" \
    "$(python3 -c "print($size/1e6)")"
done

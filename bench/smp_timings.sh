#!/usr/bin/env bash
# Times entente's `smp` on KTAB's inputs (dummyData-a040/a080/a160) and a synthetic 1000-actor,
# 2-dimension scenario, and prints the ratios against KTAB's compute times on the same 2-core
# machine (shared/specs/smp.md section 6: 2.7 s, 33 s, 697 s; KTAB refuses more than 250 actors).
# Usage: bench/smp_timings.sh [build-dir]   (default: build-bench, configured Release if absent)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
if [[ ! -x $build/bench/bench_smp ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DENTENTE_PYTHON=OFF -DENTENTE_TESTS=OFF \
    -DENTENTE_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target bench_smp >/dev/null
fi
out=$("$build/bench/bench_smp" --benchmark_filter='a040|a080|a160|synthetic' --benchmark_format=csv 2>/dev/null)
echo "$out" | awk -F, '
  BEGIN { ktab["a040"] = 2.67; ktab["a080"] = 32.6; ktab["a160"] = 697; ktab["1000"] = -1
          printf "%-28s %8s %7s %12s %12s %10s\n", "case", "actors", "turns", "wall (s)", "cpu (s)", "KTAB/wall" }
  /^"BM_/ {
    name = $1; gsub(/"/, "", name)
    unit = $5; f = (unit == "ms") ? 1e-3 : (unit == "us") ? 1e-6 : (unit == "ns") ? 1e-9 : 1
    wall = $3 * f; cpu = $4 * f
    key = name; sub(/.*\//, "", key); sub(/_.*/, "", key); if (name ~ /synthetic/) { split(name, p, "/"); key = p[2] }
    # user counters follow the standard columns: actors, turns
    actors = $(NF-1); turns = $NF
    ratio = (key in ktab && ktab[key] > 0) ? sprintf("%.0fx", ktab[key] / wall) : "n/a (KTAB: max 250)"
    printf "%-28s %8d %7d %12.4f %12.4f %10s\n", name, actors, turns, wall, cpu, ratio
  }'

#!/usr/bin/env bash
# Times entente's `smp` on KTAB's inputs (dummyData-a040/a080/a160) and a synthetic 1000-actor,
# 2-dimension scenario, and prints the ratios against KTAB's compute times on the same 2-core
# machine (shared/specs/smp.md section 6: 2.7 s, 33 s, 697 s; KTAB refuses more than 250 actors).
# Usage: bench/smp_timings.sh [build-dir]   (default: build-bench, configured Release if absent;
#        SMP_BENCH_FILTER=a080 to run a subset, the 1000-actor case takes minutes of CPU)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
if [[ ! -x $build/bench/bench_smp ]]; then
  # WERROR off: g++ 12 at -O3 reports false -Wmaybe-uninitialized warnings in other components.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DENTENTE_PYTHON=OFF -DENTENTE_TESTS=OFF \
    -DENTENTE_BENCH=ON -DENTENTE_WERROR=OFF >/dev/null
  cmake --build "$build" -j2 --target bench_smp >/dev/null
fi
out=$("$build/bench/bench_smp" --benchmark_filter="${SMP_BENCH_FILTER:-a040|a080|a160|synthetic}" --benchmark_format=csv 2>/dev/null)
echo "$out" | awk -F, '
  BEGIN { ktab["a040"] = 2.67; ktab["a080"] = 32.6; ktab["a160"] = 697; ktab["1000"] = -1
          printf "%-44s %7s %6s %10s %10s  %s\n", "case", "actors", "turns", "wall (s)", "cpu (s)", "KTAB compute / entente wall (cpu)" }
  /^"BM_/ {
    name = $1; gsub(/"/, "", name)
    unit = $5; f = (unit == "ms") ? 1e-3 : (unit == "us") ? 1e-6 : (unit == "ns") ? 1e-9 : 1
    wall = $3 * f; cpu = $4 * f
    split(name, p, "/"); key = p[2]   # BM_ktab_file/a160/iterations:3 -> a160; BM_synthetic/1000/... -> 1000
    # user counters follow the standard columns: actors, turns
    actors = $(NF-1); turns = $NF
    ratio = (key in ktab && ktab[key] > 0) ? sprintf("%.0fx (%.0fx)", ktab[key] / wall, ktab[key] / cpu) : "n/a (KTAB refuses > 250 actors)"
    printf "%-44s %7d %6d %10.4f %10.4f  %s\n", name, actors, turns, wall, cpu, ratio
  }'

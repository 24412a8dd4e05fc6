#!/usr/bin/env bash
# Times the exchange model and prints the ratios against the reference implementation's figures
# (Decide, Python: 8.4 s for 10 rounds on cop21; 22 s per round at 30 actors x 15 issues).
#   1. in-process model runs (bench/bench_exchange.cpp, Google Benchmark): wall and CPU time;
#   2. whole-process CLI runs (`entente trace cop21.csv -m exchange`), best of 10, which include
#      start-up, reading the file and writing the trace, like a timed run of Decide's CLI.
# Usage: bench/exchange_timings.sh [BUILD_DIR]   (default: build-rel, a Release build:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DENTENTE_BENCH=ON
#   cmake --build build-rel --target bench_exchange entente)
# On a shared, loaded machine the CPU column is the fairer one. The model builds and refreshes
# candidates on all cores (TBB), so on large cases wall time can be below CPU time.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-rel}
bin="$build/bench/bench_exchange"
cli="$build/entente"
[ -x "$bin" ] || { echo "no $bin: build the bench_exchange target first" >&2; exit 2; }
filter=${EXCHANGE_BENCH_FILTER:-.}
echo "== in-process (Google Benchmark; CPU = process CPU time over all threads)"
"$bin" --benchmark_filter="$filter" --benchmark_format=csv 2>/dev/null | python3 -c '
import csv, sys
ref = {"cop21_10rounds": 8.4, "30x15_1round": 22.0}
rows = [r for r in csv.reader(sys.stdin)]
head = rows[0]; i_name = head.index("name"); i_real = head.index("real_time"); i_cpu = head.index("cpu_time"); i_unit = head.index("time_unit")
scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
print("%-36s %9s %9s %12s %9s %9s" % ("benchmark", "wall s", "cpu s", "reference s", "x (wall)", "x (cpu)"))
for r in rows[1:]:
    name = r[i_name].split("/")[0].replace("BM_", "")
    wall = float(r[i_real]) * scale[r[i_unit]]; cpu = float(r[i_cpu]) * scale[r[i_unit]]
    key = next((k for k in ref if name.startswith(k)), None)
    if key:
        print(f"{name:36} {wall:9.4f} {cpu:9.4f} {ref[key]:12.1f} {ref[key]/wall:9.0f} {ref[key]/cpu:9.0f}")
    else:
        print("%-36s %9.4f %9.4f %12s %9s %9s" % (name, wall, cpu, "-", "-", "-"))
'
if [ -x "$cli" ]; then
  echo
  echo "== whole process: $cli trace tests/data/decide/cop21.csv -m exchange -f csv --no-store (best of 10)"
  python3 - "$cli" <<'PY'
import subprocess, sys, time
cli = sys.argv[1]
print("%-12s %9s %12s %9s" % ("arith", "wall s", "reference s", "x"))
def wall(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start
for arith in ("decimal28", "double"):
    cmd = [cli, "trace", "tests/data/decide/cop21.csv", "-m", "exchange", "-p", f"arith={arith}", "-f", "csv", "--no-store"]
    best = min(wall(cmd) for _ in range(10))
    print(f"{arith:12} {best:9.4f} {8.4:12.1f} {8.4 / best:9.0f}")
PY
fi

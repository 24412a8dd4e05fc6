#!/usr/bin/env bash
# Times entente's whole-process runs side by side in one run and prints a Markdown table with the
# ratios the README's speed table and issue 17 ask for: bdm at 1000/3000(/10,000) actors, offers
# and the run store at 1000 actors, start-up, simulate and sensitivity on 1 vs 2 threads, exchange
# with and without externalities per draw, exchange cop21 and smp a080/a160 against their
# reference implementations' published times.
#
# Each figure is the median of REPEAT runs (default 3; start-up: 20) of wall time and of CPU time
# (user + sys of the child). On a shared machine the wall column depends on the load (printed at
# the top and bottom); CPU time is the fairer single-thread figure. Parallel efficiency needs
# wall time on an otherwise idle machine.
# Usage: bench/speed_table.sh [BUILD_DIR]   (default build/dev; a Release build of `entente`)
#   BIG=1 also runs bdm at 10,000 actors (minutes); REPEAT=N.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
[ -x "$build/entente" ] || { echo "no $build/entente: build the entente target first" >&2; exit 2; }
exec python3 - "$build/entente" <<'PY'
import os, resource, statistics, subprocess, sys, tempfile, time
cli = sys.argv[1]
repeat = int(os.environ.get("REPEAT", "3"))
tmp = tempfile.mkdtemp(prefix="entente-speed-")
def actors(n):
    path = os.path.join(tmp, f"actors{n}.csv")
    if not os.path.exists(path):
        with open(path, "w") as f:
            subprocess.run([sys.executable, "bench/gen_actors.py", str(n)], stdout=f, check=True)
    return path
def run(args, env=None, times=None):
    """median wall s, median cpu s, max peak RSS MB over the runs"""
    walls, cpus, rss = [], [], 0
    for _ in range(times or repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.Popen([cli] + args, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        _, status, ru = os.wait4(p.pid, 0)
        walls.append(time.perf_counter() - t)
        if status != 0: sys.exit(f"failed: {cli} {' '.join(args)}")
        cpus.append(ru.ru_utime + ru.ru_stime)
        rss = max(rss, ru.ru_maxrss / 1024)
    return statistics.median(walls), statistics.median(cpus), rss
rows = []
def row(name, res, note=""):
    w, c, m = res
    rows.append(f"| {name} | {w:.3f} | {c:.3f} | {m:.0f} | {note} |")
    print(rows[-1], flush=True)
def ratio(a, b): return f"{a / b:.2f}x" if b > 0 else "-"
print(f"machine: {os.cpu_count()} cores, {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}")
print(f"load average at start: {os.getloadavg()}")
print("| run | wall s (median) | CPU s (median) | peak MB | note |\n|---|---|---|---|---|")
# bdm scaling (forecast, no store)
sizes = [1000, 3000] + ([10000] if os.environ.get("BIG") else [])
for n in sizes:
    row(f"bdm forecast, {n} actors, 1 issue, 10 rounds, --no-store", run(["forecast", actors(n), "-m", "bdm", "--no-store"], times=1 if n > 3000 else None))
# offers and the store at 1000 actors
a = actors(1000)
store = os.path.join(tmp, "runs.sqlite")
for cmd in (["forecast", a, "-m", "bdm"], ["trace", a, "-m", "bdm", "-f", "csv"]):
    base = run(cmd + ["-p", "offers=none", "--no-store"])
    dflt = run(cmd + ["--no-store"])
    if os.path.exists(store): os.remove(store)
    st = run(cmd, env={"ENTENTE_STORE": store}, times=1)
    name = " ".join(cmd[:1] + cmd[2:])
    row(f"{name} (1000 actors) -p offers=none --no-store", base)
    row(f"{name} (1000 actors) default, --no-store", dflt, f"{ratio(dflt[1], base[1])} CPU, {ratio(dflt[2], base[2])} memory vs offers=none")
    row(f"{name} (1000 actors) default store", st, f"{ratio(st[1], base[1])} CPU, {ratio(st[2], base[2])} memory; store {os.path.getsize(store) / 1024:.0f} KB")
# start-up
w = run(["--version"], times=20)
row("entente --version (20 runs)", w)
# start-up with a scenario: reading the 43 KB Istanbul YAML, and a forecast that is nearly all start-up
row("validate Istanbul (20 runs)", run(["validate", "scenarios/istanbul-2025.yaml"], times=20))
row("forecast Istanbul -m compromise --no-store (20 runs)",
    run(["forecast", "scenarios/istanbul-2025.yaml", "-m", "compromise", "--no-store"], times=20))
# parallel: simulate compromise and sensitivity bdm on Istanbul
ist = "scenarios/istanbul-2025.yaml"
for name, cmd in (("simulate -m compromise -n 200000", ["simulate", ist, "-m", "compromise", "-n", "200000", "--no-store"]),
                  ("sensitivity -m bdm", ["sensitivity", ist, "-m", "bdm", "--no-store"])):
    one = run(cmd + ["-t", "1"]); two = run(cmd + ["-t", "2"])
    row(f"{name}, 1 thread", one)
    row(f"{name}, 2 threads", two, f"parallel efficiency (wall) {one[0] / (2 * two[0]):.0%}")
# exchange: externalities per simulate draw (not recorded there, so not computed either way)
cop = "tests/data/decide/cop21.csv"
for ext in ("true", "false"):
    row(f"simulate -m exchange Istanbul -n 2000 -t 1, externalities={ext}", run(["simulate", ist, "-m", "exchange", "-n", "2000", "-t", "1", "-p", f"externalities={ext}", "--no-store"]))
# against the references' published times
for arith in ("decimal28", "double"):
    r = run(["trace", cop, "-m", "exchange", "-p", f"arith={arith}", "-f", "csv", "--no-store"], times=max(repeat, 5))
    row(f"exchange trace cop21, 10 rounds, {arith}", r, f"Decide 8.4 s: {8.4 / r[0]:.0f}x (wall)")
for case, ref in (("a080", 33.0), ("a160", 697.0)):
    r = run(["trace", f"tests/data/ktab/dummyData-{case}.csv", "-m", "smp", "-f", "csv", "--no-store"])
    row(f"smp trace KTAB {case}", r, f"KTAB {ref:.0f} s: {ref / r[0]:.0f}x (wall)")
print(f"load average at end: {os.getloadavg()}")
PY

#!/usr/bin/env python3
"""Times `entente simulate` under several configurations, alternated in a shuffled order.

On a shared 2-core VM the second of two identical back-to-back runs is often slower, and the host
drifts within minutes, so fixed A-then-B timings are biased. This runs every configuration once
per round, in a new random order each round, and prints medians and minima of CPU time (user +
sys of the child) and wall time, with each configuration's ratio to the first.

Usage: bench/ab_simulate.py DRAWS ROUNDS LABEL=ENV:ARGS [LABEL=ENV:ARGS ...]
  ENV   comma-separated NAME=VALUE pairs (may be empty). Special names: CLI (the binary, default
        build/dev/entente), M (the model, default compromise), KEEP=1 (this configuration's store
        is kept from run to run, as the default store is, instead of a fresh file per run).
  ARGS  extra arguments, with _ for spaces.
Every run gets a fresh store file (ENTENTE_STORE in a temporary directory) unless KEEP=1.
Example, store vs no store and 1 vs 2 threads:
  bench/ab_simulate.py 100000 11 nostore=:--no-store store=: t1=:--no-store_-t_1 t2=:--no-store_-t_2
"""
import os, random, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cli = os.path.join(root, "build/dev/entente")
scenario = os.path.join(root, "scenarios/istanbul-2025.yaml")
if len(sys.argv) < 4:
    sys.exit(__doc__)
draws, rounds = sys.argv[1], int(sys.argv[2])
configs = []
for spec in sys.argv[3:]:
    label, rest = spec.split("=", 1)
    envs, args = rest.split(":", 1)
    env = dict(e.split("=", 1) for e in envs.split(",") if e)
    configs.append((label, env, args.replace("_", " ").split()))
tmp = tempfile.mkdtemp(prefix="entente-ab-")
results = {label: [] for label, _, _ in configs}
random.seed(1)
for _ in range(rounds):
    order = list(configs)
    random.shuffle(order)
    for label, env, args in order:
        store = os.path.join(tmp, label + ".sqlite")
        for suffix in ("", "-wal", "-shm") if not env.get("KEEP") else ():
            if os.path.exists(store + suffix):
                os.remove(store + suffix)
        argv = [env.get("CLI", cli), "simulate", scenario, "-m", env.get("M", "compromise"), "-n", draws, "-f", "json"] + args
        start = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env={**os.environ, "ENTENTE_STORE": store, **env})
        _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit(f"failed: {' '.join(argv)}")
        results[label].append((ru.ru_utime + ru.ru_stime, time.perf_counter() - start))
base = None
print(f"{draws} draws, {rounds} rounds, load {os.getloadavg()[0]:.2f}")
for label, runs in results.items():
    cpu = statistics.median(c for c, _ in runs)
    wall = statistics.median(w for _, w in runs)
    base = base or (cpu, wall)
    print(f"{label:12s} median cpu {cpu:.3f} wall {wall:.3f}  ratio cpu {cpu / base[0]:.3f} wall {wall / base[1]:.3f}"
          f"   min cpu {min(c for c, _ in runs):.3f} wall {min(w for _, w in runs):.3f}")

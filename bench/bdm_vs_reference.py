#!/usr/bin/env python3
"""Times entente's bdm model against the Python test oracle on the same inputs, in one run.

For each input (case tables of tests/data/cases plus random tables of n actors written to a
temporary folder) it runs
  * bench/reference/bdm_reference.py  (the straightforward O(n^3)-per-round oracle), and
  * <build>/bench/bdm_run             (entente, the default fast algorithm),
checks that both print the same numbers (10 significant digits, 1e-9 relative), and prints the
wall-clock time of each process and the ratio python/entente (entente with offers=selected, since
the oracle records no offers). bdm_run also reports the model
time without process start-up and I/O ("model" column).

Usage: bench/bdm_vs_reference.py [--build build-rel] [--sizes 64,128] [--rounds 10]
Build first: cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel --target bdm_run
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ORACLE = os.path.join(HERE, "reference", "bdm_reference.py")
CASES = ["bdm1994_emission_standards_actors.csv", "bdm_china_dmasad_actors.csv", "bdm1997_sultan_actors.csv"]


def random_table(path, n, seed):
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write("Actor,Capability,Position,Salience\n")
        for i in range(n):
            f.write(f"a{i},{rng.uniform(1, 100):.6f},{rng.uniform(0, 100):.6f},{rng.uniform(0.1, 1):.6f}\n")


def rows(text):
    return [line.split(",") for line in text.splitlines() if line[:1].isdigit()]


def same_numbers(a, b):
    ra, rb = rows(a), rows(b)
    if len(ra) != len(rb):
        return False
    for x, y in zip(ra, rb):
        if len(x) != len(y):
            return False
        for u, v in zip(x, y):
            if u == v:
                continue
            if not u or not v:
                return False
            fu, fv = float(u), float(v)
            if abs(fu - fv) > 1e-9 * max(abs(fu), abs(fv)) + 1e-300:
                return False
    return True


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-rel"))
    ap.add_argument("--sizes", default="64,128", help="random tables of these sizes (comma-separated)")
    ap.add_argument("--rounds", type=int, default=10)
    a = ap.parse_args()
    runner = os.path.join(a.build, "bench", "bdm_run")
    if not os.path.exists(runner):
        sys.exit(f"{runner} not found: build the bdm_run target first")
    inputs = [os.path.join(ROOT, "tests", "data", "cases", c) for c in CASES]
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in a.sizes.split(",") if s]:
            p = os.path.join(tmp, f"random_{n}.csv")
            random_table(p, n, 1000 + n)
            inputs.append(p)
        print(f"{'input':<44} {'n':>5} {'python s':>10} {'entente s':>10} {'model s':>10} {'ratio':>9}  same")
        for f in inputs:
            with open(f) as fh:
                n = sum(1 for line in fh if line.strip()) - 1
            t_py, out_py, _ = timed([sys.executable, ORACLE, "--rounds", str(a.rounds), f])
            # offers=selected: the oracle records no offers either (all offers are up to n^2 events per round).
            t_cpp, out_cpp, err = timed([runner, "--param", f"rounds={a.rounds}", "--param", "offers=selected", f])
            model = float(err.split()[-1]) if err.startswith("model_seconds") else float("nan")
            ok = same_numbers(out_py, out_cpp)
            print(f"{os.path.basename(f):<44} {n:>5} {t_py:>10.3f} {t_cpp:>10.4f} {model:>10.6f} "
                  f"{t_py / t_cpp:>9.1f}  {'yes' if ok else 'NO'}", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Runs entente's exchange model and the independent Python reference side by side, in one run.

For each Decide input file it runs, as whole processes,
  * bench/reference/exchange_reference.py FILE --rounds N   (Decide's algorithm written plainly
    from shared/specs/exchange-algorithm.md: Equal Gain, p = 0, 28-digit decimals), and
  * <entente> trace FILE -m exchange --rounds N -f csv --no-store   (default arithmetic decimal28),
and reports the wall time of each (best of the repeats), the ratio reference/entente, and whether
the outputs agree: the largest absolute difference of the two NBS columns (original scale; the
reference prints 6 decimals, so up to 5e-7 is rounding) and whether the exchange counts are equal
in every round. Exits 1 if any file disagrees (difference > 1e-6, unequal counts or rows, or a
failed run).

Usage: bench/exchange_vs_reference.py [--rounds 10] [--files F ...] [--entente build-rel/entente]
                                      [--repeat 3] [--repeat-reference 1] [--exact]
--exact: the reference prints the nearest double of each 28-digit value and entente's must be
equal to it (tolerance 0) instead of within 1e-6.
Default files: tests/data/decide/*.csv and *.txt except copenhagen_with_errors.csv.
Build entente first (Release), e.g. into build-rel/.
"""
import argparse
import glob
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REFERENCE = os.path.join(HERE, "reference", "exchange_reference.py")
HEADER = "issue,round,preference_nbs_start_of_round,voting_nbs_after_exchanges,exchanges_realized"
TOLERANCE = 1e-6


def timed_run(cmd, repeat):
    """Best wall time of `repeat` runs of cmd, and the output of the last run."""
    best, out = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError("%s failed (exit %d): %s" % (cmd[0], proc.returncode, proc.stderr.strip()))
        best = dt if best is None else min(best, dt)
        out = proc.stdout
    return best, out


def parse(text):
    """{(issue, round): (preference NBS, voting NBS, exchanges)} from the CSV output."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != HEADER:
        raise ValueError("unexpected header: %r" % (lines[0] if lines else ""))
    rows = {}
    for line in lines[1:]:
        if not line.strip():
            continue
        issue, rnd, pref, vote, count = line.split(",")
        rows[(issue, int(rnd))] = (float(pref), float(vote), int(count))
    return rows


def compare(ref, ent):
    """(max |NBS difference|, counts equal, same rows)."""
    same_rows = set(ref) == set(ent)
    max_diff, counts_equal = 0.0, True
    for key in set(ref) & set(ent):
        a, b = ref[key], ent[key]
        max_diff = max(max_diff, abs(a[0] - b[0]), abs(a[1] - b[1]))
        counts_equal = counts_equal and a[2] == b[2]
    return max_diff, counts_equal, same_rows


def main():
    ap = argparse.ArgumentParser(description="entente exchange vs the Python reference")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--files", nargs="+", help="Decide input files (default: tests/data/decide/*)")
    ap.add_argument("--entente", default=os.path.join(ROOT, "build-rel", "entente"),
                    help="entente binary (default: build-rel/entente in the repo)")
    ap.add_argument("--repeat", type=int, default=3, help="entente runs per file, best time kept")
    ap.add_argument("--repeat-reference", type=int, default=1, help="reference runs per file")
    ap.add_argument("--exact", action="store_true",
                    help="the reference prints full doubles and every value must be equal (tolerance 0)")
    args = ap.parse_args()
    tolerance = 0.0 if args.exact else TOLERANCE

    files = args.files
    if not files:
        data = os.path.join(ROOT, "tests", "data", "decide")
        files = sorted(glob.glob(os.path.join(data, "*.csv")) + glob.glob(os.path.join(data, "*.txt")))
        files = [f for f in files if os.path.basename(f) != "copenhagen_with_errors.csv"]

    print("rounds=%d  entente=%s (best of %d)  reference=%s (best of %d)"
          % (args.rounds, args.entente, args.repeat, os.path.relpath(REFERENCE, ROOT), args.repeat_reference))
    fmt = "%-22s %9s %11s %8s %10s %12s %7s  %s"
    print(fmt % ("file", "ref [s]", "entente [s]", "ref/ent", "exchanges", "max |dNBS|", "counts", "verdict"))
    failed = False
    for path in files:
        name = os.path.basename(path)
        try:
            t_ref, out_ref = timed_run([sys.executable, REFERENCE, path, "--rounds", str(args.rounds)]
                                       + (["--digits", "full"] if args.exact else []), args.repeat_reference)
            t_ent, out_ent = timed_run([args.entente, "trace", path, "-m", "exchange", "--rounds",
                                        str(args.rounds), "-f", "csv", "--no-store"], args.repeat)
            ref, ent = parse(out_ref), parse(out_ent)
        except (RuntimeError, ValueError, OSError) as e:
            print("%-22s ERROR: %s" % (name, e))
            failed = True
            continue
        max_diff, counts_equal, same_rows = compare(ref, ent)
        ok = same_rows and counts_equal and max_diff <= tolerance
        failed = failed or not ok
        # exchanges realised over all rounds (the count is repeated on every issue row of a round)
        first_issue = min(issue for issue, _ in ref)
        total = sum(count for (issue, _), (_, _, count) in ref.items() if issue == first_issue)
        print(fmt % (name, "%.3f" % t_ref, "%.3f" % t_ent, "%.1f" % (t_ref / t_ent), total,
                     "%.2e" % max_diff, "equal" if counts_equal else "DIFFER",
                     ("agree" if ok else "DISAGREE") + ("" if same_rows else " (rows differ)")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

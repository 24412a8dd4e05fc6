#!/usr/bin/env python3
"""Markdown tables of `entente backtest --format json` output (docs/accuracy.md).

Usage: entente backtest FILE --candidates ... --format json | python3 tools/accuracy_table.py [--splits train,dev]
One row per candidate and split: n, MAE, CRPS, Brier for no change, hit rate within 10 points,
each followed by the difference from the baseline and its 95% paired bootstrap interval.
"""
import argparse
import json
import sys


def fmt(v, digits=2):
    return "" if v is None else f"{v:.{digits}f}"


def diff(s, key, digits=2, scale=1.0):
    d = s.get(f"diff_{key}")
    ci = s.get(f"diff_{key}_ci95")
    if d is None or ci is None or ci[0] is None:
        return ""
    return f"{d * scale:+.{digits}f} [{ci[0] * scale:+.{digits}f}, {ci[1] * scale:+.{digits}f}]"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", default="train,dev")
    a = ap.parse_args()
    doc = json.load(sys.stdin)
    cands = doc.get("candidates") or [{"name": doc["candidate"], "splits": doc["splits"]}]
    print(f"baseline: `{doc['baseline']}`\n")
    print("| candidate | split | n | MAE | ΔMAE [95%] | CRPS | ΔCRPS [95%] | Brier (no change) | ΔBrier [95%] | ≤10 | Δ≤10 (points) [95%] |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for c in cands:
        for split in a.splits.split(","):
            s = c["splits"].get(split)
            if s is None:
                continue
            brier = s.get("brier_no_change")
            print(f"| `{c['name']}` | {split} | {s['n']} | {fmt(s['mae'])} | {diff(s, 'mae')} | {fmt(s['crps'])} | "
                  f"{diff(s, 'crps')} | {fmt(brier, 3)} | {diff(s, 'brier_no_change', 3) if brier is not None else ''} | "
                  f"{100 * s['hit10']:.1f}% | {diff(s, 'hit10', 1, 100)} |")


if __name__ == "__main__":
    main()

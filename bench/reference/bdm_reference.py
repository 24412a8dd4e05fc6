#!/usr/bin/env python3
"""TEST ORACLE -- not part of entente.

A deliberately plain Python implementation of Bueno de Mesquita's expected-utility model as
specified in specs/bdm.md section 1 (Scholz, Calbert & Smith 2011 as implemented by jmckib):
fixed position range, one global normaliser Z per pass, receiver's perspective, capitulation
branch disabled (or enabled with --capitulation), compromise chosen by the weighted-position key,
simultaneous moves, Q = 1.

It is written from the spec, not from entente's C++ code, and serves two purposes:
  * it reproduces specs/vectors/bdm/*.txt (a check of the oracle itself), and
  * bench/bdm_vs_reference.sh times it against entente on the same inputs.

Usage: bdm_reference.py [--rounds N] [--capitulation] FILE...
Prints, per file, the vector-file layout: round,median,mean,x0..,r0.. (10 significant digits).
"""
import argparse
import csv
import math
import sys

NAME = ("actor", "stakeholder", "name")
CAP = ("capability", "resources", "c", "influence")
POS = ("position", "x")
SAL = ("salience", "s")


def read_case(path):
    """A case table: name, capability, position, salience (header names vary; CSV or TSV)."""
    with open(path, newline="") as f:
        text = f.read()
    delim = "\t" if "\t" in text.splitlines()[0] else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delim))
    header = [h.strip().lower() for h in rows[0]]

    def col(names):
        for i, h in enumerate(header):
            if h in names:
                return i
        raise SystemExit(f"{path}: no column among {names}")

    ni, ci, pi, si = col(NAME), col(CAP), col(POS), col(SAL)
    names, c, x, s = [], [], [], []
    for r in rows[1:]:
        if not r or not "".join(r).strip():
            continue
        names.append(r[ni].strip())
        c.append(float(r[ci]))
        x.append(float(r[pi]))
        s.append(float(r[si]))
    if max(s) > 1:  # tables printed on 0-100
        s = [v / 100 for v in s]
    return names, c, x, s


def median(x, w):
    """Lower c*s-weighted median of the held positions (the Condorcet winner)."""
    total = sum(w)
    for y in sorted(set(x)):
        if 2 * sum(wk for xk, wk in zip(x, w) if xk <= y) >= total:
            return y
    return max(x)


def mean(x, w):
    return sum(a * b for a, b in zip(x, w)) / sum(w)


class Pass:
    """Votes with exponents rho: Z and P(a, b) for positions a, b."""

    def __init__(self, x, w, rho, delta):
        self.x, self.w, self.rho, self.delta = x, w, rho, delta
        n = len(x)
        z = 0.0
        for k in range(n):
            for m in range(n):
                for q in range(n):
                    z += abs(self.vote(k, x[m], x[q]))
        self.z = z

    def vote(self, k, a, b):
        d = lambda y: abs(self.x[k] - y) / self.delta
        return self.w[k] * (d(b) ** self.rho[k] - d(a) ** self.rho[k])

    def p(self, a, b):
        if a == b or self.z == 0:
            return 0.0
        return sum(max(0.0, self.vote(k, a, b)) for k in range(len(self.x))) / self.z


def eu(pss, xa, xb, sb, r, delta):
    """EU of a challenging b, perceived with risk exponent r (Q = 1)."""
    d = abs(xa - xb) / delta
    us = 2 - 4 * (0.5 - 0.5 * d) ** r
    uf = 2 - 4 * (0.5 + 0.5 * d) ** r
    usq = 2 - 4 * 0.5 ** r
    p = pss.p(xa, xb)
    return sb * (p * us + (1 - p) * uf) + (1 - sb) * us - usq


def one_round(x, c, s, delta, capitulation):
    n = len(x)
    w = [a * b for a, b in zip(c, s)]
    # Risk pass: r = 1 everywhere.
    p1 = Pass(x, w, [1.0] * n, delta)
    danger = [sum(eu(p1, x[j], x[i], s[i], 1.0, delta) for j in range(n) if j != i) for i in range(n)]
    hi, lo = max(danger), min(danger)
    if hi == lo:
        r = [1.0] * n
    else:
        rr = [(2 * d - hi - lo) / (hi - lo) for d in danger]
        r = [(1 - v / 3) / (1 + v / 3) for v in rr]
    # Main pass.
    p = Pass(x, w, r, delta)
    new_x = list(x)
    for i in range(n):
        conf, comp, capi = [], [], []
        for j in range(n):
            if x[j] == x[i]:
                continue
            e1 = eu(p, x[i], x[j], s[j], r[i], delta)
            e2 = eu(p, x[j], x[i], s[i], r[i], delta)
            if e2 > e1 > 0:
                conf.append((abs(x[i] - x[j]), x[j]))
            elif e2 > 0 > e1 and e2 > abs(e1):
                key = (abs(e1) * x[i] + abs(e2) * x[j]) / (abs(e1) + abs(e2))
                comp.append((key, x[i] + (x[j] - x[i]) * abs(e1 / e2)))
            elif e2 > 0 > e1 and e2 < abs(e1) and capitulation:
                capi.append((abs(x[i] - x[j]), x[j]))
        for offers in (conf, comp, capi):
            if offers:
                new_x[i] = min(offers, key=lambda o: o[0])[1]  # first of equal keys wins
                break
    return new_x, r


def g(v):
    return "" if v is None else f"{v:.10g}"


def run(path, rounds, capitulation, out):
    names, c, x, s = read_case(path)
    n = len(x)
    delta = max(x) - min(x)
    w = [a * b for a, b in zip(c, s)]
    out.write(f"# dataset {path}  n={n}  Delta={delta:g}\n")
    out.write("round,median,mean," + ",".join(f"x{i}" for i in range(n)) + "," +
              ",".join(f"r{i}" for i in range(n)) + "\n")
    r = [None] * n
    for t in range(rounds + 1):
        if t > 0:
            x, r = one_round(x, c, s, delta, capitulation)
        out.write(",".join([str(t), g(median(x, w)), g(mean(x, w))] + [g(v) for v in x] + [g(v) for v in r]) + "\n")
    out.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--capitulation", action="store_true", help="fix the capitulation typo (A5)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    for f in a.files:
        run(f, a.rounds, a.capitulation, sys.stdout)


if __name__ == "__main__":
    main()

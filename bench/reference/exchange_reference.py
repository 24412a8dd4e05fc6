#!/usr/bin/env python3
"""Independent reference implementation of Stokman's exchange model as Decide computes it.

Written from shared/specs/exchange-algorithm.md alone (section numbers below refer to it):
Equal Gain only, p = 0, deterministic ties (list order, spec section 8), 28-digit Python
`decimal` with the default context (prec=28, ROUND_HALF_EVEN). Every formula keeps the grouping
and summation order the spec writes. Nothing is optimised: each candidate keeps its own update
book and move stacks, and the whole candidate list is stably sorted before every selection.

Usage: python3 exchange_reference.py FILE [--rounds N]
Prints CSV: issue,round,preference_nbs_start_of_round,voting_nbs_after_exchanges,exchanges_realized
(issues sorted by id, NBS values on the issue's original scale with 6 decimals).
Standard library only.
"""
import argparse
import csv
import sys
from decimal import Decimal, getcontext

getcontext().prec = 28  # the default context; stated for clarity

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
EPS_MOVE = Decimal(1e-10)  # thresholds compared exactly against their binary double value (section 11)
EPS_GAIN = Decimal(1e-10)
WS = Decimal(0.4)  # section 9: binary doubles converted exactly
WF = Decimal(0.1)


class InputError(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Section 1: input file
# --------------------------------------------------------------------------------------------

FIELD_COUNTS = {"#A": 3, "#P": 2, "#M": 3, "#D": 6, "#O": 1, "#/": 1}


class Model:
    def __init__(self):
        self.actors = []      # actor order (first appearance)
        self.issues = []      # issue order (first appearance of #P)
        self.lower = {}       # issue -> Decimal
        self.upper = {}
        self.has_m = {}       # issue -> whether a #M row was seen
        self.rows = {}        # issue -> list of actors, #D row order
        self.pos = {}         # issue -> actor -> position (original scale, then internal)
        self.sal = {}         # issue -> actor -> salience
        self.pow = {}         # issue -> actor -> power
        self.scale = {}


def parse_number(text):
    try:
        return Decimal(text.strip())
    except Exception:
        raise InputError("not a number: %r" % text)


def read_decide(path):
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        sample = f.read(1024)
        dialect = csv.Sniffer().sniff(sample)
        f.seek(0)
        raw_rows = list(csv.reader(f, dialect))

    m = Model()
    d_rows = []  # (actor, issue, position, salience, power) in file order
    for lineno, row in enumerate(raw_rows, 1):
        if not row:
            raise InputError("line %d: empty line" % lineno)
        tag = row[0].strip()
        if tag not in FIELD_COUNTS:
            raise InputError("line %d: unknown row tag %r" % (lineno, tag))
        n = FIELD_COUNTS[tag]
        fields = row[1:]
        if len(fields) > n:  # surplus joined with single spaces into the last field
            fields = fields[:n - 1] + [" ".join(fields[n - 1:])]
        fields = [x.strip() for x in fields]
        if tag == "#A":
            if fields[0] not in m.actors:
                m.actors.append(fields[0])
        elif tag == "#P":
            if fields[0] not in m.issues:
                m.issues.append(fields[0])
        elif tag == "#M":
            issue, value = fields[0], parse_number(fields[1])
            if issue not in m.issues:
                raise InputError("line %d: #M for unknown issue %r" % (lineno, issue))
            if not m.has_m.get(issue):
                m.has_m[issue] = True
                m.lower[issue] = value
                m.upper[issue] = value
            elif value > m.upper[issue]:
                m.upper[issue] = value
            elif value < m.lower[issue]:
                raise InputError("line %d: #M value below the first #M of issue %r (Decide crashes)"
                                 % (lineno, issue))
        elif tag == "#D":
            if len(fields) < 5:
                raise InputError("line %d: #D row with too few fields" % lineno)
            d_rows.append((lineno, fields[0], fields[1], parse_number(fields[2]),
                           parse_number(fields[3]), parse_number(fields[4])))
        # #O and #/ are ignored

    for issue in m.issues:
        if not m.has_m.get(issue):
            m.lower[issue] = Decimal(0)
            m.upper[issue] = Decimal(100)
        m.rows[issue] = []
        m.pos[issue] = {}
        m.sal[issue] = {}
        m.pow[issue] = {}

    for lineno, actor, issue, position, salience, power in d_rows:
        if actor not in m.actors:
            raise InputError("line %d: unknown actor %r" % (lineno, actor))
        if issue not in m.issues:
            raise InputError("line %d: unknown issue %r" % (lineno, issue))
        if not (0 <= salience <= 100) or not (0 <= power <= 100):
            raise InputError("line %d: salience and power must lie in [0, 100]" % lineno)
        if not (m.lower[issue] <= position <= m.upper[issue]):
            raise InputError("line %d: position outside the issue's range" % lineno)
        if actor in m.pos[issue]:
            raise InputError("line %d: duplicate row for %s on %s" % (lineno, actor, issue))
        m.rows[issue].append(actor)
        m.pos[issue][actor] = position
        m.sal[issue][actor] = salience
        m.pow[issue][actor] = power

    # issues without any #D row take no part
    m.issues = [k for k in m.issues if m.rows[k]]

    # normalisation to 0-100
    for k in m.issues:
        width = m.upper[k] - m.lower[k]
        m.scale[k] = HUNDRED / width if width != 0 else Decimal(0)
        for a in m.rows[k]:
            m.pos[k][a] = (m.pos[k][a] - m.lower[k]) * m.scale[k]
    return m


def to_original(m, k, v):
    if v == 0:
        return m.lower[k]
    return v / m.scale[k] + m.lower[k]


# --------------------------------------------------------------------------------------------
# Sections 4-8: candidates, evaluation, moveOK, cap, selection
# --------------------------------------------------------------------------------------------

class Side:
    def __init__(self, x, s, c, actor, sup, dem):
        self.actor = actor
        self.sup = sup
        self.dem = dem
        self.s_sup = s[sup][actor]
        self.c_sup = c[sup][actor]
        self.s_dem = s[dem][actor]
        self.pos = x[sup][actor]
        self.start = x[sup][actor]
        self.own_dem = x[dem][actor]
        self.M = []
        self.move = None
        self.y = None


class Candidate:
    def __init__(self, I, J):
        self.I = I  # the q-supplier
        self.J = J  # the p-supplier
        self.gain = None
        self.valid = False
        self.B = {}  # update book: issue -> {actor: position}


class Round:
    """One round of the model on the preferences x (internal scale)."""

    def __init__(self, m, x):
        self.m = m
        self.x = x
        self.s = m.sal
        self.c = m.pow

    # Section 2
    def denominator(self, k):
        total = 0
        for a in self.m.rows[k]:
            total = total + self.s[k][a] * self.c[k][a]
        return total

    def nbs(self, k, positions):
        if self.D[k] == 0:
            return Decimal(0)
        total = 0
        for a in self.m.rows[k]:
            total = total + (positions[k][a] * self.s[k][a]) * self.c[k][a]
        return total / self.D[k]

    # Section 6
    def move_ok(self, side, mv):
        if abs(mv) > 100 or abs(mv) <= EPS_MOVE:
            return False
        if side.pos + mv < 0 or side.pos + mv > 100:
            return False
        if sum(side.M) > 100:
            return False
        if not (all(e < 0 for e in side.M) or all(e > 0 for e in side.M)):
            return False
        return True

    # Section 7: adjusted NBS with the candidate's book, A at v (A wins over the book)
    def nbs_adjusted(self, E, A, v):
        k = A.sup
        book = E.B.get(k, {})
        total = 0
        for a in self.m.rows[k]:
            if a == A.actor:
                p = v
            elif a in book:
                p = book[a]
            else:
                p = self.x[k][a]
            total = total + (p * self.s[k][a]) * self.c[k][a]
        return total / self.D[k]

    def cap(self, E, A, O):
        k = A.sup
        xs = O.own_dem
        n0 = self.nbs_adjusted(E, A, A.pos)
        n1 = self.nbs_adjusted(E, A, A.y)
        if (xs - n0 >= 0 and xs - n1 >= 0) or (xs - n0 <= 0 and xs - n1 <= 0):
            return
        book = E.B.get(k, {})
        T = 0
        for a in self.m.rows[k]:
            p = A.pos if a == A.actor else self.x[k][a]
            if a in book:  # the book is applied after A, so it overrides A.pos too
                p = book[a]
            T = T + (p * self.s[k][a]) * self.c[k][a]
        Dk = self.D[k]
        delta = abs((xs * Dk - T) / (A.s_sup * A.c_sup))
        rA = ((delta * A.s_sup) * A.c_sup) / Dk
        rO = ((A.s_sup + O.s_dem) / (A.s_dem + O.s_sup)) * rA
        mO = abs((rO * self.D[O.sup]) / (O.c_sup * O.s_sup))
        mA = delta
        if O.pos > A.own_dem:
            mO = -mO
        if A.pos > O.own_dem:
            mA = -mA
        O.M[-1] = mO
        A.M[-1] = mA
        O.move = mO
        A.move = mA
        O.y = O.pos + mO
        A.y = A.pos + mA
        E.gain = abs(rO * O.s_sup - rA * O.s_dem)

    # Section 5
    def evaluate(self, E):
        I, J = E.I, E.J
        p, q = J.sup, I.sup
        Dp, Dq = self.D[p], self.D[q]
        distP = abs(I.own_dem - J.pos)
        distQ = abs(J.own_dem - I.pos)
        rp = ((distP * J.s_sup) * J.c_sup) / Dp
        rq = ((J.s_sup + I.s_dem) / (J.s_dem + I.s_sup)) * rp
        mI = (rq * Dq) / (I.c_sup * I.s_sup)
        mJ = distP
        if mI > distQ:
            rq = ((distQ * I.s_sup) * I.c_sup) / Dq
            rp = ((I.s_sup + J.s_dem) / (I.s_dem + J.s_sup)) * rq
            mI = distQ
            mJ = (rp * Dp) / (J.c_sup * J.s_sup)
        if I.pos > J.own_dem:
            mI = -mI
        if J.pos > I.own_dem:
            mJ = -mJ
        I.M.append(mI)
        J.M.append(mJ)
        I.move = mI
        J.move = mJ
        I.y = I.pos + mI
        J.y = J.pos + mJ
        E.gain = abs(rq * I.s_sup - rp * I.s_dem)
        E.valid = self.move_ok(I, mI) and self.move_ok(J, mJ) and E.gain >= EPS_GAIN
        if not E.valid:
            return
        self.cap(E, I, J)
        self.cap(E, J, I)
        E.valid = self.move_ok(I, I.move) and self.move_ok(J, J.move)

    # Section 4
    def candidates(self):
        issues = self.m.issues
        L = []
        for i in range(len(issues)):
            for j in range(i + 1, len(issues)):
                p, q = issues[i], issues[j]
                groups = {0: [], 1: [], 2: [], 3: []}
                for a in self.m.actors:
                    if a not in self.x[p] or a not in self.x[q]:
                        continue
                    g = (1 if self.left[p][a] else 0) + 2 * (1 if self.left[q][a] else 0)
                    groups[g].append(a)
                for ga, gb in ((0, 3), (1, 2)):
                    for a in groups[ga]:
                        for b in groups[gb]:
                            E = self.make_candidate(a, b, p, q)
                            self.evaluate(E)
                            L.append(E)
        return L

    def make_candidate(self, a, b, p, q):
        s = self.s
        if s[p][a] / s[q][a] < s[p][b] / s[q][b]:
            # b supplies q (demands p), a supplies p (demands q)
            I = Side(self.x, s, self.c, b, q, p)
            J = Side(self.x, s, self.c, a, p, q)
        else:
            # a supplies q (demands p), b supplies p (demands q)
            I = Side(self.x, s, self.c, a, q, p)
            J = Side(self.x, s, self.c, b, p, q)
        return Candidate(I, J)

    # Section 8
    def refresh(self, E, R):
        changed = False
        # 1. supply overlap
        sides = (E.I, E.J)
        for idx, S in enumerate(sides):
            matched = False
            if S.actor == R.I.actor and S.sup == R.I.sup:
                S.pos = R.I.y
                matched = True
            elif S.actor == R.J.actor and S.sup == R.J.sup:
                S.pos = R.J.y
                matched = True
            if matched:
                other = sides[1 - idx]
                other.M.pop()
                changed = True
                break  # at most one side of E can match
        # 2. demand overlap: R.J first (partner R.I), then R.I (partner R.J)
        for Rd, Rs in ((R.J, R.I), (R.I, R.J)):
            if any(S.actor == Rd.actor and S.dem == Rd.dem for S in sides):
                k = Rd.dem
                book = E.B.setdefault(k, {})
                if Rs.actor not in book:
                    book[Rs.actor] = Rs.y
                else:
                    v = book[Rs.actor]
                    if Rs.start <= v:
                        book[Rs.actor] = min(v, Rs.y)
                    else:
                        book[Rs.actor] = max(v, Rs.y)
                if not changed:
                    E.I.M.pop()
                    E.J.M.pop()
                    changed = True
        # 3. re-evaluate
        if changed:
            self.evaluate(E)

    def run(self):
        m = self.m
        self.D = {k: self.denominator(k) for k in m.issues}
        self.pref_nbs = {k: self.nbs(k, self.x) for k in m.issues}
        self.left = {k: {a: self.x[k][a] <= self.pref_nbs[k] for a in m.rows[k]} for k in m.issues}
        L = self.candidates()
        realised = []
        while L:
            L.sort(key=lambda e: e.gain, reverse=True)  # stable: equal gains keep list order
            R = L.pop(0)
            if not R.valid:
                continue
            for E in L:
                if E.valid:
                    self.refresh(E, R)
            L = [E for E in L if E.valid]
            realised.append(R)
        self.realised = realised

        # Section 9: voting positions and voting NBS
        vote = {k: dict(self.x[k]) for k in m.issues}
        for R in realised:
            vote[R.I.sup][R.I.actor] = R.I.y
            vote[R.J.sup][R.J.actor] = R.J.y
        self.vote_nbs = {k: self.nbs(k, vote) for k in m.issues}

        # new preferences
        new_x = {k: dict(self.x[k]) for k in m.issues}
        for R in realised:
            for S in (R.I, R.J):
                s_ = S.s_sup
                y = S.y
                x0 = S.start
                new_x[S.sup][S.actor] = ((ONE - s_) * WS) * y + WF * y + ((ONE - (ONE - s_) * WS) - WF) * x0
        self.new_x = new_x


def run(path, rounds):
    m = read_decide(path)
    x = {k: dict(m.pos[k]) for k in m.issues}
    results = []  # (round, pref_nbs, vote_nbs, count)
    for r in range(1, rounds + 1):
        rd = Round(m, x)
        rd.run()
        results.append((r, rd.pref_nbs, rd.vote_nbs, len(rd.realised)))
        x = rd.new_x
    return m, results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", help="Decide input file")
    ap.add_argument("--rounds", type=int, default=10, help="number of rounds (default 10)")
    ap.add_argument("--digits", choices=["6", "full"], default="6",
                    help="6 decimals as the reference vectors (default), or the nearest double in full")
    args = ap.parse_args(argv)
    show = (lambda v: f"{float(v):.6f}") if args.digits == "6" else (lambda v: repr(float(v)))
    try:
        m, results = run(args.file, args.rounds)
    except InputError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    out = sys.stdout
    out.write("issue,round,preference_nbs_start_of_round,voting_nbs_after_exchanges,exchanges_realized\n")
    for r, pref, vote, count in results:
        for k in sorted(m.issues):
            out.write("%s,%d,%s,%s,%d\n" % (k, r, show(to_original(m, k, pref[k])), show(to_original(m, k, vote[k])), count))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Quick independent check of a native entente scenario (before/besides the C++ parser).

Checks: every evidence quote is a verbatim substring (whitespace-normalised) of its source file;
every evidence source id exists; every number has evidence; values lie inside the issue scale,
salience in [0,1], uncertainty bounds contain the value. Needs python3-yaml.
Usage: tools/check_scenario.py scenarios/istanbul-2025.yaml
"""
import os
import re
import sys

import yaml


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def main(path):
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    base = os.path.dirname(path)
    sources = {}
    for s in doc["sources"]:
        text = None
        if s.get("file"):
            text = norm(open(os.path.join(base, s["file"]), encoding="utf-8").read())
        sources[s["id"]] = text
    issues = {i["id"]: i for i in doc["issues"]}
    problems = []
    count = {"numbers": 0, "quotes": 0, "judgments": 0}

    def quantity(field, q, lo, hi):
        count["numbers"] += 1
        if not isinstance(q, dict):
            problems.append(f"{field}: plain number {q} has no evidence")
            return
        v = q["value"]
        if not (lo <= v <= hi):
            problems.append(f"{field}: value {v} outside [{lo}, {hi}]")
        ev = q.get("evidence")
        if not ev:
            problems.append(f"{field}: no evidence")
        elif "quote" in ev:
            count["quotes"] += 1
            src = ev.get("source")
            if src not in sources:
                problems.append(f"{field}: unknown source {src!r}")
            elif sources[src] is None or norm(ev["quote"]) not in sources[src]:
                problems.append(f"{field}: quote not found in {src}: {ev['quote']!r}")
        elif "judgment" in ev:
            count["judgments"] += 1
        else:
            problems.append(f"{field}: evidence has neither quote nor judgment")
        u = q.get("uncertainty")
        if u:
            if "range" in u:
                a, b = u["range"]
            else:
                a, b = u.get("low", lo), u.get("high", hi)
            if not (a <= v <= b) or a < lo or b > hi:
                problems.append(f"{field}: uncertainty [{a}, {b}] bad for value {v} in [{lo}, {hi}]")
            if u.get("distribution") == "triangular" and not (a <= u["mode"] <= b):
                problems.append(f"{field}: triangular mode outside bounds")

    inf = float("inf")
    for a in doc["actors"]:
        quantity(f"{a['id']}.capability", a["capability"], 0, inf)
        for iid, st in a["issues"].items():
            if iid not in issues:
                problems.append(f"{a['id']}: unknown issue {iid}")
                continue
            iss = issues[iid]
            f = f"{a['id']}.{iid}"
            if "capability" in st:
                quantity(f + ".capability", st["capability"], 0, inf)
            quantity(f + ".salience", st["salience"], 0, 1)
            if "options" in iss:
                if "position" in st:
                    problems.append(f"{f}: position on a categorical issue")
                for opt, u in st["utilities"].items():
                    if opt not in iss["options"]:
                        problems.append(f"{f}: unknown option {opt}")
                    quantity(f"{f}.utilities.{opt}", u, 0, 1)
            else:
                sc = iss.get("scale", {"min": 0, "max": 100})
                quantity(f + ".position", st["position"], sc["min"], sc["max"])
    for p in problems:
        print("PROBLEM:", p)
    print(f"{count['numbers']} numbers: {count['quotes']} quoted, {count['judgments']} judgments; "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

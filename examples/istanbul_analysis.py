#!/usr/bin/env python3
"""A short analysis of the Istanbul talks with entente's Python module.

Run after `bash scripts/setup.sh run` (which builds and installs the module):
    python3 examples/istanbul_analysis.py
"""
import os
import sys

import entente

here = os.path.dirname(os.path.abspath(__file__))
scenario = os.path.join(here, "..", "scenarios", "istanbul-2025.yaml")

sc = entente.load(scenario)
print(sc)

# 1. Point forecasts of four models side by side. Every function returns {model: ...}, one
#    entry per model asked, whether one or several. (smp also forecasts the categorical issues.)
models = ["compromise", "median", "bdm", "smp"]
forecasts = entente.forecast(sc, model=models)
print("\nissue              " + "".join(f"{m:>12}" for m in models))
for issue in sc.issues:
    cells = []
    for m in models:
        f = forecasts[m][issue]
        if f.get("option"):  # categorical: the likeliest option, never a mean of option numbers
            cells.append(f"{f['option']:>12}")
        elif isinstance(f["value"], (int, float)):
            cells.append(f"{f['value']:11.1f}" + ("*" if not f["settled"] else " "))
        else:
            cells.append(f"{'-':>12}")
    print(f"{issue:<19}" + "".join(cells))

# 2. A dynamic model that has not settled: its last round's value is one point of a cycle.
for issue, f in forecasts["bdm"].items():
    c = f.get("convergence") or {}
    if not f["settled"] and c.get("state") == "cycle":
        print(f"* bdm on {issue}: {f['value']:.2f} at the last round, but it cycles "
              f"{c['low']:.2f} <-> {c['high']:.2f} with period {c['period']}: read it as a range, not a point.")
    elif not f["settled"]:
        print(f"* bdm on {issue}: still moving after the last round ({c.get('low')} to {c.get('high')}).")

# 3. How sure? 2,000 draws of the uncertain inputs through the compromise model.
sim = entente.simulate(sc, model="compromise", draws=2000, seed=2025)["compromise"]
print("\ncompromise under uncertainty (5% / median / 95%):")
for issue in sim["issues"]:
    f = issue.get("forecast") or {}
    q = f.get("quantiles") or {}
    if f.get("n") and "5" in q:
        print(f"  {issue['id']:<18} {q['5']:6.1f} {q['50']:6.1f} {q['95']:6.1f}")

# 4. What would it take? The smallest move of Ukraine's position on the regions that brings the
#    compromise forecast to 62 (nearer a freeze on the current line, 50).
w = entente.whatif(sc, model="compromise", actor="ukraine", issue="regions", target=62)["compromise"]
if w["reachable"]:
    print(f"\nUkraine moving its regions position from {w['current']:.1f} to {w['value']:.1f} "
          f"brings the compromise forecast to {w['forecast']:.1f}.")
else:
    print("\nNo position of Ukraine's alone brings the regions forecast to 62: " + w["note"])

# 5. As DataFrames (pandas is installed by scripts/setup.sh): the forecasts with their
#    convergence columns, and the three inputs that move each compromise forecast most.
try:
    import pandas  # noqa: F401
except ImportError:
    sys.exit(0)
df = entente.forecast(sc, model=models, as_frame=True)
print("\n", df[["issue", "model", "value", "settled", "convergence_state", "convergence_period"]].to_string(index=False))
top = entente.sensitivity(sc, model="compromise", top=3, as_frame=True)
print("\n", top[["issue", "rank", "kind", "label", "swing"]].to_string(index=False))

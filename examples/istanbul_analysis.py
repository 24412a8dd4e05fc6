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

# 1. Point forecasts of three models side by side.
models = ["compromise", "median", "bdm"]
forecasts = entente.forecast(sc, model=models)
print("\nissue              " + "".join(f"{m:>12}" for m in models))
for issue in sc.issues:
    cells = []
    for m in models:
        v = forecasts[m][issue]["value"]
        cells.append(f"{v:12.1f}" if isinstance(v, (int, float)) else f"{'-':>12}")
    print(f"{issue:<19}" + "".join(cells))

# 2. How sure? 2,000 draws of the uncertain inputs through the compromise model.
sim = entente.simulate(sc, model="compromise", draws=2000, seed=2025)
print("\ncompromise under uncertainty (5% / median / 95%):")
for issue in sim["issues"]:
    f = issue.get("forecast") or {}
    q = f.get("quantiles") or {}
    if f.get("n") and "5" in q:
        print(f"  {issue['id']:<18} {q['5']:6.1f} {q['50']:6.1f} {q['95']:6.1f}")

# 3. What would it take? The smallest move of Ukraine's position on the regions that brings the
#    compromise forecast to 62 (nearer a freeze on the current line, 50).
w = entente.whatif(sc, model="compromise", actor="ukraine", issue="regions", target=62)
if w["reachable"]:
    print(f"\nUkraine moving its regions position from {w['current']:.1f} to {w['value']:.1f} "
          f"brings the compromise forecast to {w['forecast']:.1f}.")
else:
    print("\nNo position of Ukraine's alone brings the regions forecast to 62: " + w["note"])

# 4. As a DataFrame, when pandas is installed.
try:
    import pandas  # noqa: F401
    df = entente.forecast(sc, model=models, as_frame=True)
    print("\n", df[["issue", "model", "value"]].pivot(index="issue", columns="model", values="value").round(1))
except ImportError:
    sys.exit(0)

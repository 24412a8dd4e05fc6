"""entente: forecasts of multi-party negotiations, from Python.

The entry points mirror the command line::

    import entente
    entente.forecast("scenarios/istanbul-2025.yaml", model="compromise")
    entente.trace(path, model="bdm", rounds=10)
    entente.simulate(path, model="compromise", draws=1000, seed=1)
    entente.backtest("deu3-train-dev.csv", model="compromise")
    entente.whatif(path, model="compromise", actor="russia", issue="regions", target=60)

`scenario` is a path, a dict in the native format (docs/scenario-format.md) or a Scenario from
`entente.load`. Results are plain Python objects (dicts, lists, floats); pass `as_frame=True` for
pandas DataFrames when pandas is installed. Bad input raises `entente.InputError` (a ValueError)
with the same messages as the CLI.
"""
import io
import json
import os

from . import _entente
from ._entente import InputError, Scenario

__version__ = _entente.__version__
__all__ = ["load", "forecast", "trace", "simulate", "sensitivity", "backtest", "whatif", "models",
           "missing_evidence", "InputError", "Scenario", "deal"]


def _scenario(scenario):
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike)):
        return _entente.load(os.fspath(scenario))
    if isinstance(scenario, dict):
        return _entente.parse(json.dumps(scenario), "<dict>.json")
    raise TypeError("scenario must be a path, a dict or an entente.Scenario, not %s" % type(scenario).__name__)


def _edits(drop, set):
    if isinstance(drop, str):
        drop = [drop]
    if isinstance(set, str):
        set = [set]
    return [("drop", a) for a in drop] + [("set", x) for x in set]


def load(scenario, drop=(), set=()):
    """A Scenario from a path, a dict, or a Scenario; `drop` and `set` apply what-ifs (actor ids;
    "ACTOR.ISSUE.position=V" assignments). Edited numbers are marked as the analyst's."""
    sc = _scenario(scenario)
    edits = _edits(drop, set)
    return _entente.apply_edits(sc, edits) if edits else sc


def _params(params):
    """Keyword options as "KEY=VALUE": the library routes each to the models that declare it
    (or "MODEL.KEY" to one model), as on the command line; an option no model declares is an error."""
    out = []
    for k, v in params.items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        out.append("%s=%s" % (k, v))
    return out


def _frame(records):
    import pandas  # noqa: only when asked for
    return pandas.DataFrame.from_records(records)


def _names(model):
    return [model] if isinstance(model, str) else list(model)


def models():
    """The registered models with their declared options (name, type, default, description)."""
    return json.loads(_entente.models())["models"]


def missing_evidence(scenario):
    """Field paths of every number of the scenario that carries no evidence."""
    doc = json.loads(_entente.validate(_scenario(scenario), []))
    return [m["field"] for m in doc.get("missing_evidence", [])]


def _forecast_row(f):
    row = {k: v for k, v in f.items() if not isinstance(v, (dict, list))}
    for option, p in (f.get("option_probabilities") or {}).items():
        row["p_" + option] = p
    c = f.get("convergence")
    if c:
        row.update({"convergence_" + k: v for k, v in c.items() if not isinstance(v, (dict, list))})
    return row


def forecast(scenario, model=None, seed=None, drop=(), set=(), settle="last", as_frame=False, **params):
    """Forecast every issue. With one model: {issue_id: {"value", "in_words", "settled", ...}};
    with a list of models (or None: the default list): {model: {issue_id: {...}}}. A dynamic model
    that has not settled carries "convergence" (state, period, low, high). Categorical issues
    carry "option" and "option_probabilities". as_frame: one row per (issue, model)."""
    names = _names(model) if model is not None else []
    doc = json.loads(_entente.forecast(_scenario(scenario), _edits(drop, set), names, _params(params), seed, settle,
                                       "json"))
    ran = [m["name"] for m in doc["models"]]
    if as_frame:
        rows = []
        for issue in doc["issues"]:
            for m, f in issue["forecasts"].items():
                row = {"issue": issue["id"], "model": m}
                row.update(_forecast_row(f))
                rows.append(row)
        return _frame(rows)
    by_model = {m: {issue["id"]: issue["forecasts"][m] for issue in doc["issues"]} for m in ran}
    return by_model[ran[0]] if isinstance(model, str) else by_model


def trace(scenario, model="bdm", rounds=None, seed=None, issue="", events=(), drop=(), set=(), as_frame=False,
          **params):
    """The round-by-round trace of a dynamic model: {"rounds": [{"round", series...}], ...}.
    events: "offer" (bdm), "exchange" or "externality" (exchange). as_frame: the CSV layout of
    `entente trace --format csv` as a DataFrame."""
    if isinstance(events, str):
        events = [events] if events else []
    args = (_scenario(scenario), _edits(drop, set), model, _params(params), seed, int(rounds or 0), issue,
            list(events))
    if as_frame:
        import pandas
        return pandas.read_csv(io.StringIO(_entente.trace(*args, "csv")))
    return json.loads(_entente.trace(*args, "json"))


def simulate(scenario, model="compromise", draws=1000, seed=None, threads=0, drop=(), set=(), settle="last",
             as_frame=False, **params):
    """Monte Carlo over the scenario's uncertain inputs: per issue the forecast's distribution
    (numeric issues: mean, sd, quantiles, histogram; categorical issues: each option's share of
    the draws, never a mean of option numbers). Same seed, same result on any thread count. A
    list of models gives {"simulations": [...]}. as_frame: one row per (model, issue, option)."""
    names = _names(model)
    doc = json.loads(_entente.simulate(_scenario(scenario), _edits(drop, set), names, _params(params), seed, settle,
                                       int(draws), int(threads)))
    if as_frame:
        rows = []
        for sim in doc.get("simulations", [doc]):
            for issue in sim.get("issues", []):
                base = {"model": sim.get("model"), "issue": issue.get("id"), "kind": issue.get("kind")}
                if issue.get("kind") == "categorical":
                    for o in issue.get("options", []):
                        row = dict(base)
                        row.update({k: v for k, v in o.items() if not isinstance(v, (dict, list))})
                        rows.append(row)
                    continue
                row = dict(base)
                f = issue.get("forecast", {})
                row.update({k: v for k, v in f.items() if not isinstance(v, (dict, list))})
                row.update({"q%s" % k: v for k, v in (f.get("quantiles") or {}).items()})
                c = issue.get("convergence")
                if c:
                    row.update({"share_" + k: v for k, v in c.items()})
                rows.append(row)
        return _frame(rows)
    return doc


def sensitivity(scenario, model="compromise", seed=None, drop=(), set=(), settle="last", all=False, **params):
    """One-at-a-time sensitivity (tornado) of each issue's forecast to each uncertain input and
    to dropping each actor: the inputs that move it, largest swing first (all=True: every input).
    Categorical issues: the swing is in the probability of the base forecast's option."""
    return json.loads(_entente.sensitivity(_scenario(scenario), _edits(drop, set), model, _params(params), seed,
                                           settle, bool(all)))


def whatif(scenario, model="compromise", actor="", issue="", target=0.0, lever="position", seed=None, drop=(),
           set=(), settle="last", **params):
    """The smallest change of `actor`'s lever (position, salience or capability) that moves the
    forecast of `issue` to `target` (a number, or an option of a categorical issue);
    {"reachable": False, ...} when none within bounds does."""
    return json.loads(_entente.whatif(_scenario(scenario), _edits(drop, set), model, _params(params), seed, settle,
                                      actor, issue, str(target), lever))


def backtest(path, model="compromise", capability="equal", seed=None, as_frame=False, **params):
    """Score a model on DEU-layout data: {"splits": {split: {"n", "mae", ...}}, "issues": [...]}.
    The per-issue table is the one `entente backtest --per-issue` writes. as_frame: that table."""
    doc_text, issues_csv = _entente.backtest(os.fspath(path), model, _params(params), seed, capability)
    if as_frame:
        import pandas
        return pandas.read_csv(io.StringIO(issues_csv))
    doc = json.loads(doc_text)
    import csv
    doc["issues"] = list(csv.DictReader(io.StringIO(issues_csv)))
    return doc


def deal(scenario, model=None, draws=0, seed=None, threads=0, drop=(), set=(), settle="last", as_frame=False,
         **params):
    """Will there be a deal? The same document as `entente deal --format json` (docs/models/deal.md):
    "possible" (True/False, or its probability with draws > 0), "maximin" (issue -> value or option),
    "issues" (issue -> {"zone": [low, high] | [options] | None, ...}) and "models" (model ->
    {"acceptable", "blockers", "margins", and with draws "p_acceptable"}). model: a name or a list
    (None: only the model-free analysis). as_frame: one row per (model, veto player) with the margin."""
    names = [] if model is None else _names(model)
    doc = json.loads(_entente.deal(_scenario(scenario), _edits(drop, set), names, _params(params), seed, settle,
                                   int(draws), int(threads)))
    if as_frame:
        rows = []
        for name, m in doc.get("models", {}).items():
            for player, margin in m.get("margins", {}).items():
                rows.append({"model": name, "veto_player": player, "margin": margin,
                             "blocks": player in m.get("blockers", []), "acceptable": m.get("acceptable"),
                             "p_acceptable": m.get("p_acceptable"),
                             "p_blocks": (m.get("p_blocks") or {}).get(player)})
        return _frame(rows)
    return doc

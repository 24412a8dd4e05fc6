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
           "missing_evidence", "InputError", "Scenario"]


def load(scenario, drop=(), set=()):
    """A Scenario from a path, a dict, or a Scenario; `drop` and `set` apply what-ifs
    (actor ids; "ACTOR.ISSUE.position=V" assignments)."""
    if isinstance(scenario, Scenario):
        sc = scenario
    elif isinstance(scenario, (str, os.PathLike)):
        sc = _entente.load(os.fspath(scenario))
    elif isinstance(scenario, dict):
        sc = _entente.parse(json.dumps(scenario), "<dict>.json")
    else:
        raise TypeError("scenario must be a path, a dict or an entente.Scenario, not %s" % type(scenario).__name__)
    if isinstance(drop, str):
        drop = [drop]
    if isinstance(set, str):
        set = [set]
    for actor in drop:
        sc = _entente.drop_actor(sc, actor)
    for assignment in set:
        sc = _entente.apply_assignment(sc, assignment)
    return sc


def _params(params):
    out = {}
    for k, v in params.items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        out[str(k)] = str(v)
    return out


def _frame(records):
    import pandas  # noqa: only when asked for
    return pandas.DataFrame.from_records(records)


def models():
    """The registered models: name, title, whether it has rounds, parameters with defaults."""
    return _entente.models()


def missing_evidence(scenario):
    """Field paths of every number of the scenario that carries no evidence."""
    return _entente.missing_evidence(load(scenario))


def forecast(scenario, model="compromise", seed=0, drop=(), set=(), as_frame=False, **params):
    """Forecast every issue. With one model: {issue_id: {"value", "in_words", ...}}; with a list
    of models: {model: {issue_id: {...}}}. as_frame: one row per (issue, model)."""
    sc = load(scenario, drop, set)
    names = [model] if isinstance(model, str) else list(model)
    doc = json.loads(_entente.forecast(sc, names, _params(params), seed, "json"))
    if as_frame:
        rows = []
        for issue in doc["issues"]:
            for m, f in issue["forecasts"].items():
                row = {"issue": issue["id"], "model": m}
                row.update({k: v for k, v in f.items() if not isinstance(v, dict)})
                rows.append(row)
        return _frame(rows)
    by_model = {m: {issue["id"]: issue["forecasts"][m] for issue in doc["issues"]} for m in names}
    return by_model[names[0]] if isinstance(model, str) else by_model


def trace(scenario, model="bdm", rounds=None, seed=0, issue="", events="", drop=(), set=(), as_frame=False,
          **params):
    """The round-by-round trace of a dynamic model: {"rounds": [{"round", series...}], ...}.
    events: "offer" (bdm), "exchange" or "externality" (exchange). as_frame: the CSV layout of
    `entente trace --format csv` as a DataFrame."""
    sc = load(scenario, drop, set)
    if rounds is not None:
        params["rounds"] = rounds
    if as_frame:
        import pandas
        text = _entente.trace(sc, model, _params(params), seed, issue, "csv", events)
        return pandas.read_csv(io.StringIO(text))
    return json.loads(_entente.trace(sc, model, _params(params), seed, issue, "json", events))


def simulate(scenario, model="compromise", draws=1000, seed=0, threads=0, drop=(), set=(), as_frame=False,
             **params):
    """Monte Carlo over the scenario's uncertain inputs: per issue the forecast's distribution.
    Same seed, same result on any thread count. as_frame: one row per issue."""
    sc = load(scenario, drop, set)
    doc = json.loads(_entente.simulate(sc, model, _params(params), seed, draws, threads, "json"))
    if as_frame:
        rows = []
        for issue in doc.get("issues", []):
            row = {"issue": issue.get("id")}
            f = issue.get("forecast", {})
            row.update({k: v for k, v in f.items() if not isinstance(v, (dict, list))})
            row.update({"q%s" % k: v for k, v in (f.get("quantiles") or {}).items()})
            rows.append(row)
        return _frame(rows)
    return doc


def sensitivity(scenario, model="compromise", seed=0, drop=(), set=(), **params):
    """One-at-a-time sensitivity (tornado) of each issue's forecast to each uncertain input and
    to dropping each actor."""
    sc = load(scenario, drop, set)
    return json.loads(_entente.sensitivity(sc, model, _params(params), seed, "json"))


def whatif(scenario, model="compromise", actor="", issue="", target=0.0, lever="position", seed=0, drop=(),
           set=(), **params):
    """The smallest change of `actor`'s lever (position, salience or capability) that moves the
    forecast of `issue` to `target`; {"reachable": False, ...} when none within bounds does."""
    sc = load(scenario, drop, set)
    return json.loads(_entente.whatif(sc, model, _params(params), seed, actor, issue, float(target), lever))


def backtest(path, model="compromise", capability="equal", seed=0, as_frame=False, **params):
    """Score a model on DEU-layout data: {"splits": {split: {"n", "mae", ...}}, "issues": [...]}.
    as_frame: the per-issue table as a DataFrame."""
    doc_text, issues_csv = _entente.backtest(os.fspath(path), model, _params(params), seed, capability)
    if as_frame:
        import pandas
        return pandas.read_csv(io.StringIO(issues_csv))
    doc = json.loads(doc_text)
    import csv
    doc["issues"] = list(csv.DictReader(io.StringIO(issues_csv)))
    return doc

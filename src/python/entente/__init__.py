"""entente: forecasts of multi-party negotiations, from Python.

The entry points mirror the command line::

    import entente
    entente.forecast("scenarios/istanbul-2025.yaml", model="compromise")
    entente.trace(path, model="bdm", rounds=10)
    entente.simulate(path, model="compromise", draws=1000, seed=1)
    entente.sensitivity(path, model="compromise")
    entente.whatif(path, model="compromise", actor="russia", issue="regions", target=60)
    entente.backtest("deu3-train-dev.csv", model="compromise")

One result shape for one or many models: every analysis returns a dict keyed by model name, one
entry per model asked (`model="bdm"` or `model=["bdm", "compromise"]`), in the order asked. The
entries are the `--format json` documents of the command line (docs/cli.md), so the fields are the
same everywhere. `as_frame=True` gives a pandas DataFrame instead, with a `model` column, for
every function (docs/python.md lists the columns).

`scenario` is a path, a dict in the native format (docs/scenario-format.md) or a Scenario from
`entente.load`. Bad input raises `entente.InputError` (a ValueError) whose message names the
field of the call ("models", "params", "draws", an edit) or of the file (file, line, column).
"""
import io
import json
import math
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
    (or "MODEL.KEY" to one model), as on the command line; an option no model declares is an
    error naming it."""
    out = []
    for k, v in params.items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        out.append("%s=%s" % (k, v))
    return out


def _check_int(name, value, low):
    """Integer arguments are checked here so the error names the argument, not a C++ type."""
    if isinstance(value, bool) or not isinstance(value, int) and not (isinstance(value, float) and value.is_integer()):
        raise InputError("%s: expected an integer, found %r" % (name, value))
    if int(value) < low:
        raise InputError("%s: expected an integer >= %d, found %d" % (name, low, int(value)))
    return int(value)


def _frame(records, columns=None):
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - pandas is part of the set-up
        raise ImportError("as_frame=True needs pandas (Debian: apt-get install python3-pandas)") from e
    return pandas.DataFrame.from_records(records, columns=columns)


def _names(model, default=None):
    if model is None:
        return list(default or [])
    return [model] if isinstance(model, str) else list(model)


def _scalars(d, prefix=""):
    return {prefix + k: v for k, v in d.items() if not isinstance(v, (dict, list))}


def models():
    """The registered models with their declared options (name, type, default, description)."""
    return json.loads(_entente.models())["models"]


def missing_evidence(scenario):
    """Field paths of every number of the scenario that carries no evidence."""
    doc = json.loads(_entente.validate(_scenario(scenario), []))
    return [m["field"] for m in doc.get("missing_evidence", [])]


# ---- forecast ----------------------------------------------------------------------------------

_CONVERGENCE = ("state", "period", "low", "high", "cycle_mean", "rounds")


def _forecast_row(issue, model, f):
    """One forecast as a flat row: value, words, convergence (state, period, low, high: empty
    for settled or static models) and, for categorical issues, the option and p_OPTION columns."""
    row = {"issue": issue["id"], "kind": issue.get("kind"), "model": model}
    row.update(_scalars(f))
    c = f.get("convergence") or {}
    for k in _CONVERGENCE:
        row["convergence_" + k] = c.get(k)
    for option, p in (f.get("option_probabilities") or {}).items():
        row["p_" + option] = p
    return row


def forecast(scenario, model=None, seed=None, drop=(), set=(), settle="last", as_frame=False, **params):
    """Forecast every issue: {model: {issue_id: {"value", "in_words", "settled", ...}}}, one entry
    per model asked (None: the default list). A dynamic model that has not settled carries
    "settled": False and "convergence" (state "cycle" or "drift", period, low, high): the value is
    its last round's. Categorical issues carry "option" and "option_probabilities".
    as_frame: one row per (issue, model) with convergence_* and p_OPTION columns."""
    doc = json.loads(_entente.forecast(_scenario(scenario), _edits(drop, set), _names(model), _params(params), seed,
                                       settle, "json"))
    ran = [m["name"] for m in doc["models"]]
    if as_frame:
        return _frame([_forecast_row(issue, m, issue["forecasts"][m]) for issue in doc["issues"] for m in ran
                       if m in issue["forecasts"]])
    return {m: {issue["id"]: issue["forecasts"][m] for issue in doc["issues"] if m in issue["forecasts"]} for m in ran}


# ---- trace -------------------------------------------------------------------------------------

def trace(scenario, model="bdm", rounds=None, seed=None, issue="", events=(), drop=(), set=(), as_frame=False,
          **params):
    """The round-by-round trace of each dynamic model asked: {model: {"rounds": [{"round",
    series...}], ...}}. events: "offer" (bdm), "exchange" or "externality" (exchange).
    as_frame: the CSV layout of `entente trace --format csv`, with a model column."""
    if isinstance(events, str):
        events = [events] if events else []
    rounds = _check_int("rounds", rounds, 0) if rounds is not None else 0
    sc, edits = _scenario(scenario), _edits(drop, set)
    out, frames = {}, []
    for m in _names(model):
        args = (sc, edits, m, _params(params), seed, rounds, issue, list(events))
        if as_frame:
            import pandas
            df = pandas.read_csv(io.StringIO(_entente.trace(*args, "csv")))
            df.insert(0, "model", m)
            frames.append(df)
        else:
            out[m] = json.loads(_entente.trace(*args, "json"))
    if as_frame:
        import pandas
        return pandas.concat(frames, ignore_index=True) if frames else _frame([])
    return out


# ---- simulate ----------------------------------------------------------------------------------

def _option_name(issue, value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    k = int(round(value))
    opts = issue.get("options") or []
    return opts[k]["option"] if 0 <= k < len(opts) else None


def simulate(scenario, model="compromise", draws=1000, seed=None, threads=0, bins=10, drop=(), set=(),
             settle="last", keep_draws=False, as_frame=False, **params):
    """Monte Carlo over the scenario's uncertain inputs: {model: summary}, where summary is the
    `entente simulate --format json` document of that model: per issue the forecast's
    distribution (numeric issues: mean, sd, quantiles, histogram; categorical issues: each
    option's share of the draws, never a mean of option numbers; dynamic models: the share of
    draws that settled, cycled, drifted). Same seed, same result on any thread count.
    keep_draws: each summary also has "draws": [{"draw", ISSUE: value or option name,
    "convergence": {ISSUE: state}}].
    as_frame: one row per (model, issue, option) with quantile columns q5..q95 and
    share_settled/share_cycle/share_drift; with keep_draws, one row per (model, draw) instead,
    a column per issue (categorical: the option name)."""
    draws = _check_int("draws", draws, 1)
    threads = _check_int("threads", threads, 0)
    bins = _check_int("bins", bins, 1)
    text, kept = _entente.simulate(_scenario(scenario), _edits(drop, set), _names(model), _params(params), seed,
                                   settle, draws, threads, bins, bool(keep_draws))
    doc = json.loads(text)
    sims = doc["simulations"] if "simulations" in doc else [doc]
    out = {}
    for sim in sims:
        s = {k: v for k, v in sim.items() if k not in ("scenario",)}
        s["provenance"] = doc.get("provenance")
        out[sim["model"]] = s
    for name, rows in kept:
        issues = out[name]["issues"]
        out[name]["draws"] = [
            dict({"draw": d},
                 **{issues[i]["id"]: (_option_name(issues[i], v) if issues[i]["kind"] == "categorical"
                                      else (None if math.isnan(v) else v)) for i, v in enumerate(values)},
                 convergence={issues[i]["id"]: st for i, st in enumerate(states)})
            for d, values, states in rows]
    if not as_frame:
        return out
    rows = []
    if keep_draws:
        for name, s in out.items():
            for d in s["draws"]:
                row = {"model": name}
                row.update({k: v for k, v in d.items() if k != "convergence"})
                row.update({"convergence_" + k: v for k, v in d["convergence"].items()})
                rows.append(row)
        return _frame(rows)
    for name, s in out.items():
        for issue in s.get("issues", []):
            base = {"model": name, "issue": issue.get("id"), "kind": issue.get("kind"), "draws": issue.get("draws")}
            c = issue.get("convergence") or {}
            shares = {"share_settled": c.get("settled"), "share_cycle": c.get("cycle"), "share_drift": c.get("drift")}
            if issue.get("kind") == "categorical":
                for o in issue.get("options", []):
                    row = dict(base)
                    row.update(_scalars(o))
                    row.update(shares)
                    rows.append(row)
                continue
            row = dict(base)
            f = issue.get("forecast", {})
            row.update({k: v for k, v in _scalars(f).items() if k != "n"})
            row.update({"q%s" % k: v for k, v in (f.get("quantiles") or {}).items()})
            row.update(shares)
            rows.append(row)
    return _frame(rows)


# ---- sensitivity, whatif, backtest ---------------------------------------------------------------

def sensitivity(scenario, model="compromise", seed=None, drop=(), set=(), settle="last", all=False, top=10,
                as_frame=False, **params):
    """One-at-a-time sensitivity (tornado) of each issue's forecast to each uncertain input and
    to dropping each actor: {model: {"issues": [{"id", "figure", "base", "ranking": [...]}]}},
    the `top` inputs that move it (largest swing first; all=True: every input). Categorical
    issues: the figure is the probability of the base forecast's option ("P(Istanbul)").
    as_frame: one row per (model, issue, rank)."""
    top = _check_int("top", top, 0)
    sc, edits = _scenario(scenario), _edits(drop, set)
    out = {m: json.loads(_entente.sensitivity(sc, edits, m, _params(params), seed, settle, bool(all), top))
           for m in _names(model)}
    if not as_frame:
        return out
    rows = []
    for m, doc in out.items():
        for issue in doc["issues"]:
            for rank, e in enumerate(issue["ranking"], 1):
                row = {"model": m, "issue": issue["id"], "figure": issue["figure"], "option": issue.get("option"),
                       "base": issue["base"], "rank": rank}
                row.update(_scalars(e))
                rows.append(row)
    return _frame(rows, columns=["model", "issue", "figure", "option", "base", "rank", "kind", "label", "low", "high",
                                 "forecast_low", "forecast_high", "forecast", "swing", "note"])


def whatif(scenario, model="compromise", actor="", issue="", target=0.0, lever="position", seed=None, drop=(),
           set=(), settle="last", as_frame=False, **params):
    """The smallest change of `actor`'s lever (position, salience or capability) that moves the
    forecast of `issue` to `target` (a number, or an option of a categorical issue):
    {model: {"reachable", "current", "value", "forecast", ...}}; "reachable": False when none
    within bounds does. as_frame: one row per model."""
    sc, edits = _scenario(scenario), _edits(drop, set)
    out = {m: json.loads(_entente.whatif(sc, edits, m, _params(params), seed, settle, actor, issue, str(target), lever))
           for m in _names(model)}
    if as_frame:
        return _frame([dict({"model": m}, **_scalars(doc)) for m, doc in out.items()])
    return out


def _strings(x):
    if x is None:
        return []
    if isinstance(x, str):
        return [v for v in x.split(",") if v]
    return list(x)


def backtest(path, model=None, capability="equal", seed=None, as_frame=False, candidates=None, select_on=None,
             criterion="crps", baseline="", bootstrap=2000, min_actors=3, **params):
    """Score forecasters on DEU-layout data (docs/accuracy.md), as `entente backtest` does.

    model: one model (default compromise), or candidates: specs MODEL[/KEY=VALUE]... (a list or a
    comma-separated string); select_on: choose one candidate on these splits only (never "test") by
    `criterion` ("crps" or "mae") and score it once on the rest. Returns the JSON document of
    `entente backtest --format json` ({"splits": {split: {"n", "mae", "crps", "hit10", ...}},
    "candidates", "selected", "selection", ...}) with "issues": the per-issue table of every
    candidate, the one `entente backtest --per-issue` writes (same columns, `candidate` first).
    as_frame: that table as a pandas DataFrame."""
    models = _strings(model)
    doc_text, issues_csv = _entente.backtest(os.fspath(path), models, _params(params), seed, capability,
                                             _strings(candidates), _strings(select_on), criterion, baseline,
                                             int(bootstrap), int(min_actors))
    if as_frame:
        import pandas
        return pandas.read_csv(io.StringIO(issues_csv), dtype={"candidate": str, "issue": str, "proposal": str,
                                                               "split": str})
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

"""The Python module against the same numbers as the C++ tests (independent sources: the
spec's baseline table, the DEU reference MAEs, hand calculations)."""
import math
import os
import subprocess
import json

import pytest

import entente

DATA = os.environ.get("ENTENTE_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))
ROOT = os.environ.get("ENTENTE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("ENTENTE_BINARY", "entente")
EC = os.path.join(DATA, "cases", "bdm1994_emission_standards_actors.csv")
ISTANBUL = os.path.join(ROOT, "scenarios", "istanbul-2025.yaml")


def hand_scenario():
    # c*s-weighted mean: (0*1*1 + 50*2*0.5 + 100*1*0.5) / (1 + 1 + 0.5) = 40.
    return {
        "title": "hand",
        "issues": [{"id": "i", "name": "I", "scale": {"min": 0, "max": 100}}],
        "actors": [
            {"id": "a", "name": "A", "capability": 1, "issues": {"i": {"position": 0, "salience": 1}}},
            {"id": "b", "name": "B", "capability": 2, "issues": {"i": {"position": 50, "salience": 0.5}}},
            {"id": "c", "name": "C", "capability": 1, "issues": {"i": {"position": 100, "salience": 0.5}}},
        ],
    }


def test_forecast_from_dict_matches_hand_calculation():
    f = entente.forecast(hand_scenario(), model="compromise")
    assert f["compromise"]["i"]["value"] == pytest.approx(40.0, abs=1e-12)
    assert entente.forecast(hand_scenario(), model="mean")["mean"]["i"]["value"] == pytest.approx(50.0)


def test_forecast_from_path_matches_spec_table():
    # specs/bdm.md §2: c*s-mean 7.389956, NBS (quadratic, D = range^2) 7.252646.
    both = entente.forecast(EC, model=["compromise", "nbs"])
    assert both["compromise"]["issue"]["value"] == pytest.approx(7.389956, abs=1e-6)
    assert both["nbs"]["issue"]["value"] == pytest.approx(7.252646, abs=1e-6)
    lin = entente.forecast(EC, model="nbs", loss="linear")["nbs"]
    assert lin["issue"]["value"] == pytest.approx(7.073281, abs=1e-6)


def test_forecast_same_as_cli():
    out = subprocess.run([BINARY, "forecast", ISTANBUL, "--model", "compromise", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    cli = {i["id"]: i["forecasts"]["compromise"]["value"] for i in json.loads(out)["issues"]}
    py = entente.forecast(ISTANBUL, model="compromise")["compromise"]
    for issue, value in cli.items():
        if value is None:
            assert py[issue]["value"] is None
        else:
            assert py[issue]["value"] == value


def test_whatif_edits():
    f = entente.forecast(hand_scenario(), model="compromise", drop=["c"])["compromise"]
    # (0*1 + 50*1) / 2 = 25
    assert f["i"]["value"] == pytest.approx(25.0)
    g = entente.forecast(hand_scenario(), model="compromise", set=["a.i.salience=0"])["compromise"]
    # (50*1 + 100*0.5) / 1.5 = 66.67
    assert g["i"]["value"] == pytest.approx(100 / 1.5)


def test_bad_input_raises_input_error_with_cli_message():
    bad = hand_scenario()
    bad["actors"][0]["capability"] = -1
    with pytest.raises(entente.InputError) as e:
        entente.forecast(bad)
    assert "capability" in str(e.value)
    with pytest.raises(entente.InputError):
        entente.forecast(hand_scenario(), model="no-such-model")
    with pytest.raises(entente.InputError):
        entente.forecast("/nonexistent/file.yaml")
    with pytest.raises(ValueError):  # InputError is a ValueError
        entente.forecast(hand_scenario(), model="median", weigth="c")


def test_trace_bdm_round_one():
    # specs/bdm.md §4.3: round 1 median 8.415932315, mean 7.461314378.
    t = entente.trace(EC, model="bdm", rounds=2)["bdm"]
    r1 = t["rounds"][1]
    assert r1["median"][0] == pytest.approx(8.415932315, rel=1e-9)
    assert r1["mean"][0] == pytest.approx(7.461314378, rel=1e-9)


def test_simulate_is_deterministic():
    a = entente.simulate(ISTANBUL, model="compromise", draws=200, seed=7, threads=1)
    b = entente.simulate(ISTANBUL, model="compromise", draws=200, seed=7, threads=2)
    assert a["compromise"]["issues"] == b["compromise"]["issues"]


def test_backtest_reference_mae():
    # backtest returns one document (candidates inside it), as `entente backtest --format json`.
    r = entente.backtest(os.path.join(DATA, "deu3", "deu3-train-dev.csv"), model="compromise")
    assert r["splits"]["train"]["n"] == 140
    assert r["splits"]["train"]["mae"] == pytest.approx(23.301, abs=5e-4)
    assert r["splits"]["dev"]["mae"] == pytest.approx(25.695, abs=5e-4)
    assert len(r["issues"]) == 245


def test_backtest_per_issue_table_is_the_clis(tmp_path):
    # Issue 12: the CLI's per-issue CSV had 7 columns and Python's 6. Both are now the one table of
    # the presentation layer (backtest_issues): same columns, same rows, candidate column first.
    deu = os.path.join(DATA, "deu3", "deu3-train-dev.csv")
    cands = "compromise,compromise/cap=vote-weights/p0=base"
    per_issue = tmp_path / "issues.csv"
    subprocess.run([BINARY, "backtest", deu, "--candidates", cands, "--bootstrap", "0", "--per-issue", str(per_issue),
                    "--format", "json", "--no-store"], check=True, capture_output=True, text=True)
    import csv
    with open(per_issue, newline="") as f:
        cli_rows = list(csv.DictReader(f))
    py = entente.backtest(deu, candidates=cands, bootstrap=0)
    assert list(cli_rows[0].keys()) == list(py["issues"][0].keys())
    assert list(cli_rows[0].keys())[0] == "candidate"
    assert cli_rows == py["issues"]
    assert len(py["issues"]) == 2 * 245
    assert py["candidates"][1]["splits"]["train"]["brier_no_change"] is not None


def test_backtest_frame_has_the_cli_columns(tmp_path):
    pytest.importorskip("pandas")
    deu = os.path.join(DATA, "deu3", "deu3-train-dev.csv")
    per_issue = tmp_path / "issues.csv"
    subprocess.run([BINARY, "backtest", deu, "--bootstrap", "0", "--per-issue", str(per_issue), "--no-store"],
                   check=True, capture_output=True, text=True)
    with open(per_issue) as f:
        header = f.readline().strip().split(",")
    df = entente.backtest(deu, bootstrap=0, as_frame=True)
    assert list(df.columns) == header


def test_backtest_selection_from_python():
    deu = os.path.join(DATA, "deu3", "deu3-train-dev.csv")
    r = entente.backtest(deu, candidates=["compromise/cap=vote-weights", "compromise/cap=vote-weights/spread=residuals"],
                         select_on="train", bootstrap=0)
    assert r["selected"] == "compromise/cap=vote-weights/spread=residuals"
    assert r["selection"]["consulted"] == ["train"]
    with pytest.raises(entente.InputError):
        entente.backtest(deu, candidates="compromise", select_on="test")


def test_whatif_reaches_hand_target():
    # Move a's position so the compromise reaches 50: (1*x + 50 + 50)/2.5 = 50 -> x = 25.
    w = entente.whatif(hand_scenario(), model="compromise", actor="a", issue="i", target=50)["compromise"]
    assert w["reachable"]
    assert w["value"] == pytest.approx(25.0, abs=1e-3)


def test_models_listed():
    names = {m["name"] for m in entente.models()}
    assert {"mean", "compromise", "median", "nbs", "bdm"} <= names


def test_frames_when_pandas_installed():
    pandas = pytest.importorskip("pandas")
    df = entente.forecast(ISTANBUL, model=["compromise", "median"], as_frame=True)
    assert isinstance(df, pandas.DataFrame)
    assert set(df["model"]) == {"compromise", "median"}
    tr = entente.trace(EC, model="bdm", rounds=3, as_frame=True)
    assert list(tr.columns[:4]) == ["model", "round", "median", "mean"]
    assert len(tr) == 4
    bt = entente.backtest(os.path.join(DATA, "deu3", "deu3-train-dev.csv"), as_frame=True)
    assert len(bt) == 245


def test_simulate_frame_has_quantiles():
    pytest.importorskip("pandas")
    df = entente.simulate(ISTANBUL, model="compromise", draws=100, seed=1, as_frame=True)
    assert {"issue", "mean", "q5", "q50", "q95"} <= set(df.columns)


def test_example_script_runs():
    script = os.path.join(ROOT, "examples", "istanbul_analysis.py")
    out = subprocess.run([os.sys.executable, script], check=True, capture_output=True, text=True,
                         env=dict(os.environ)).stdout
    assert "compromise under uncertainty" in out
    # Issue 12's test case, in the example's words: bdm's regions forecast cycles.
    assert "bdm on regions: 89.01 at the last round, but it cycles 40.00 <-> 89.01 with period 3" in out


# ---- One result shape, frames everywhere, draws, errors (issues 12 and 15) ----------------------

def uncertain_hand():
    # The hand scenario with a's position uniform on [0, 10]: compromise = (x + 50 + 50) / 2.5
    # = 40 + 0.4 x, so every draw lies in [40, 44].
    sc = hand_scenario()
    sc["actors"][0]["issues"]["i"]["position"] = {"value": 0, "uncertainty": {"distribution": "uniform", "low": 0,
                                                                              "high": 10}}
    return sc


def test_one_shape_for_one_or_many_models():
    one = entente.forecast(hand_scenario(), model="compromise")
    many = entente.forecast(hand_scenario(), model=["compromise", "mean"])
    assert list(one) == ["compromise"] and list(many) == ["compromise", "mean"]
    assert one["compromise"] == many["compromise"]
    s1 = entente.simulate(uncertain_hand(), model="compromise", draws=50, seed=3)
    s2 = entente.simulate(uncertain_hand(), model=["compromise", "mean"], draws=50, seed=3)
    assert list(s1) == ["compromise"] and list(s2) == ["compromise", "mean"]
    assert s1["compromise"]["issues"] == s2["compromise"]["issues"]
    for f in (entente.sensitivity, entente.whatif):
        kw = {"actor": "a", "issue": "i", "target": 50} if f is entente.whatif else {}
        assert list(f(hand_scenario(), model=["compromise", "mean"], **kw)) == ["compromise", "mean"]
    assert list(entente.trace(EC, model=["bdm"], rounds=2)) == ["bdm"]


def test_bdm_regions_cycles_in_python():
    # Issue 12: the Istanbul regions issue under bdm is 89 at 10 rounds and 40 at 8, 9, 11, 12:
    # a cycle of period 3 between 40 and 89.01.
    f = entente.forecast(ISTANBUL, model="bdm")["bdm"]["regions"]
    assert f["settled"] is False
    assert f["convergence"]["state"] == "cycle"
    assert f["convergence"]["period"] == 3
    assert f["convergence"]["low"] == pytest.approx(40, abs=0.01)
    assert f["convergence"]["high"] == pytest.approx(89.01, abs=0.01)


def test_every_function_has_a_frame():
    pandas = pytest.importorskip("pandas")
    bt = os.path.join(DATA, "deu3", "deu3-train-dev.csv")
    frames = {
        "forecast": entente.forecast(ISTANBUL, model=["compromise", "bdm", "smp"], as_frame=True),
        "trace": entente.trace(EC, model="bdm", rounds=2, as_frame=True),
        "simulate": entente.simulate(ISTANBUL, model=["compromise", "smp"], draws=20, seed=1, as_frame=True),
        "sensitivity": entente.sensitivity(hand_scenario(), model="compromise", as_frame=True),
        "whatif": entente.whatif(hand_scenario(), model="compromise", actor="a", issue="i", target=50, as_frame=True),
        "backtest": entente.backtest(bt, as_frame=True),
    }
    for name, df in frames.items():
        assert isinstance(df, pandas.DataFrame), name
        # backtest rows belong to a candidate (a model with its options): the column says which.
        assert ("candidate" if name == "backtest" else "model") in df.columns, name
        assert len(df) > 0, name
    fc = frames["forecast"].set_index(["issue", "model"])
    # Convergence columns: bdm's regions cycles with period 3 (issue 12's test case).
    assert fc.loc[("regions", "bdm"), "convergence_state"] == "cycle"
    assert fc.loc[("regions", "bdm"), "convergence_period"] == 3
    assert fc.loc[("regions", "bdm"), "settled"] == False  # noqa: E712 (numpy bool)
    # Categorical issues: option probabilities as p_OPTION columns, summing to 1, never a mean.
    # (smp forecasts categorical issues; the baselines leave them undefined.)
    venue = fc.loc[("venue", "smp")]
    probs = [venue[c] for c in fc.columns if c.startswith("p_") and not pandas.isna(venue[c])]
    assert len(probs) >= 2 and sum(probs) == pytest.approx(1.0)
    assert isinstance(venue["option"], str)
    sim = frames["simulate"]
    cat = sim[(sim["kind"] == "categorical") & (sim["model"] == "smp")]
    assert {"option", "share"} <= set(cat.columns) and len(cat) > 0
    for _, g in cat.groupby("issue"):
        assert g["share"].sum() == pytest.approx(1.0)
    assert cat["mean"].isna().all()  # no mean of option numbers
    # Hand sensitivity: moving a's position over [0, 10] moves the compromise 40 -> 44 (swing 4).
    sens = entente.sensitivity(uncertain_hand(), model="compromise", as_frame=True)
    row = sens[sens["label"].str.contains("a.i.position")].iloc[0]
    assert row["forecast_low"] == pytest.approx(40.0) and row["forecast_high"] == pytest.approx(44.0)
    assert row["swing"] == pytest.approx(4.0)


def test_simulate_keeps_draws():
    s = entente.simulate(uncertain_hand(), model="compromise", draws=40, seed=5, keep_draws=True)["compromise"]
    draws = s["draws"]
    assert [d["draw"] for d in draws] == list(range(40))
    values = [d["i"] for d in draws]
    assert all(40.0 <= v <= 44.0 for v in values)  # 40 + 0.4 x with x in [0, 10]
    assert len(set(values)) > 1
    # The kept draws are the ones summarised: same mean, summed in draw order.
    assert sum(values) / len(values) == pytest.approx(s["issues"][0]["forecast"]["mean"], rel=1e-12)
    # Without keep_draws, no draws; the summary is the same.
    t = entente.simulate(uncertain_hand(), model="compromise", draws=40, seed=5)["compromise"]
    assert "draws" not in t and t["issues"] == s["issues"]
    pandas = pytest.importorskip("pandas")
    df = entente.simulate(uncertain_hand(), model=["compromise", "mean"], draws=40, seed=5, keep_draws=True,
                          as_frame=True)
    assert isinstance(df, pandas.DataFrame) and len(df) == 80
    assert list(df[df["model"] == "compromise"]["i"]) == values


def test_simulate_keeps_categorical_draws_as_option_names():
    s = entente.simulate(ISTANBUL, model="smp", draws=10, seed=1, keep_draws=True)["smp"]
    venue = [d["venue"] for d in s["draws"]]
    options = [o["option"] for o in next(i for i in s["issues"] if i["id"] == "venue")["options"]]
    assert all(v in options for v in venue)


def test_errors_name_fields_not_flags():
    cases = [
        (lambda: entente.forecast(hand_scenario(), model="no-such-model"), "model"),
        (lambda: entente.forecast(hand_scenario(), model="median", weigth="c"), "weigth"),
        (lambda: entente.simulate(hand_scenario(), model="compromise", draws=0), "draws"),
        (lambda: entente.simulate(hand_scenario(), model="compromise", draws="many"), "draws"),
        (lambda: entente.trace(EC, model="bdm", rounds=-1), "rounds"),
        (lambda: entente.forecast(hand_scenario(), model="compromise", set=["a.i.salience=x"]), "salience"),
        (lambda: entente.forecast(hand_scenario(), model="compromise", drop=["nobody"]), "nobody"),
    ]
    for call, field in cases:
        with pytest.raises(entente.InputError) as e:
            call()
        msg = str(e.value)
        assert field in msg, msg
        assert "--" not in msg, "an error names a CLI flag: " + msg


def test_deal_same_as_cli():
    # entente.deal returns the document of `entente deal --format json` (minus what differs by run:
    # provenance's run id, seconds).
    out = subprocess.run([BINARY, "deal", ISTANBUL, "-m", "compromise", "--draws", "200", "--seed", "1",
                          "--threads", "1", "--format", "json", "--no-store"],
                         capture_output=True, text=True, check=True)
    cli = json.loads(out.stdout)
    py = entente.deal(ISTANBUL, model="compromise", draws=200, seed=1, threads=1)
    for key in ("possible", "maximin", "issues", "models", "veto_players", "p_pivotal"):
        assert py[key] == cli[key], key
    assert 0.0 <= py["possible"] <= 1.0
    m = py["models"]["compromise"]
    assert set(("acceptable", "blockers", "margins", "p_acceptable")) <= set(m)
    assert set(m["margins"]) == {"russia", "ukraine", "united_states", "europe"}

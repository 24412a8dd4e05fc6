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
    assert f["i"]["value"] == pytest.approx(40.0, abs=1e-12)
    assert entente.forecast(hand_scenario(), model="mean")["i"]["value"] == pytest.approx(50.0)


def test_forecast_from_path_matches_spec_table():
    # specs/bdm.md §2: c*s-mean 7.389956, NBS (quadratic, D = range^2) 7.252646.
    both = entente.forecast(EC, model=["compromise", "nbs"])
    assert both["compromise"]["issue"]["value"] == pytest.approx(7.389956, abs=1e-6)
    assert both["nbs"]["issue"]["value"] == pytest.approx(7.252646, abs=1e-6)
    lin = entente.forecast(EC, model="nbs", loss="linear")
    assert lin["issue"]["value"] == pytest.approx(7.073281, abs=1e-6)


def test_forecast_same_as_cli():
    out = subprocess.run([BINARY, "forecast", ISTANBUL, "--model", "compromise", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    cli = {i["id"]: i["forecasts"]["compromise"]["value"] for i in json.loads(out)["issues"]}
    py = entente.forecast(ISTANBUL, model="compromise")
    for issue, value in cli.items():
        if value is None:
            assert py[issue]["value"] is None
        else:
            assert py[issue]["value"] == value


def test_whatif_edits():
    f = entente.forecast(hand_scenario(), model="compromise", drop=["c"])
    # (0*1 + 50*1) / 2 = 25
    assert f["i"]["value"] == pytest.approx(25.0)
    g = entente.forecast(hand_scenario(), model="compromise", set=["a.i.salience=0"])
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
    t = entente.trace(EC, model="bdm", rounds=2)
    r1 = t["rounds"][1]
    assert r1["median"][0] == pytest.approx(8.415932315, rel=1e-9)
    assert r1["mean"][0] == pytest.approx(7.461314378, rel=1e-9)


def test_simulate_is_deterministic():
    a = entente.simulate(ISTANBUL, model="compromise", draws=200, seed=7, threads=1)
    b = entente.simulate(ISTANBUL, model="compromise", draws=200, seed=7, threads=2)
    assert a["issues"] == b["issues"]


def test_backtest_reference_mae():
    r = entente.backtest(os.path.join(DATA, "deu3", "deu3-train-dev.csv"), model="compromise")
    assert r["splits"]["train"]["n"] == 140
    assert r["splits"]["train"]["mae"] == pytest.approx(23.301, abs=5e-4)
    assert r["splits"]["dev"]["mae"] == pytest.approx(25.695, abs=5e-4)
    assert len(r["issues"]) == 245


def test_whatif_reaches_hand_target():
    # Move a's position so the compromise reaches 50: (1*x + 50 + 50)/2.5 = 50 -> x = 25.
    w = entente.whatif(hand_scenario(), model="compromise", actor="a", issue="i", target=50)
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
    assert list(tr.columns[:3]) == ["round", "median", "mean"]
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

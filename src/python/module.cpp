// _entente: the compiled core of the Python module. A thin adapter over the request layer: each
// function builds a request, runs it without the GIL and returns the presentation layer's JSON
// (the same text as `--format json`), which the Python package turns into objects or frames.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "entente/analysis.hpp"
#include "entente/model.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"
#include "entente/scenario.hpp"
#include "entente/version.hpp"

namespace py = pybind11;
using namespace entente;

namespace {

// What a Python call says about the scenario: the loaded Scenario and its what-ifs, each
// ("drop", actor) or ("set", "ACTOR.ISSUE.FIELD=V"). Errors in an edit point at `<python>`.
ScenarioSource source(const Scenario& sc, const std::vector<std::pair<std::string, std::string>>& edits) {
  ScenarioSource s;
  s.scenario = std::make_shared<const Scenario>(sc);
  for (std::size_t k = 0; k < edits.size(); ++k) {
    const SourceLocation origin{"<python>", 0, 0};
    const auto& [kind, text] = edits[k];
    s.edits.push_back(kind == "drop" ? Edit::drop_actor(text, origin) : Edit::parse_set(text, origin));
  }
  return s;
}

// Models, "KEY=VALUE" options (routed by the request layer's one rule), seed (None: the
// scenario's `seed:`, else 0) and the settle rule.
ModelSelection selection(const std::vector<std::string>& models, const std::vector<std::string>& params,
                         std::optional<std::uint64_t> seed, const std::string& settle) {
  ModelSelection m;
  m.models = models;
  m.params = params;
  m.seed = seed;
  m.settle = parse_settle(settle);
  return m;
}

using Edits = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

std::string py_forecast(const Scenario& sc, const Edits& edits, const Strings& models, const Strings& params,
                        std::optional<std::uint64_t> seed, const std::string& settle, const std::string& format) {
  ForecastRequest rq;
  rq.scenario = source(sc, edits);
  rq.models = selection(models, params, seed, settle);
  const auto f = parse_format(format);
  py::gil_scoped_release release;
  return render(forecast(rq), f);
}

std::string py_trace(const Scenario& sc, const Edits& edits, const std::string& model, const Strings& params,
                     std::optional<std::uint64_t> seed, int rounds, const std::string& issue, const Strings& events,
                     const std::string& format) {
  TraceRequest rq;
  rq.scenario = source(sc, edits);
  rq.models = selection({model}, params, seed, "last");
  rq.rounds = rounds;
  rq.issue = issue;
  rq.events = events;
  const auto f = parse_format(format);
  py::gil_scoped_release release;
  return render(trace(rq), f);
}

// The simulate JSON and, with keep_draws, every draw's outcome per model: a list of
// (draw index, [value per issue], [convergence state per issue]) with NaN where undefined
// (categorical issues: the option index).
py::tuple py_simulate(const Scenario& sc, const Edits& edits, const Strings& models, const Strings& params,
                      std::optional<std::uint64_t> seed, const std::string& settle, std::uint64_t draws,
                      unsigned threads, int bins, bool keep_draws) {
  SimulateRequest rq;
  rq.scenario = source(sc, edits);
  rq.models = selection(models, params, seed, settle);
  rq.draws = draws;
  rq.threads = threads;
  if (bins > 0) rq.bins = bins;
  rq.keep_draws = keep_draws;
  SimulateResponse r;
  std::string text;
  {
    py::gil_scoped_release release;
    r = simulate(rq);
    text = render(r, Format::json);
  }
  py::list per_model;
  for (const auto& sim : r.draws) {
    py::list rows;
    for (const auto& o : sim.outcomes) {
      std::vector<std::string> states;
      for (auto c : o.convergence) states.emplace_back(to_string(static_cast<Convergence::State>(c)));
      rows.append(py::make_tuple(o.draw, o.values, states));
    }
    per_model.append(py::make_tuple(sim.model, rows));
  }
  return py::make_tuple(text, per_model);
}

std::string py_deal(const Scenario& sc, const Edits& edits, const Strings& models, const Strings& params,
                    std::optional<std::uint64_t> seed, const std::string& settle, std::uint64_t draws, unsigned threads) {
  DealRequest rq;
  rq.scenario = source(sc, edits);
  rq.models = selection(models, params, seed, settle);
  rq.draws = draws;
  rq.threads = threads;
  py::gil_scoped_release release;
  return render(deal(rq), Format::json);
}

std::string py_sensitivity(const Scenario& sc, const Edits& edits, const std::string& model, const Strings& params,
                           std::optional<std::uint64_t> seed, const std::string& settle, bool all, std::size_t top) {
  SensitivityRequest rq;
  rq.scenario = source(sc, edits);
  rq.models = selection({model}, params, seed, settle);
  rq.all = all;
  rq.top = top;
  py::gil_scoped_release release;
  return render(sensitivity(rq), Format::json);
}

std::string py_whatif(const Scenario& sc, const Edits& edits, const std::string& model, const Strings& params,
                      std::optional<std::uint64_t> seed, const std::string& settle, const std::string& actor,
                      const std::string& issue, const std::string& target, const std::string& lever) {
  WhatIfRequest rq;
  rq.scenario = source(sc, edits);
  rq.models = selection({model}, params, seed, settle);
  rq.options.actor = actor;
  rq.options.issue = issue;
  rq.options.lever = lever;
  rq.target = target;
  py::gil_scoped_release release;
  return render(whatif(rq), Format::json);
}

// The JSON summary and the per-issue table (CSV), the same two as `entente backtest` and
// `--per-issue`: one layout, built by the presentation layer (render, backtest_issues).
py::tuple py_backtest(const std::string& path, const Strings& models, const Strings& params, std::optional<std::uint64_t> seed,
                      const std::string& capability, const Strings& candidates, const Strings& select_on,
                      const std::string& criterion, const std::string& baseline, int bootstrap, int min_actors) {
  BacktestRequest rq;
  rq.file = path;
  rq.models = selection(models, params, seed, "last");
  rq.capability = capability;
  rq.candidates = candidates;
  rq.select_on = select_on;
  rq.criterion = criterion;
  rq.baseline = baseline;
  rq.bootstrap = bootstrap;
  rq.min_actors = min_actors;
  BacktestResponse r;
  {
    py::gil_scoped_release release;
    r = backtest(rq);
  }
  return py::make_tuple(render(r, Format::json), render(backtest_issues(r), Format::csv));
}

}  // namespace

PYBIND11_MODULE(_entente, m) {
  m.doc() = "entente: forecasts of multi-party negotiations (compiled core; use the `entente` package)";
  m.attr("__version__") = entente::version;
  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      input_error(e.what());
    } catch (const ResourceError& e) {
      PyErr_SetString(PyExc_MemoryError, e.what());
    }
  });

  py::class_<Scenario>(m, "Scenario")
      .def_property_readonly("title", [](const Scenario& s) { return s.title; })
      .def_property_readonly("as_of", [](const Scenario& s) { return s.as_of; })
      .def_property_readonly("actors",
                             [](const Scenario& s) {
                               std::vector<std::string> ids;
                               for (const auto& a : s.actors) ids.push_back(a.id);
                               return ids;
                             })
      .def_property_readonly("issues",
                             [](const Scenario& s) {
                               std::vector<std::string> ids;
                               for (const auto& i : s.issues) ids.push_back(i.id);
                               return ids;
                             })
      .def("to_yaml", [](const Scenario& s) { return to_yaml(s); })
      .def("to_json", [](const Scenario& s) { return to_json(s); })
      .def("__repr__", [](const Scenario& s) {
        return "<entente.Scenario '" + s.title + "': " + std::to_string(s.actors.size()) + " actors, " +
               std::to_string(s.issues.size()) + " issues>";
      });

  m.def("load", &load_scenario, py::arg("path"));
  m.def("parse", &parse_scenario, py::arg("text"), py::arg("name"));
  m.def("apply_edits", [](const Scenario& s, const Edits& edits) { return resolve_scenario(source(s, edits)); });
  m.def("validate", [](const Scenario& s, const Edits& edits) {
    ValidateRequest rq;
    rq.scenario = source(s, edits);
    rq.evidence = true;
    return render(validate(rq), Format::json);
  });
  m.def("models", [] { return render(list_models(), Format::json); });
  m.def("forecast", &py_forecast);
  m.def("trace", &py_trace);
  m.def("simulate", &py_simulate);
  m.def("sensitivity", &py_sensitivity);
  m.def("whatif", &py_whatif);
  m.def("backtest", &py_backtest);
  m.def("deal", &py_deal);
}

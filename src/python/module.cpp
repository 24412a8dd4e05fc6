// _entente: the compiled core of the Python module. A thin adapter: every function calls the
// library and returns the same JSON the CLI prints, which the Python package turns into objects.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <string>
#include <vector>

#include "entente/analysis.hpp"
#include "entente/backtest.hpp"
#include "entente/edit.hpp"
#include "entente/model.hpp"
#include "entente/output.hpp"
#include "entente/scenario.hpp"
#include "entente/version.hpp"

namespace py = pybind11;
using namespace entente;

namespace {

Params to_params(const std::map<std::string, std::string>& p) {
  Params out;
  for (const auto& [k, v] : p) out.set(k, v);
  return out;
}

Format to_format(const std::string& f) { return parse_format(f); }

std::string py_forecast(const Scenario& sc, const std::vector<std::string>& models,
                     const std::map<std::string, std::string>& params, std::uint64_t seed, const std::string& format) {
  std::vector<Result> results;
  {
    py::gil_scoped_release release;
    for (const auto& m : models) {
      // A parameter applies to the models that declare it (as on the command line).
      Params p;
      for (const auto& [k, v] : params) {
        bool declared = false;
        for (const auto& spec : find_model(m).info().params) declared = declared || spec.name == k;
        if (declared || models.size() == 1) p.set(k, v);
      }
      results.push_back(run_model(sc, m, p, seed));
    }
  }
  return write_forecasts(sc, results, to_format(format));
}

std::string py_trace(const Scenario& sc, const std::string& model, const std::map<std::string, std::string>& params,
                  std::uint64_t seed, const std::string& issue, const std::string& format, const std::string& events) {
  Result r;
  {
    py::gil_scoped_release release;
    r = run_model(sc, model, to_params(params), seed);
  }
  TraceOptions o;
  o.issue = issue;
  o.event_kind = events;
  o.events = !events.empty();
  return write_trace(sc, r, to_format(format), o);
}

std::string py_simulate(const Scenario& sc, const std::string& model, const std::map<std::string, std::string>& params,
                     std::uint64_t seed, std::uint64_t draws, unsigned threads, const std::string& format) {
  SimulationOptions o;
  o.model = model;
  o.params = to_params(params);
  o.seed = seed;
  o.draws = draws;
  o.threads = threads;
  SimulationSummary s;
  {
    py::gil_scoped_release release;
    s = summarize(sc, entente::simulate(sc, o));
  }
  return write_simulation(s, to_format(format));
}

std::string py_sensitivity(const Scenario& sc, const std::string& model, const std::map<std::string, std::string>& params,
                        std::uint64_t seed, const std::string& format) {
  SensitivityOptions o;
  o.model = model;
  o.params = to_params(params);
  o.seed = seed;
  SensitivityResult r;
  {
    py::gil_scoped_release release;
    r = entente::sensitivity(sc, o);
  }
  return write_sensitivity(sc, r, to_format(format));
}

std::string py_whatif(const Scenario& sc, const std::string& model, const std::map<std::string, std::string>& params,
                   std::uint64_t seed, const std::string& actor, const std::string& issue, double target,
                   const std::string& lever) {
  WhatIfOptions o;
  o.model = model;
  o.params = to_params(params);
  o.seed = seed;
  o.actor = actor;
  o.issue = issue;
  o.target = target;
  o.lever = lever;
  WhatIfResult r;
  {
    py::gil_scoped_release release;
    r = entente::whatif(sc, o);
  }
  return write_whatif(o, r, Format::json);
}

py::tuple py_backtest(const std::string& path, const std::string& model, const std::map<std::string, std::string>& params,
                   std::uint64_t seed, const std::string& capability) {
  BacktestOptions o;
  o.model = model;
  o.params = to_params(params);
  o.seed = seed;
  o.capability = capability;
  BacktestReport r;
  {
    py::gil_scoped_release release;
    r = entente::backtest(path, o);
  }
  Table t;
  t.header = {"issue", "split", "actors", "outcome", "forecast", "compromise"};
  for (const auto& i : r.issues)
    t.rows.push_back({i.id, i.split, std::to_string(i.actors), format_number(i.outcome),
                      i.defined ? format_number(i.forecast) : "", format_number(i.baseline)});
  return py::make_tuple(write_backtest(r, Format::json), render(t, Format::csv));
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
  m.def("drop_actor", [](const Scenario& s, const std::string& a) { return drop_actor(s, a); });
  m.def("apply_assignment", [](const Scenario& s, const std::string& a) { return apply_assignment(s, a); });
  m.def("missing_evidence", [](const Scenario& s) {
    std::vector<std::string> out;
    for (const auto& me : missing_evidence(s)) out.push_back(me.field);
    return out;
  });
  m.def("models", [] {
    std::vector<py::dict> out;
    for (const auto* model : models()) {
      const auto& info = model->info();
      py::dict d;
      d["name"] = info.name;
      d["title"] = info.title;
      d["has_rounds"] = info.has_rounds;
      py::dict params;
      for (const auto& p : info.params) params[py::str(p.name)] = p.default_value;
      d["params"] = params;
      out.push_back(d);
    }
    return out;
  });
  m.def("forecast", &py_forecast);
  m.def("trace", &py_trace);
  m.def("simulate", &py_simulate);
  m.def("sensitivity", &py_sensitivity);
  m.def("whatif", &py_whatif);
  m.def("backtest", &py_backtest);
}

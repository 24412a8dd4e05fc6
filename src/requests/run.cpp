// The requests: each resolves its scenario, routes parameters, runs the library's analysis and
// saves to the store when asked. No formatting here (entente/output.hpp does that).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "entente/output.hpp"
#include "entente/requests.hpp"
#include "entente/version.hpp"
#include "requests/internal.hpp"

namespace entente {

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

ForecastResponse forecast(const ForecastRequest& request) {
  ForecastResponse out;
  const auto names = detail::models_or(request.models, default_models(), "forecast with");
  const auto params = route_params(names, request.models.params);  // unknown models and keys fail before any work
  out.scenario = resolve_scenario(request.scenario);
  out.provenance = detail::provenance(request.scenario, out.scenario, request.models);
  out.provenance.scenario_hash = detail::scenario_hash(out.scenario);
  for (std::size_t k = 0; k < names.size(); ++k)
    out.results.push_back(run_model(out.scenario, names[k], detail::run_options(params[k], out.provenance)));
  // Is each forecast acceptable to every veto player? (only when the scenario names veto players)
  out.veto_players = veto_players(out.scenario);
  if (!out.veto_players.empty())
    for (const auto& r : out.results) out.deals.push_back(check_forecast(out.scenario, r));
  detail::save(request.store, out.provenance, [&](Store& store) {
    std::int64_t last = 0;
    for (const auto& r : out.results) last = store.save_result(out.scenario, r, "forecast", 0, detail::note_of(out.provenance));
    return last;
  });
  return out;
}

TraceResponse trace(const TraceRequest& request) {
  TraceResponse out;
  const auto names = detail::models_or(request.models, {"bdm"}, "trace");
  const std::string& name = detail::single_model(names);
  const Model& model = find_model(name);
  if (!model.info().has_rounds)
    throw InputError(Diagnostic{{}, "models", "a model with rounds (bdm, smp, exchange)",
                                fmt::format("'{}', which has no rounds", name), {}});
  Params params = route_params(names, request.models.params).front();
  if (request.rounds > 0) {
    // The model's own name for its number of rounds.
    std::string key = "rounds";
    for (const auto& spec : model.info().params)
      if (spec.name == "max_turns") key = spec.name;
    params.set(key, std::to_string(request.rounds));
  }
  out.scenario = resolve_scenario(request.scenario);
  if (!request.issue.empty()) (void)out.scenario.issue_index(request.issue);
  out.provenance = detail::provenance(request.scenario, out.scenario, request.models);
  out.provenance.scenario_hash = detail::scenario_hash(out.scenario);
  RunOptions o = detail::run_options(params, out.provenance);
  o.record.rounds = true;
  o.record.events = request.events;
  out.result = run_model(out.scenario, name, o);
  out.issue = request.issue;
  out.events = request.events;
  out.series = request.series;
  detail::save(request.store, out.provenance, [&](Store& store) {
    return store.save_result(out.scenario, out.result, "trace", 0, detail::note_of(out.provenance));
  });
  return out;
}

SimulateResponse simulate(const SimulateRequest& request) {
  SimulateResponse out;
  const auto names = detail::models_or(request.models, {}, "simulate");
  const auto params = route_params(names, request.models.params);
  out.scenario = resolve_scenario(request.scenario);
  out.provenance = detail::provenance(request.scenario, out.scenario, request.models);
  out.provenance.scenario_hash = detail::scenario_hash(out.scenario);
  if (request.distributor) out.speaker = request.distributor->rank() == 0;
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (request.cancel && request.cancel->load()) break;
    SimulationOptions so;
    so.model = names[k];
    so.params = params[k];
    so.seed = out.provenance.seed;
    so.settle = out.provenance.settle;
    so.draws = request.draws;
    so.first_draw = request.first_draw;
    so.threads = request.threads;
    so.cancel = request.cancel;
    if (request.progress) {
      const std::string model = find_model(names[k]).info().name;
      so.progress = [&request, model](std::uint64_t done, std::uint64_t total) { request.progress(model, done, total); };
    }
    SimulationResult result = request.distributor ? simulate(out.scenario, so, *request.distributor) : simulate(out.scenario, so);
    if (!out.speaker) continue;
    out.partial = out.partial || result.partial;
    out.summaries.push_back(summarize(out.scenario, result, request.bins));
    detail::save(request.store, out.provenance, [&](Store& store) {
      return store.save_simulation(out.scenario, result, detail::note_of(out.provenance));
    });
    if (request.keep_draws) out.draws.push_back(std::move(result));
  }
  return out;
}

SensitivityResponse sensitivity(const SensitivityRequest& request) {
  SensitivityResponse out;
  const auto names = detail::models_or(request.models, {}, "analyse");
  const std::string& name = detail::single_model(names);
  const Params params = route_params(names, request.models.params).front();
  out.scenario = resolve_scenario(request.scenario);
  out.provenance = detail::provenance(request.scenario, out.scenario, request.models);
  out.provenance.scenario_hash = detail::scenario_hash(out.scenario);
  SensitivityOptions so;
  so.model = name;
  so.params = params;
  so.seed = out.provenance.seed;
  so.settle = out.provenance.settle;
  so.drop_actors = request.drop_actors;
  const auto start = std::chrono::steady_clock::now();
  out.result = request.distributor ? sensitivity(out.scenario, so, *request.distributor) : sensitivity(out.scenario, so);
  out.speaker = !request.distributor || request.distributor->rank() == 0;
  out.top = request.top;
  out.all = request.all;
  if (!out.speaker) return out;
  const double seconds = seconds_since(start);
  detail::save(request.store, out.provenance, [&](Store& store) {
    return store.save_document(out.scenario, "sensitivity", out.result.model, so.params, so.seed,
                               render(out, Format::json), seconds, detail::note_of(out.provenance));
  });
  return out;
}

WhatIfResponse whatif(const WhatIfRequest& request) {
  WhatIfResponse out;
  const auto names = detail::models_or(request.models, {}, "search with");
  const std::string& name = detail::single_model(names);
  out.scenario = resolve_scenario(request.scenario);
  out.provenance = detail::provenance(request.scenario, out.scenario, request.models);
  out.provenance.scenario_hash = detail::scenario_hash(out.scenario);
  out.options = request.options;
  out.options.model = name;
  out.options.params = route_params(names, request.models.params).front();
  out.options.seed = out.provenance.seed;
  out.options.settle = out.provenance.settle;
  if (!request.target.empty()) {
    // A number, or the name of an option of a categorical issue (its index).
    const Issue& is = out.scenario.issues.at(out.scenario.issue_index(out.options.issue));
    const auto it = std::find(is.options.begin(), is.options.end(), request.target);
    if (is.kind == Issue::Kind::categorical && it != is.options.end()) {
      out.options.target = static_cast<double>(it - is.options.begin());
    } else {
      try {
        std::size_t used = 0;
        out.options.target = std::stod(request.target, &used);
        if (used != request.target.size()) throw std::invalid_argument(request.target);
      } catch (const std::exception&) {
        throw InputError(Diagnostic{{}, "target", is.kind == Issue::Kind::categorical ? "an option of the issue" : "a number",
                                    fmt::format("'{}'", request.target), {}});
      }
    }
  }
  const auto start = std::chrono::steady_clock::now();
  out.result = entente::whatif(out.scenario, out.options);
  const double seconds = seconds_since(start);
  detail::save(request.store, out.provenance, [&](Store& store) {
    return store.save_document(out.scenario, "whatif", out.options.model, out.options.params, out.options.seed,
                               render(out, Format::json), seconds, detail::note_of(out.provenance));
  });
  return out;
}

CompareResponse compare(const CompareRequest& request) {
  CompareResponse out;
  std::vector<std::string> every;
  for (const auto* m : models()) every.push_back(m->info().name);
  const auto names = detail::models_or(request.models, every, "compare with");
  const auto params = route_params(names, request.models.params);
  out.a = resolve_scenario(request.a);
  ScenarioSource b = request.b ? *request.b : request.a;
  for (const auto& e : request.b_edits) b.edits.push_back(e);
  out.b = resolve_scenario(b);
  out.provenance = detail::provenance(b, out.b, request.models);
  out.provenance.scenario_hash = detail::scenario_hash(out.b);
  out.comparison = entente::compare(out.a, out.b, names, params, out.provenance.seed);
  // The labels say what each side is: its title and its what-ifs.
  auto label = [](const Scenario& s, const ScenarioSource& src) {
    std::string t = s.title.empty() ? s.origin : s.title;
    for (const auto& e : src.edits) t += " [" + e.label() + "]";
    return t;
  };
  out.comparison.title_a = label(out.a, request.a);
  out.comparison.title_b = label(out.b, b);
  detail::save(request.store, out.provenance, [&](Store& store) {
    std::string models;
    for (const auto& m : out.comparison.models) models += (models.empty() ? "" : ",") + m;
    return store.save_document(out.b, "compare", models, {}, out.provenance.seed, render(out, Format::json), 0,
                               detail::note_of(out.provenance));
  });
  return out;
}

ModelsResponse list_models() { return ModelsResponse{models()}; }

}  // namespace entente

namespace entente {

BacktestResponse backtest(const BacktestRequest& request) {
  BacktestResponse out;
  const auto names = detail::models_or(request.models, {"compromise"}, "score");
  const std::string& name = detail::single_model(names);
  BacktestOptions b;
  b.model = find_model(name).info().name;
  b.params = route_params(names, request.models.params).front();
  std::tie(b.seed, out.provenance.seed_from) = request.models.seed ? std::pair{*request.models.seed, std::string("request")}
                                                                    : std::pair{std::uint64_t{0}, std::string("default")};
  out.provenance.seed = b.seed;
  out.provenance.version = version;
  out.provenance.scenario_file = request.file;
  b.capability = request.capability;
  b.vote_weights_file = request.vote_weights_file;
  b.min_actors = request.min_actors;
  const auto start = std::chrono::steady_clock::now();
  out.report = entente::backtest(request.file, b);
  const double seconds = seconds_since(start);
  detail::save(request.store, out.provenance, [&](Store& store) {
    Scenario s;  // a data file, not a scenario: its name stands for it
    s.title = request.file;
    s.origin = request.file;
    return store.save_document(s, "backtest", b.model, b.params, b.seed, render(out, Format::json), seconds);
  });
  return out;
}

ValidateResponse validate(const ValidateRequest& request) {
  ValidateResponse out;
  out.scenario = resolve_scenario(request.scenario);
  out.file = request.scenario.path.empty() ? request.scenario.name : request.scenario.path;
  out.evidence = request.evidence;
  if (request.evidence) out.missing = missing_evidence(out.scenario);
  return out;
}

}  // namespace entente

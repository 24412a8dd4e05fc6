// The requests: each resolves its scenario, routes parameters, runs the library's analysis and
// saves to the store when asked. No formatting here (entente/output.hpp does that).
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

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
  for (std::size_t k = 0; k < names.size(); ++k) {
    RunOptions o = detail::run_options(params[k], out.provenance);
    o.cancel = request.models.cancel;
    out.results.push_back(run_model(out.scenario, names[k], o));
  }
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
  RunOptions o = detail::run_options(params, out.provenance);
  o.record.rounds = true;
  o.record.events = request.events;
  o.cancel = request.models.cancel;
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
    // In one process the draws stream, block by block in draw order, to the running summary and
    // to the store; only the draws asked for (keep_draws) stay in memory. MPI ranks gather whole
    // outcomes and rank 0 saves the merged result.
    const bool streaming = !request.distributor;
    std::optional<SummaryAccumulator> running;
    std::optional<Store> store;
    std::unique_ptr<Store::SimulationWriter> writer;
    bool store_failed = false;
    // Draws of a model without rounds cost less to compute again than to store; only from a
    // scenario read from a file or text, whose stored native JSON reads back the same (a Scenario
    // built in memory may hold what no reader would, e.g. a categorical issue's numeric range).
    const bool read_from_text = !request.scenario.scenario;
    const DrawStorage storage = request.draw_storage.value_or(
        !find_model(names[k]).info().has_rounds && read_from_text ? DrawStorage::recompute : DrawStorage::blocks);
    if (streaming) {
      store = detail::open_store(request.store, out.provenance);
      so.keep_outcomes = request.keep_draws;
      so.on_block = [&](const SimulationResult& header, std::vector<DrawOutcome>& block) {
        if (!running) {
          running.emplace(out.scenario, header.round_series);
          running->reserve(header.draws_requested);
        }
        for (const auto& o : block) running->add(o);
        if (!store || store_failed) return;
        try {
          if (!writer) writer = store->begin_simulation(out.scenario, header, detail::note_of(out.provenance), storage);
          writer->add(block.data(), block.size());
        } catch (const std::exception& e) {
          // The simulation goes on; only saving stops (what was written is removed).
          out.provenance.store_warning = fmt::format("run not saved in {}: {}", store->path(), e.what());
          store_failed = true;
          writer.reset();
        }
      };
    }
    SimulationResult result = request.distributor ? simulate(out.scenario, so, *request.distributor) : simulate(out.scenario, so);
    if (!out.speaker) continue;
    out.partial = out.partial || result.partial;
    // The summary sorts in parallel: on the threads the request allows (`threads` 1 stays serial).
    const int summary_threads = request.threads ? static_cast<int>(std::min<unsigned>(request.threads, 256))
                                                : std::max(1, tbb::info::default_concurrency());
    tbb::task_arena summary_arena(std::min(summary_threads, std::max(1, tbb::info::default_concurrency())));
    SimulationSummary summary = summary_arena.execute([&] {
      return running ? std::move(*running).finish(result, request.bins) : summarize(out.scenario, result, request.bins);
    });
    if (streaming) {
      if (writer) {
        try {
          out.provenance.run_id = writer->finish(result, &summary);
          detail::retain(*store, request.store, out.provenance);
        } catch (const std::exception& e) {
          out.provenance.store_warning = fmt::format("run not saved in {}: {}", store->path(), e.what());
          out.provenance.run_id = 0;
        }
      }
    } else {
      detail::save(request.store, out.provenance, [&](Store& s) {
        return s.save_simulation(out.scenario, result, detail::note_of(out.provenance), &summary, storage);
      });
    }
    out.summaries.push_back(std::move(summary));
    if (request.keep_draws) out.draws.push_back(std::move(result));
  }
  return out;
}

StoredRun load_run(const LoadRunRequest& request) {
  const Store store(request.store.empty() ? Store::default_path() : request.store);
  StoredRun run = store.load(request.id);
  if (!run.recompute || !run.simulation) return run;
  SimulationResult& sim = *run.simulation;
  // The ranges must be the run's draws (ascending, within the draws asked for, as many as it
  // finished): a damaged store must not start a computation of any size.
  const RunRecord& rec = run.record;
  std::uint64_t total = 0, next = rec.first_draw;
  for (const auto& [first, count] : run.recompute->ranges) {
    if (first < next || count == 0 || count > rec.draws_requested || first - rec.first_draw > rec.draws_requested - count)
      throw InputError(Diagnostic{{store.path(), 0, 0}, fmt::format("run {}: ranges of draws", request.id),
                                  fmt::format("ascending ranges within draws {} to {}", rec.first_draw,
                                              rec.first_draw + rec.draws_requested),
                                  fmt::format("[{}, {}]", first, count), {}});
    next = first + count;
    total += count;
  }
  if (total != rec.draws)
    throw InputError(Diagnostic{{store.path(), 0, 0}, fmt::format("run {}: ranges of draws", request.id),
                                fmt::format("{} draws (the run's)", rec.draws), fmt::format("{}", total), {}});
  const Scenario scenario = parse_scenario(run.scenario_content, fmt::format("{} (run {}'s scenario).json", store.path(), request.id));
  SimulationOptions so;
  so.model = sim.model;
  so.params = sim.params;
  so.seed = sim.seed;
  so.settle = sim.settle;
  so.threads = request.threads;
  so.cancel = request.cancel;
  DrawDigest digest;
  for (const auto& [first, count] : run.recompute->ranges) {
    so.first_draw = first;
    so.draws = count;
    SimulationResult part = simulate(scenario, so);
    if (part.partial) throw Cancelled();
    for (auto& o : part.outcomes) {
      digest.add(o);
      sim.outcomes.push_back(std::move(o));
    }
  }
  if (digest.hex() != run.recompute->digest)
    throw InputError(Diagnostic{{store.path(), 0, 0}, fmt::format("run {} draws", request.id),
                                "the draws the run was saved with (their digest)",
                                fmt::format("digest {} instead of {}", digest.hex(), run.recompute->digest),
                                "this entente computes them differently from the one that saved the run"});
  return run;
}

SensitivityResponse sensitivity(const SensitivityRequest& request) {
  SensitivityResponse out;
  const auto names = detail::models_or(request.models, {}, "analyse");
  const std::string& name = detail::single_model(names);
  const Params params = route_params(names, request.models.params).front();
  out.scenario = resolve_scenario(request.scenario);
  out.provenance = detail::provenance(request.scenario, out.scenario, request.models);
  SensitivityOptions so;
  so.model = name;
  so.params = params;
  so.seed = out.provenance.seed;
  so.settle = out.provenance.settle;
  so.drop_actors = request.drop_actors;
  so.cancel = request.models.cancel;
  const auto start = std::chrono::steady_clock::now();
  // The entries run in a tbb::parallel_for, which takes the arena it is called in: `threads`
  // workers (0 = all cores; more than the cores is allowed, as in simulate). The result does not
  // depend on it (every entry lands in its own slot).
  const unsigned threads = request.threads ? request.threads : static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  std::optional<tbb::global_control> allow;
  if (static_cast<int>(threads) > tbb::info::default_concurrency())
    allow.emplace(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(static_cast<int>(threads));
  arena.execute([&] {
    out.result = request.distributor ? sensitivity(out.scenario, so, *request.distributor) : sensitivity(out.scenario, so);
  });
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
  out.options = request.options;
  out.options.model = name;
  out.options.params = route_params(names, request.models.params).front();
  out.options.seed = out.provenance.seed;
  out.options.settle = out.provenance.settle;
  out.options.cancel = request.models.cancel;
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

namespace {
// A choice among `choices`, in any spelling equal up to case, '-' and '_' (spelling_key); InputError
// naming the request field otherwise.
std::string choice(const std::string& field, const std::string& value, std::initializer_list<const char*> choices) {
  std::string list;
  for (const char* c : choices) {
    if (spelling_key(value) == spelling_key(c)) return c;
    list += (list.empty() ? "" : ", ") + std::string(c);
  }
  throw InputError(Diagnostic{{}, field, "one of " + list, fmt::format("'{}'", value), {}});
}
}  // namespace

BacktestResponse backtest(const BacktestRequest& request) {
  BacktestResponse out;
  BacktestOptions b;
  if (!request.candidates.empty()) {
    // The candidates carry their models and parameters; a model list as well would be ignored.
    if (!request.models.models.empty())
      throw InputError(Diagnostic{{}, "models", "either models or candidates", "both", {}});
    if (!request.models.params.empty())
      throw InputError(Diagnostic{{}, "params", "parameters inside each candidate (MODEL/KEY=VALUE) when candidates are given",
                                  fmt::format("'{}'", request.models.params.front()), {}});
    for (const auto& c : request.candidates) (void)parse_candidate(c);  // a typo fails before any work
    b.candidates = request.candidates;
  } else {
    const auto names = detail::models_or(request.models, {"compromise"}, "score");
    const std::string& name = detail::single_model(names);
    b.model = find_model(name).info().name;
    b.params = route_params(names, request.models.params).front();
    // Selection among one candidate: the model with its parameters, written as a candidate, so that
    // the protocol still fits on the selection splits only and scores once on the rest.
    if (!request.select_on.empty()) {
      std::string spec = b.model;
      for (const auto& [k, v] : b.params.values()) {
        if (v.find('/') != std::string::npos)
          throw InputError(Diagnostic{{}, "params", "a value without '/' (it separates a candidate's keys)", fmt::format("'{}'", v), {}});
        spec += "/" + k + "=" + v;
      }
      b.candidates = {spec};
    }
  }
  std::tie(b.seed, out.provenance.seed_from) = request.models.seed ? std::pair{*request.models.seed, std::string("request")}
                                                                    : std::pair{std::uint64_t{0}, std::string("default")};
  out.provenance.seed = b.seed;
  out.provenance.version = version;
  out.provenance.scenario_file = request.file;
  b.capability = choice("capability", request.capability, {"equal", "vote-weights", "shapley-shubik", "banzhaf"});
  b.vote_weights_file = request.vote_weights_file;
  b.min_actors = request.min_actors;
  b.select_on = request.select_on;
  b.criterion = choice("criterion", request.criterion, {"crps", "mae"});
  b.baseline = request.baseline;
  if (request.bootstrap < 0)
    throw InputError(Diagnostic{{}, "bootstrap", "a number of resamples >= 0", std::to_string(request.bootstrap), {}});
  b.bootstrap = request.bootstrap;
  const auto start = std::chrono::steady_clock::now();
  out.report = entente::backtest(request.file, b);
  const double seconds = seconds_since(start);
  detail::save(request.store, out.provenance, [&](Store& store) {
    Scenario s;  // a data file, not a scenario: its name stands for it
    s.title = request.file;
    s.origin = request.file;
    return store.save_document(s, "backtest", out.report.candidate.empty() ? out.report.model : out.report.candidate,
                               b.params, b.seed, render(out, Format::json), seconds);
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

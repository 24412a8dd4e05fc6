#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <new>

#include "entente/diagnostics.hpp"
#include "entente/model.hpp"

namespace entente {

namespace {
// Function-local static: safe to use from other translation units' static initialisers.
std::map<std::string, std::unique_ptr<Model>, std::less<>>& registry() {
  static std::map<std::string, std::unique_ptr<Model>, std::less<>> r;
  return r;
}
}  // namespace

void register_model(std::unique_ptr<Model> model) {
  auto name = model->info().name;
  registry()[name] = std::move(model);
}

const Model& find_model(std::string_view name) {
  auto& r = registry();
  if (auto it = r.find(name); it != r.end()) return *it->second;
  for (const auto& [n, m] : r)  // another spelling of a name ("capability-mean")
    if (spelling_key(n) == spelling_key(name)) return *m;
  std::string names;
  for (const auto& [n, m] : r) names += (names.empty() ? "" : ", ") + n;
  throw InputError(Diagnostic{{}, "model", "one of: " + names, fmt::format("'{}'", name), {}});
}

std::vector<const Model*> models() {
  std::vector<const Model*> out;
  for (const auto& [n, m] : registry()) out.push_back(m.get());
  return out;
}

PreparedModel::PreparedModel(const Scenario& scenario, std::string_view name, RunOptions options)
    : model_(&find_model(name)), options_(std::move(options)) {
  const std::string& canonical = model_->info().name;
  // The scenario's options first, the caller's over them; each key in its declared spelling
  // first, so that a KTAB spelling in the file and a snake_case one from the caller are the same
  // option (the caller's wins) rather than a duplicate.
  const auto& specs = model_->info().params;
  auto declared = [&](const std::string& k) {
    for (const auto& spec : specs)
      if (spec.name == k || spelling_key(spec.name) == spelling_key(k)) return spec.name;
    return k;
  };
  Params merged;
  for (const std::string& key : {std::string(name), canonical})  // stored under an old spelling or the new
    if (auto it = scenario.model_params.find(key); it != scenario.model_params.end())
      for (const auto& [k, v] : it->second) merged.set(declared(k), v);
  for (const auto& [k, v] : options_.params.values()) merged.set(declared(k), v);
  options_.params = resolve_params(canonical, model_->info().params, merged);
}

Result PreparedModel::run(const Scenario& scenario, std::uint64_t seed) const {
  Result r;
  run_into(scenario, seed, r);
  return r;
}

void PreparedModel::run_into(const Scenario& scenario, std::uint64_t seed, Result& r) const {
  RunContext context;
  context.record = options_.record;
  context.cancel = options_.cancel;
  try {
    model_->run_into(scenario, options_.params, seed, context, r);
  } catch (const std::bad_alloc&) {
    // Input the estimates let through (or a smaller machine than they assume): exit 2 naming the
    // run's size, never "internal error" (issue 18, finding 7).
    throw ResourceError(fmt::format(
        "{}: out of memory in a run on {} actors and {} issues (the machine gave less memory than this run needs; "
        "fewer actors or issues need less)",
        model_->info().name, scenario.actors.size(), scenario.issues.size()));
  }
  r.model = model_->info().name;
  r.params = options_.params;
  r.seed = seed;
  // Settling is judged here, once, for every dynamic model, from the path it reports.
  for (std::size_t i = 0; i < r.forecasts.size() && i < r.path.size() && i < scenario.issues.size(); ++i) {
    Forecast& f = r.forecasts[i];
    const Issue& issue = scenario.issues[i];
    if (!f.defined || issue.kind != Issue::Kind::numeric || r.path[i].empty()) continue;
    if (f.convergence.state == Convergence::State::not_applicable) {
      f.convergence = assess_convergence(r.path[i], 1e-9 * (issue.max - issue.min));
    } else {  // the model's own stop rule said settled
      f.convergence.rounds = static_cast<int>(r.path[i].size()) - 1;
      f.convergence.last = r.path[i].back();
    }
    if (options_.settle == Settle::mean_of_cycle && f.convergence.state == Convergence::State::cycle) {
      f.value = f.convergence.cycle_mean;
      f.convergence.summarised = true;
    }
  }
}

Result run_model(const Scenario& scenario, std::string_view name, const RunOptions& options) {
  return PreparedModel(scenario, name, options).run(scenario);
}

Result run_model(const Scenario& scenario, std::string_view name, const Params& params, std::uint64_t seed) {
  RunOptions o;
  o.params = params;
  o.seed = seed;
  o.record = Record::everything();
  return run_model(scenario, name, o);
}

Convergence assess_convergence(const std::vector<double>& path, double tolerance) {
  Convergence c;
  if (path.empty()) return c;
  const std::size_t T = path.size() - 1;  // rounds run
  c.rounds = static_cast<int>(T);
  c.last = path.back();
  auto same = [&](double a, double b) { return std::abs(a - b) <= tolerance || (std::isnan(a) && std::isnan(b)); };
  if (T == 0 || same(path[T], path[T - 1])) {
    c.state = Convergence::State::settled;
    return c;
  }
  c.last_change = path[T] - path[T - 1];
  // The shortest period p >= 2 whose last p values repeat the p before them.
  for (std::size_t p = 2; 2 * p <= T + 1; ++p) {
    bool repeats = true;
    for (std::size_t t = T + 1 - p; t <= T && repeats; ++t) repeats = same(path[t], path[t - p]);
    if (!repeats) continue;
    c.state = Convergence::State::cycle;
    c.period = static_cast<int>(p);
    c.low = c.high = path[T];
    double sum = 0;
    for (std::size_t t = T + 1 - p; t <= T; ++t) {
      c.low = std::min(c.low, path[t]);
      c.high = std::max(c.high, path[t]);
      sum += path[t];
    }
    c.cycle_mean = sum / static_cast<double>(p);
    return c;
  }
  // Still moving without a repeating pattern: report the range of the last (up to) 5 rounds.
  c.state = Convergence::State::drift;
  c.low = c.high = path[T];
  for (std::size_t t = T >= 4 ? T - 4 : 0; t <= T; ++t) {
    c.low = std::min(c.low, path[t]);
    c.high = std::max(c.high, path[t]);
  }
  return c;
}

const char* to_string(Convergence::State state) noexcept {
  switch (state) {
    case Convergence::State::not_applicable: return "static";
    case Convergence::State::settled: return "settled";
    case Convergence::State::cycle: return "cycle";
    case Convergence::State::drift: return "drift";
  }
  return "static";
}

Settle parse_settle(std::string_view text) {
  if (text == "last") return Settle::last;
  if (text == "mean_of_cycle" || text == "mean-of-cycle") return Settle::mean_of_cycle;
  throw InputError(Diagnostic{{"<options>", 0, 0}, "settle", "last or mean_of_cycle", fmt::format("'{}'", text), {}});
}

bool Record::event(std::string_view kind) const {
  for (const auto& e : events)
    if (e == "*" || e == kind) return true;
  return false;
}

const double* Forecast::extra(std::string_view name) const {
  for (const auto& [k, v] : extras)
    if (k == name) return &v;
  return nullptr;
}
const EventValue* Event::get(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (k == name) return &v;
  return nullptr;
}
const ActorSeries* Round::actors(std::string_view name) const {
  for (const auto& s : actor_series)
    if (s.name == name) return &s;
  return nullptr;
}
const IssueSeries* Round::issues(std::string_view name) const {
  for (const auto& s : issue_series)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace entente

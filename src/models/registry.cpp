#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

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
  auto it = r.find(name);
  if (it == r.end()) {
    std::string names;
    for (const auto& [n, m] : r) names += (names.empty() ? "" : ", ") + n;
    throw InputError(Diagnostic{{"<command line>", 0, 0}, "--model", "one of: " + names, fmt::format("'{}'", name), {}});
  }
  return *it->second;
}

std::vector<const Model*> models() {
  std::vector<const Model*> out;
  for (const auto& [n, m] : registry()) out.push_back(m.get());
  return out;
}

Result run_model(const Scenario& scenario, std::string_view name, const Params& params, std::uint64_t seed) {
  const Model& model = find_model(name);
  Params merged;
  if (auto it = scenario.model_params.find(std::string(name)); it != scenario.model_params.end())
    for (const auto& [k, v] : it->second) merged.set(k, v);
  for (const auto& [k, v] : params.values()) merged.set(k, v);
  const Params resolved = resolve_params(model.info().name, model.info().params, merged);
  Result r = model.run(scenario, resolved, seed);
  r.model = model.info().name;
  r.params = resolved;
  r.seed = seed;
  return r;
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

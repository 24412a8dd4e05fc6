// The parts every request shares: the scenario and its what-ifs, routing parameters to models,
// the default models, the seed, and saving to the run store.
#include <fmt/format.h>

#include <algorithm>
#include <boost/uuid/detail/sha1.hpp>

#include "entente/edit.hpp"
#include "entente/output.hpp"
#include "entente/store.hpp"
#include "entente/version.hpp"
#include "requests/internal.hpp"

namespace entente {

std::string Edit::label() const {
  if (kind == Kind::drop) return "drop " + actor;
  return fmt::format("set {}{}.{}={}", actor, issue.empty() ? "" : "." + issue, field, format_number(value));
}

Edit Edit::parse_set(std::string_view assignment, SourceLocation origin) {
  const Assignment a = parse_assignment(assignment, origin);
  Edit e;
  e.kind = Kind::set;
  e.actor = a.actor;
  e.issue = a.issue;
  e.field = a.field;
  e.value = a.value;
  e.origin = std::move(origin);
  return e;
}

Edit Edit::drop_actor(std::string actor, SourceLocation origin) {
  Edit e;
  e.kind = Kind::drop;
  e.actor = std::move(actor);
  e.origin = std::move(origin);
  return e;
}

Scenario resolve_scenario(const ScenarioSource& source) {
  Scenario s;
  if (source.scenario) s = *source.scenario;
  else if (!source.path.empty()) s = load_scenario(source.path);
  else if (!source.name.empty() || !source.text.empty()) s = parse_scenario(source.text, source.name.empty() ? "<text>" : source.name);
  else throw InputError(Diagnostic{{}, "scenario", "a scenario file, its text, or a loaded scenario", "nothing", {}});
  for (const auto& e : source.edits) {
    if (e.kind == Edit::Kind::drop) s = drop_actor(s, e.actor, e.origin);
    else s = set_value(s, e.actor, e.issue, e.field, e.value, e.origin, e.label());
  }
  return s;
}

std::vector<std::string> default_models() {
  std::vector<std::string> out{"compromise", "median", "nbs", "mean"};
  for (const char* dynamic : {"bdm", "smp", "exchange"})
    for (const auto* m : models())
      if (m->info().name == dynamic) out.emplace_back(dynamic);
  return out;
}

std::vector<Params> route_params(const std::vector<std::string>& names, const std::vector<std::string>& params) {
  std::vector<const Model*> selected;
  for (const auto& n : names) selected.push_back(&find_model(n));  // unknown names fail here, before any work
  auto declares = [](const Model& m, const std::string& key) {
    for (const auto& spec : m.info().params)
      if (spec.name == key || spelling_key(spec.name) == spelling_key(key)) return true;
    return false;
  };
  std::vector<Params> out(names.size());
  DiagnosticSink sink;
  for (const auto& kv : params) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      sink.add({}, "params", "KEY=VALUE or MODEL.KEY=VALUE", fmt::format("'{}'", kv));
      continue;
    }
    std::string key = kv.substr(0, eq);
    const std::string value = kv.substr(eq + 1);
    // MODEL.KEY=VALUE: for that model only (it must be selected).
    if (const auto dot = key.find('.'); dot != std::string::npos) {
      const std::string target = key.substr(0, dot);
      bool is_model = false;
      for (const auto* m : models()) is_model = is_model || spelling_key(m->info().name) == spelling_key(target);
      if (is_model) {
        const std::string k = key.substr(dot + 1);
        bool routed = false;
        for (std::size_t i = 0; i < selected.size(); ++i)
          if (spelling_key(selected[i]->info().name) == spelling_key(target)) {
            out[i].set(k, value);  // resolve_params checks the key
            routed = true;
          }
        if (!routed)
          sink.add({}, fmt::format("params.{}", key), "a parameter of a selected model",
                   fmt::format("'{}', which is not among the models of this request", target));
        continue;
      }
    }
    // KEY=VALUE: every selected model that declares KEY; with one model, that model checks it.
    bool routed = false;
    for (std::size_t i = 0; i < selected.size(); ++i)
      if (declares(*selected[i], key) || selected.size() == 1) {
        out[i].set(key, value);
        routed = true;
      }
    if (!routed) {
      std::string ns;
      for (const auto& n : names) ns += (ns.empty() ? "" : ", ") + n;
      sink.add({}, fmt::format("params.{}", key), fmt::format("a parameter of one of the models ({})", ns),
               fmt::format("'{}', which none of them declares (`entente models` lists them)", key));
    }
  }
  sink.throw_if_any();
  return out;
}

std::pair<std::uint64_t, std::string> resolve_seed(const ModelSelection& selection, const Scenario& scenario) {
  if (selection.seed) return {*selection.seed, "request"};
  if (scenario.seed) return {*scenario.seed, "scenario"};
  return {0, "default"};
}

namespace detail {

std::string scenario_hash(const Scenario& s) {
  const std::string text = to_yaml(s);
  boost::uuids::detail::sha1 h;
  h.process_bytes(text.data(), text.size());
  unsigned int d[5];
  h.get_digest(d);
  return fmt::format("{:08x}{:08x}{:08x}{:08x}{:08x}", d[0], d[1], d[2], d[3], d[4]);
}

Provenance provenance(const ScenarioSource& source, const Scenario& s, const ModelSelection& selection) {
  Provenance p;
  p.version = version;
  p.scenario_file = source.path.empty() ? source.name : source.path;
  for (const auto& e : source.edits) p.edits.push_back(e.label());
  std::tie(p.seed, p.seed_from) = resolve_seed(selection, s);
  p.settle = selection.settle;
  p.scenario_hash = scenario_hash(s);
  return p;
}

std::vector<std::string> models_or(const ModelSelection& selection, std::vector<std::string> fallback,
                                   const char* what) {
  if (!selection.models.empty()) return selection.models;
  if (fallback.empty())
    throw InputError(Diagnostic{{}, "models", fmt::format("the model(s) to {}", what), "none", {}});
  return fallback;
}

const std::string& single_model(const std::vector<std::string>& names) {
  if (names.size() != 1)
    throw InputError(Diagnostic{{}, "models", "exactly one model (this analysis runs one)",
                                fmt::format("{} models", names.size()), {}});
  return names.front();
}

RunOptions run_options(const Params& params, const Provenance& p) {
  RunOptions o;
  o.params = params;
  o.seed = p.seed;
  o.settle = p.settle;
  return o;
}

std::string note_of(const Provenance& p) {
  std::string note;
  for (const auto& e : p.edits) note += (note.empty() ? "" : "; ") + e;
  return note;
}

std::optional<Store> open_store(const StoreTarget& target, Provenance& p) {
  std::optional<Store> store;
  if (!target.save) return store;
  if (!target.path.empty()) {
    store.emplace(target.path);  // a store the user named must open: InputError otherwise
  } else {
    const std::string path = Store::default_path();
    try {
      store.emplace(path);
    } catch (const std::exception& e) {
      p.store_warning = fmt::format("run not saved: cannot open the store {} ({})", path, e.what());
      return store;
    }
  }
  store->set_cancel(target.cancel);
  p.store_path = store->path();
  return store;
}

void retain(Store& store, const StoreTarget& target, Provenance& p) {
  if (!target.path.empty()) return;  // a store the user named is theirs to prune
  try {
    const PruneResult r = store.prune(PrunePolicy::default_retention());
    if (r.removed)
      p.store_note = fmt::format(
          "pruned {} old run{} from {} (default retention: the last 1000 runs and 1 GB; `entente runs prune` for more)",
          r.removed, r.removed == 1 ? "" : "s", store.path());
  } catch (const std::exception&) {
    // Retention is housekeeping: the run itself is saved.
  }
}

void save(const StoreTarget& target, Provenance& p, const std::function<std::int64_t(Store&)>& write) {
  std::optional<Store> store = open_store(target, p);
  if (!store) return;
  try {
    p.run_id = write(*store);
  } catch (const StoreWriteCancelled& e) {
    p.store_warning = fmt::format("run not saved in {}: {}", store->path(), e.what());
    return;
  } catch (const std::exception& e) {
    p.store_warning = fmt::format("run not saved in {}: {}", store->path(), e.what());
    return;
  }
  retain(*store, target, p);
}

}  // namespace detail
}  // namespace entente

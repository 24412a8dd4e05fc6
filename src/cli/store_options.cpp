#include "cli/store_options.hpp"

#include <fmt/format.h>

#include <functional>
#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {

void add_store_options(CLI::App* cmd, StoreOptions& o) {
  cmd->add_option("--store", o.path,
                  "run store (SQLite) to save this run in; default $ENTENTE_STORE, else "
                  "$XDG_DATA_HOME/entente/runs.sqlite or ~/.local/share/entente/runs.sqlite")
      ->type_name("PATH");
  cmd->add_flag("--no-store", o.disabled, "do not save this run in the store");
}

std::optional<Store> open_store(const StoreOptions& o) {
  if (o.disabled) return std::nullopt;
  if (!o.path.empty()) return Store(o.path);
  const std::string path = Store::default_path();
  try {
    return Store(path);
  } catch (const std::exception& e) {
    std::cerr << fmt::format("entente: warning: run not saved: cannot open the store {} ({})\n", path, e.what());
    return std::nullopt;
  }
}

namespace {
std::int64_t guarded(const StoreOptions& o, const std::function<std::int64_t(Store&)>& save) {
  auto store = open_store(o);
  if (!store) return 0;
  try {
    const std::int64_t id = save(*store);
    if (stderr_is_terminal()) std::cerr << fmt::format("entente: saved as run {} in {}\n", id, store->path());
    return id;
  } catch (const std::exception& e) {
    std::cerr << fmt::format("entente: warning: run not saved in {}: {}\n", store->path(), e.what());
    return 0;
  }
}
}  // namespace

std::int64_t save_result(const StoreOptions& o, const Scenario& scenario, const Result& result, std::string_view kind) {
  return guarded(o, [&](Store& s) { return s.save_result(scenario, result, kind); });
}

std::int64_t save_results(const StoreOptions& o, const Scenario& scenario, const std::vector<Result>& results,
                          std::string_view kind) {
  return guarded(o, [&](Store& s) {
    std::int64_t last = 0;
    for (const auto& r : results) last = s.save_result(scenario, r, kind);
    return last;
  });
}

std::int64_t save_simulation(const StoreOptions& o, const Scenario& scenario, const SimulationResult& result) {
  return guarded(o, [&](Store& s) { return s.save_simulation(scenario, result); });
}

std::int64_t save_document(const StoreOptions& o, const Scenario& scenario, std::string_view kind, std::string_view model,
                           const Params& params, std::uint64_t seed, std::string_view json, double seconds) {
  return guarded(o, [&](Store& s) { return s.save_document(scenario, kind, model, params, seed, json, seconds); });
}

std::int64_t save_file_run(const StoreOptions& o, const std::string& data_file, std::string_view kind, std::string_view model,
                           const Params& params, std::uint64_t seed, std::string_view json) {
  Scenario s;
  s.title = data_file;
  s.origin = data_file;
  return save_document(o, s, kind, model, params, seed, json);
}

}  // namespace entente::cli

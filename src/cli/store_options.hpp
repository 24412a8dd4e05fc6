// Shared by every command that saves its run in the store: `--store PATH`, `--no-store`, and
// one-call savers. In a command: `StoreOptions store; add_store_options(cmd, store);` then
// `save_results(store, scenario, results, "forecast");` after the output is written.
#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entente/store.hpp"

namespace entente::cli {

struct StoreOptions {
  std::string path;       // empty = Store::default_path()
  bool disabled = false;  // --no-store
};
void add_store_options(CLI::App* cmd, StoreOptions& o);

// The store, or nullopt with --no-store. An explicit --store that cannot be opened is an input
// error (exit 2); the default location failing only warns, so a read-only home never blocks a
// forecast.
std::optional<Store> open_store(const StoreOptions& o);

// Savers return the run id (0 if not saved). A failure to save warns on stderr and never changes
// the command's result.
std::int64_t save_result(const StoreOptions& o, const Scenario& scenario, const Result& result,
                         std::string_view kind = "forecast");
std::int64_t save_results(const StoreOptions& o, const Scenario& scenario, const std::vector<Result>& results,
                          std::string_view kind = "forecast");
std::int64_t save_simulation(const StoreOptions& o, const Scenario& scenario, const SimulationResult& result);
std::int64_t save_document(const StoreOptions& o, const Scenario& scenario, std::string_view kind, std::string_view model,
                           const Params& params, std::uint64_t seed, std::string_view json, double seconds = 0);

// A run on a data file rather than a scenario (backtest): the file's text is stored as its content.
std::int64_t save_file_run(const StoreOptions& o, const std::string& data_file, std::string_view kind, std::string_view model,
                           const Params& params, std::uint64_t seed, std::string_view json);

}  // namespace entente::cli

// The run store: every forecast, trace, simulation and analysis saved in one SQLite file, so a
// result can be listed, shown and exported later. Each run is written in one transaction (WAL
// journal): a process killed at any moment leaves the file consistent and loses at most the run
// it was writing. Schema: docs/store.md.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entente/analysis.hpp"
#include "entente/model.hpp"
#include "entente/scenario.hpp"

namespace entente {

struct RunRecord {
  std::int64_t id = 0;
  std::string kind;     // forecast | trace | simulation | backtest | sensitivity | whatif | compare
  std::string created;  // UTC, ISO 8601
  std::string model;
  std::string params;   // JSON object of the resolved parameters
  std::uint64_t seed = 0;
  std::uint64_t first_draw = 0;
  std::uint64_t draws = 0;  // draws stored (1 for a single forecast)
  std::uint64_t draws_requested = 0;
  bool partial = false;
  double seconds = 0;
  std::string scenario_hash, scenario_title;
  std::string note;
};

// One stored run as data; the presentation layer renders it (`entente runs show|export`).
struct StoredRun {
  RunRecord record;
  std::string scenario_kind;     // how the scenario was kept: "yaml" (native), "file" (its text), "none"
  std::string scenario_origin;   // the file it came from
  std::string scenario_content;  // the scenario's text
  std::vector<std::string> issues;  // issue ids in the scenario's order
  std::optional<Result> result;                // forecast, trace: the forecasts, the path and any trace kept
  std::optional<SimulationResult> simulation;  // simulation: every stored draw
  std::string document;                        // sensitivity, whatif, compare, backtest: the JSON document
};

class Store {
 public:
  // $ENTENTE_STORE, else $XDG_DATA_HOME/entente/runs.sqlite, else ~/.local/share/entente/runs.sqlite.
  [[nodiscard]] static std::string default_path();
  // Opens (creating the file, its directory and the schema if needed). Throws InputError if the
  // path cannot be opened or is not an entente store.
  explicit Store(const std::string& path);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  [[nodiscard]] const std::string& path() const;

  // A single model run (forecast, trace, one backtest case...): forecasts, per-round issue series
  // and the whole trace. Returns the run id.
  std::int64_t save_result(const Scenario& scenario, const Result& result, std::string_view kind = "forecast",
                           double seconds = 0, std::string_view note = {});
  // A simulation: per-draw forecasts and per-round series.
  std::int64_t save_simulation(const Scenario& scenario, const SimulationResult& result, std::string_view note = {});
  // An analysis whose result is a document (sensitivity, whatif, compare): its JSON.
  std::int64_t save_document(const Scenario& scenario, std::string_view kind, std::string_view model, const Params& params,
                             std::uint64_t seed, std::string_view json, double seconds = 0, std::string_view note = {});

  [[nodiscard]] std::vector<RunRecord> list(std::size_t limit = 0) const;  // newest first; 0 = all
  [[nodiscard]] std::optional<RunRecord> find(std::int64_t id) const;
  [[nodiscard]] std::string scenario_content(std::int64_t run_id) const;
  // Reads a stored simulation back (forecasts and rounds per draw), exactly as saved.
  [[nodiscard]] SimulationResult load_simulation(std::int64_t run_id) const;
  // Everything stored about a run, as data. Throws InputError for an unknown id.
  [[nodiscard]] StoredRun load(std::int64_t run_id) const;
  // PRAGMA integrity_check == "ok".
  [[nodiscard]] bool integrity_ok(std::string* message = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace entente

// The run store: every forecast, trace, simulation and analysis saved in one SQLite file, so a
// result can be listed, shown and exported later. Compact: a single run's forecasts, path and
// trace are one row each, a simulation's draws are binary blocks of up to 1024 draws, its summary
// is rows. A run becomes visible only when complete (WAL journal; a simulation streams its blocks
// in short transactions and is marked complete at the end): a process killed at any moment leaves
// the file consistent and loses at most the run it was writing. Schema (versioned by PRAGMA
// user_version, older stores migrated on open) and retention: docs/store.md.
#pragma once
#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// How a simulation's draws are kept. `blocks`: every draw, as binary blocks. `recompute`: only what
// reproduces them (the scenario, model, parameters, seed, settle rule and draw ranges, all stored
// with every run) and a digest of the draws; reading the run computes them again and checks the
// digest (entente/requests.hpp load_run). Output is identical either way; `recompute` is for models
// whose draw costs less to compute than to write (docs/store.md).
enum class DrawStorage { blocks, recompute };

// A digest of draws in draw order (every field a stored draw has, bit for bit): 128 bits, hex.
// Detects draws computed differently (another entente version), not deliberate tampering.
class DrawDigest {
 public:
  void add(const DrawOutcome& draw) noexcept;
  [[nodiscard]] std::string hex() const;

 private:
  std::uint64_t a_ = 0x243f6a8885a308d3ULL, b_ = 0x13198a2e03707344ULL, n_ = 0;
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
  // A simulation kept as DrawStorage::recompute: `simulation` has its header (model, params, seed,
  // settle, draws) but no outcomes until the draws are computed again and checked.
  struct Recompute {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // (first draw, count), in draw order
    std::string digest;                                           // DrawDigest::hex of those draws
  };
  std::optional<Recompute> recompute;
  // simulation: the summary saved with it, as rows (issue index, statistic, value), e.g. (0, "q50", 4.2)
  struct SummaryRow {
    std::size_t issue = 0;
    std::string stat;
    double value = 0;
  };
  std::vector<SummaryRow> summary;
  std::string document;                        // sensitivity, whatif, compare, backtest: the JSON document
};

// Which runs `prune` removes: those older than `older_than_days`, beyond the newest `keep`, and the
// oldest until the stored data fit in `max_bytes` (0 / negative = no such limit).
struct PrunePolicy {
  double older_than_days = -1;
  std::size_t keep = 0;
  std::uint64_t max_bytes = 0;
  // The default retention applied after every save to the default store: the last 1000 runs, 1 GB.
  [[nodiscard]] static PrunePolicy default_retention() { return PrunePolicy{-1, 1000, 1000ULL * 1000 * 1000}; }
};
struct PruneResult {
  std::size_t removed = 0;           // complete runs removed
  std::size_t abandoned = 0;         // incomplete runs of writers that died, removed
  std::uint64_t bytes_before = 0, bytes_after = 0;  // the file's size
};

// Thrown by a store write whose cancellation flag was raised: the write was rolled back.
class StoreWriteCancelled : public std::runtime_error {
 public:
  StoreWriteCancelled() : std::runtime_error("interrupted while saving; the write was rolled back") {}
};

class Store {
 public:
  // The schema this entente writes (PRAGMA user_version). Version 1 stores (one row per number)
  // are migrated on open.
  static constexpr int schema_version = 2;
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
  // A simulation: per-draw forecasts and per-round series (and its summary as rows, if given).
  std::int64_t save_simulation(const Scenario& scenario, const SimulationResult& result, std::string_view note = {},
                               const SimulationSummary* summary = nullptr, DrawStorage storage = DrawStorage::blocks);

  // A simulation written while it runs: add() blocks of finished draws in draw order (encoded at
  // once into blocks of up to 1024 draws; a few blocks at a time are committed in one transaction by a
  // background thread while the draws go on, so memory does not grow with the draws, and the
  // simulation does not wait for the disk), then finish() to make the run
  // visible. Destroyed without finish(), or finish() after `cancel` was raised: everything written
  // is removed (StoreWriteCancelled from finish). Other writers wait for the store, not fail.
  class SimulationWriter {
   public:
    ~SimulationWriter();
    SimulationWriter(const SimulationWriter&) = delete;
    SimulationWriter& operator=(const SimulationWriter&) = delete;
    void add(const DrawOutcome* draws, std::size_t count);
    // `header`: the final SimulationResult (partial, seconds; its outcomes are ignored).
    std::int64_t finish(const SimulationResult& header, const SimulationSummary* summary = nullptr);
    [[nodiscard]] std::int64_t id() const noexcept { return id_; }
    [[nodiscard]] std::uint64_t draws_written() const noexcept { return written_; }

   private:
    friend class Store;
    SimulationWriter(Store& store, std::int64_t id, bool recompute, Settle settle)
        : store_(&store), id_(id), recompute_(recompute), settle_(settle) {}
    struct Block {
      std::uint64_t seq, first_draw, count;
      std::string data;
    };
    void flush(bool all);       // hands sealed blocks to the background writer (all: even a few)
    void wait();                // waits for the background writer; rethrows its error
    void abandon() noexcept;
    Store* store_;
    std::int64_t id_ = 0;
    std::uint64_t written_ = 0, seq_ = 0;
    std::uint64_t sealed_draws_ = 0, inflight_draws_ = 0;
    std::vector<Block> sealed_;  // encoded, not yet handed to the background writer
    std::size_t sealed_bytes_ = 0;
    std::future<void> inflight_;
    std::shared_ptr<std::vector<Block>> inflight_blocks_;
    std::vector<std::string> spare_;  // written blocks' buffers, reused (no page faults per block)
    bool done_ = false;
    // DrawStorage::recompute: no blocks, only the digest and the ranges of the draws added.
    bool recompute_ = false;
    Settle settle_ = Settle::last;
    DrawDigest digest_;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_;
  };
  // `header` names the model, params, seed, settle, first draw, draws requested, issue ids and round
  // series. DrawStorage::recompute applies only to a scenario the store keeps as data (not one kept
  // as a file's text): otherwise the draws are stored as blocks.
  [[nodiscard]] std::unique_ptr<SimulationWriter> begin_simulation(const Scenario& scenario, const SimulationResult& header,
                                                                   std::string_view note = {},
                                                                   DrawStorage storage = DrawStorage::blocks);
  // Raised (e.g. by a Ctrl-C handler) while a write is in progress: the write rolls back and throws
  // StoreWriteCancelled; raised after its commit, the run is kept. Never owned by the store.
  void set_cancel(const std::atomic<bool>* cancel) noexcept;
  // An analysis whose result is a document (sensitivity, whatif, compare): its JSON.
  std::int64_t save_document(const Scenario& scenario, std::string_view kind, std::string_view model, const Params& params,
                             std::uint64_t seed, std::string_view json, double seconds = 0, std::string_view note = {});

  [[nodiscard]] std::vector<RunRecord> list(std::size_t limit = 0) const;  // newest first; 0 = all
  [[nodiscard]] std::optional<RunRecord> find(std::int64_t id) const;
  [[nodiscard]] std::string scenario_content(std::int64_t run_id) const;
  // Reads a stored simulation back (forecasts and rounds per draw), exactly as saved (a run kept as
  // DrawStorage::recompute: its header only; StoredRun::recompute says how to compute the draws).
  [[nodiscard]] SimulationResult load_simulation(std::int64_t run_id) const;
  // Everything stored about a run, as data. Throws InputError for an unknown id.
  [[nodiscard]] StoredRun load(std::int64_t run_id) const;
  // Removes runs by the policy (and incomplete runs left by writers that died), then returns
  // their pages to the file system.
  PruneResult prune(const PrunePolicy& policy);
  // Bytes of the store file (main file plus WAL).
  [[nodiscard]] std::uint64_t file_bytes() const;
  // PRAGMA integrity_check == "ok".
  [[nodiscard]] bool integrity_ok(std::string* message = nullptr) const;

 private:
  // load_simulation, also saying how to compute the draws of a run kept as DrawStorage::recompute.
  [[nodiscard]] SimulationResult load_simulation(std::int64_t run_id, std::optional<StoredRun::Recompute>* recompute) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace entente

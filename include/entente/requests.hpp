// The request layer: what every front end (CLI, web server, Python, MPI) calls. A request names a
// scenario (a file, text in memory or a loaded Scenario) with its what-ifs, the models and their
// options, and where to save; the response holds the data, with everything needed to say how it
// was made (seed, edits, models). One rule lives here for each of: which parameter goes to which
// model, the default model list, which seed is used, saving to the run store. Errors name request
// fields ("models", "params", "edits[1]"), never a front end's flags. Serialisation is elsewhere
// (entente/output.hpp): a response is data.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "entente/analysis.hpp"
#include "entente/backtest.hpp"
#include "entente/merge.hpp"
#include "entente/ledger.hpp"
#include "entente/news.hpp"
#include "entente/deal.hpp"
#include "entente/model.hpp"
#include "entente/scenario.hpp"
#include "entente/store.hpp"

namespace entente {

// ---- Common parts ------------------------------------------------------------------------------

// A what-if edit of the scenario: drop an actor, or set one number.
struct Edit {
  enum class Kind { drop, set };
  Kind kind = Kind::set;
  std::string actor;
  std::string issue;  // set: empty for the actor's general capability
  std::string field;  // set: position | salience | capability
  double value = 0;   // set: position on the issue's scale; salience on the file's salience_scale
  SourceLocation origin;  // where the edit was given (command line, request body), for errors
  // "drop russia", "set russia.regions.salience=0.6": how outputs name the edit.
  [[nodiscard]] std::string label() const;
  // Parses "ACTOR.ISSUE.FIELD=V" or "ACTOR.capability=V" (InputError at `origin`).
  [[nodiscard]] static Edit parse_set(std::string_view assignment, SourceLocation origin = {});
  [[nodiscard]] static Edit drop_actor(std::string actor, SourceLocation origin = {});
};

// Where a request's scenario comes from, and the what-ifs to apply to it (in order).
struct ScenarioSource {
  std::string path;                           // a file in any supported format, or
  std::string text, name;                     // a file's content (`name` for detection and messages), or
  std::shared_ptr<const Scenario> scenario;   // an already loaded scenario
  std::vector<Edit> edits;
};
// Loads (or takes) the scenario and applies the edits: each edited number is marked as the
// analyst's (Quantity::edit), loses its old evidence and uncertainty. InputError on any problem.
[[nodiscard]] Scenario resolve_scenario(const ScenarioSource& source);

// The models of a request and their options.
struct ModelSelection {
  std::vector<std::string> models;  // empty = the default list of the request
  // "KEY=VALUE" for every selected model that declares KEY, or "MODEL.KEY=VALUE" for one model.
  std::vector<std::string> params;
  std::optional<std::uint64_t> seed;  // unset: the scenario's `seed:`, else 0
  Settle settle = Settle::last;
  const std::atomic<bool>* cancel = nullptr;  // raised: the models stop at their next round (Cancelled)
};

// Where a run is saved: nowhere (the library default), the default store, or a named file.
struct StoreTarget {
  bool save = false;
  std::string path;  // empty = Store::default_path()
  // Raised while the run is being written (e.g. a second Ctrl-C): the write rolls back and the
  // provenance says so; raised after the commit, the run is kept.
  const std::atomic<bool>* cancel = nullptr;
};

// How a response was made: enough to reproduce it and to say so in every output.
struct Provenance {
  std::string version;                 // entente's
  std::string scenario_file;           // as given (empty for text in memory)
  std::string scenario_hash;           // of the resolved scenario's native YAML
  std::vector<std::string> edits;      // Edit::label() of each what-if, in order
  std::uint64_t seed = 0;
  std::string seed_from;               // "request", "scenario" or "default"
  Settle settle = Settle::last;
  std::int64_t run_id = 0;             // in the store, when saved
  std::string store_path;
  std::string store_warning;           // why it was not saved, when saving was asked for and failed
  std::string store_note;              // e.g. that the default retention pruned old runs
};

// The one routing rule for parameters: each entry of `params` goes to the models it names (or, for
// a plain key, to every selected model that declares it); a key that no selected model declares
// is an error naming it. Returns one Params per model, in order.
[[nodiscard]] std::vector<Params> route_params(const std::vector<std::string>& models,
                                               const std::vector<std::string>& params);
// The models shown when none is named: the baselines, then every dynamic model.
[[nodiscard]] std::vector<std::string> default_models();
// The seed a request uses, and where it came from.
[[nodiscard]] std::pair<std::uint64_t, std::string> resolve_seed(const ModelSelection& selection,
                                                                 const Scenario& scenario);

// ---- Forecast and trace -----------------------------------------------------------------------

struct ForecastRequest {
  ScenarioSource scenario;
  ModelSelection models;  // default: default_models()
  StoreTarget store;
};
struct ForecastResponse {
  Scenario scenario;            // after the edits
  std::vector<Result> results;  // one per model, in the order asked
  Provenance provenance;
  // Each forecast checked against the veto players (entente/deal.hpp), parallel to `results`;
  // empty when the scenario has no veto players.
  std::vector<DealModel> deals;
  std::vector<VetoPlayer> veto_players;  // DealModel::margins are in this order
};
[[nodiscard]] ForecastResponse forecast(const ForecastRequest& request);

struct TraceRequest {
  ScenarioSource scenario;
  ModelSelection models;  // exactly one model with rounds (default bdm)
  int rounds = 0;         // > 0: sets the model's `rounds` (or max_turns) option
  std::string issue;      // only this issue (id)
  std::vector<std::string> events;  // event kinds to record and list ("offer", "exchange", ...)
  std::vector<std::string> series;  // only these actor series (e.g. "prob_of_position")
  StoreTarget store;
};
struct TraceResponse {
  Scenario scenario;
  Result result;
  std::string issue;
  std::vector<std::string> events, series;
  Provenance provenance;
};
[[nodiscard]] TraceResponse trace(const TraceRequest& request);

// ---- Analyses ----------------------------------------------------------------------------------

struct SimulateRequest {
  ScenarioSource scenario;
  ModelSelection models;  // one or more models (no default: say which)
  std::uint64_t draws = 1000;
  std::uint64_t first_draw = 0;
  unsigned threads = 0;
  int bins = 10;
  bool keep_draws = false;  // keep every draw's outcome in the response (Python, store)
  StoreTarget store;
  // How the store keeps the draws. Unset: DrawStorage::recompute for models without rounds (a draw
  // costs about as much to compute as to write), blocks for the others.
  std::optional<DrawStorage> draw_storage;
  // (draws finished, draws asked) of the current model; never called concurrently.
  std::function<void(const std::string& model, std::uint64_t, std::uint64_t)> progress;
  const std::atomic<bool>* cancel = nullptr;
  Distributor* distributor = nullptr;  // MPI: each rank runs its share; rank 0 gets the whole result
};
struct SimulateResponse {
  Scenario scenario;
  std::vector<SimulationSummary> summaries;  // one per model
  std::vector<SimulationResult> draws;       // per model, when keep_draws (or saved)
  bool partial = false;                      // interrupted
  bool speaker = true;                       // false on MPI ranks other than 0 (nothing to show)
  Provenance provenance;
};
[[nodiscard]] SimulateResponse simulate(const SimulateRequest& request);

// A run from a store (`entente runs show|export`). A simulation kept as DrawStorage::recompute has
// its draws computed again (on `threads`) from the stored scenario, model, parameters, seed and
// settle rule, and checked against the stored digest: InputError if they differ (an entente that
// computes them differently from the one that saved the run).
struct LoadRunRequest {
  std::string store;  // empty = Store::default_path()
  std::int64_t id = 0;
  unsigned threads = 0;
  const std::atomic<bool>* cancel = nullptr;  // raised: Cancelled
};
[[nodiscard]] StoredRun load_run(const LoadRunRequest& request);

struct SensitivityRequest {
  ScenarioSource scenario;
  ModelSelection models;  // exactly one model
  bool drop_actors = true;
  std::size_t top = 10;   // per issue, the inputs that move it most (0 = all that move it)
  bool all = false;       // every input, also those that do not move the forecast
  unsigned threads = 0;
  StoreTarget store;
  Distributor* distributor = nullptr;
};
struct SensitivityResponse {
  Scenario scenario;
  SensitivityResult result;
  std::size_t top = 10;
  bool all = false;
  bool speaker = true;
  Provenance provenance;
};
[[nodiscard]] SensitivityResponse sensitivity(const SensitivityRequest& request);

struct WhatIfRequest {
  ScenarioSource scenario;
  ModelSelection models;  // exactly one model
  WhatIfOptions options;  // actor, issue, lever, target... (model/params/seed are taken from `models`)
  std::string target;     // the target as given: a number, or an option name of a categorical issue
  StoreTarget store;
};
struct WhatIfResponse {
  Scenario scenario;
  WhatIfOptions options;
  WhatIfResult result;
  Provenance provenance;
};
[[nodiscard]] WhatIfResponse whatif(const WhatIfRequest& request);

struct CompareRequest {
  ScenarioSource a;
  std::optional<ScenarioSource> b;  // unset: A with `b_edits`
  std::vector<Edit> b_edits;        // what-ifs applied to B
  ModelSelection models;            // default: every model
  StoreTarget store;
};
struct CompareResponse {
  Scenario a, b;
  Comparison comparison;  // title_a / title_b name the what-ifs of each side
  Provenance provenance;  // of B
};
[[nodiscard]] CompareResponse compare(const CompareRequest& request);

// ---- Backtest, validation ----------------------------------------------------------------------

struct BacktestRequest {
  std::string file;        // DEU-layout CSV
  ModelSelection models;   // exactly one model (default compromise); not with `candidates`
  std::string capability = "equal";  // equal | vote-weights | shapley-shubik | banzhaf
  std::string vote_weights_file;
  int min_actors = 3;
  StoreTarget store;
  // Forecasters to score, MODEL[/KEY=VALUE]... (parse_candidate, docs/accuracy.md); empty: the one
  // model of `models` with its params.
  std::vector<std::string> candidates;
  std::vector<std::string> select_on;  // choose one candidate on these splits only (never "test")
  std::string criterion = "crps";      // crps | mae
  std::string baseline;                // candidate spec; "" = compromise with the same capabilities
  int bootstrap = 2000;                // paired bootstrap resamples
};
struct BacktestResponse {
  BacktestReport report;
  Provenance provenance;
};
[[nodiscard]] BacktestResponse backtest(const BacktestRequest& request);

struct ValidateRequest {
  ScenarioSource scenario;
  bool evidence = false;  // also list every number without evidence
};
struct ValidateResponse {
  Scenario scenario;
  std::string file;
  bool evidence = false;
  std::vector<MissingEvidence> missing;
};
[[nodiscard]] ValidateResponse validate(const ValidateRequest& request);

// ---- Expert panels -----------------------------------------------------------------------------

// Several experts' estimates of the same actors and issues merged into one scenario (the rule:
// include/entente/merge.hpp, docs/importers.md "Expert panels").
struct MergeRequest {
  std::vector<ScenarioSource> experts;  // one per expert, at least two; what-ifs apply to each
  std::vector<std::string> names;       // one per expert; empty: each file's name without extension
  std::size_t top = 10;                 // how many of the largest disagreements the listing shows
};
struct MergeResponse {
  PanelResult panel;                 // panel.scenario is the merged scenario
  std::vector<Diagnostic> warnings;  // the experts' importer warnings, expert by expert
  std::size_t top = 10;
};
[[nodiscard]] MergeResponse merge(const MergeRequest& request);

// ---- Models ------------------------------------------------------------------------------------

// Every registered model with its declared options (for `entente models`, the UI, the docs).
struct ModelsResponse {
  std::vector<const Model*> models;
};
[[nodiscard]] ModelsResponse list_models();

// ---- Forecast ledger and news (docs/ledger.md) -------------------------------------------------

// Seals a forecast of a scenario version in the ledger of a run store.
struct LedgerAddRequest {
  ScenarioSource scenario;
  ModelSelection models;      // default: compromise and bdm (when registered)
  std::uint64_t draws = 1000; // simulated draws behind the stored quantiles (0: point forecasts only)
  unsigned threads = 0;
  std::string store;          // empty = Store::default_path()
};
struct LedgerAddResponse {
  LedgerEntry entry;
  std::string store_path;
};
[[nodiscard]] LedgerAddResponse ledger_add(const LedgerAddRequest& request);

struct LedgerRequest {
  std::string store;        // empty = Store::default_path()
  std::string head;         // verify: the head hash recorded earlier (optional)
  std::string resolution;   // score, timeline: a resolution file (required for score)
  std::string title;        // timeline: the series (scenario title); empty: the resolution's, else the latest
};
struct LedgerListResponse {
  std::vector<LedgerEntry> entries;
  std::string store_path;
};
[[nodiscard]] LedgerListResponse ledger_list(const LedgerRequest& request);
struct LedgerVerifyResponse {
  LedgerVerification verification;
  std::string store_path;
};
[[nodiscard]] LedgerVerifyResponse ledger_verify(const LedgerRequest& request);
struct LedgerScoreResponse {
  Resolution resolution;
  LedgerScores scores;
};
[[nodiscard]] LedgerScoreResponse ledger_score(const LedgerRequest& request);
struct LedgerTimelineResponse {
  Timeline timeline;
};
[[nodiscard]] LedgerTimelineResponse ledger_timeline(const LedgerRequest& request);

// The scenario cells a plain-text article touches, with candidate quotes.
struct NewsRequest {
  std::string article;      // a plain-text file
  ScenarioSource scenario;
  std::string date;         // the article's date when its name and text do not give it
};
struct NewsResponse {
  NewsReport report;
};
[[nodiscard]] NewsResponse news(const NewsRequest& request);
// ---- Will there be a deal? (docs/models/deal.md) -----------------------------------------------

struct DealRequest {
  ScenarioSource scenario;
  ModelSelection models;  // the models whose forecasts are checked (none: only the model-free analysis)
  std::uint64_t draws = 0;  // 0: the scenario's values only; N: also N Monte Carlo draws
  std::uint64_t first_draw = 0;
  unsigned threads = 0;
  StoreTarget store;
  // (draws finished, draws asked); never called concurrently.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  const std::atomic<bool>* cancel = nullptr;
  Distributor* distributor = nullptr;  // MPI: each rank runs its share; rank 0 gets the whole result
};
struct DealResponse {
  Scenario scenario;
  DealResult result;
  bool partial = false;  // interrupted: the probabilities are over the finished draws
  bool speaker = true;   // false on MPI ranks other than 0
  Provenance provenance;
};
[[nodiscard]] DealResponse deal(const DealRequest& request);

// What would it take: the smallest change of one actor's no-deal inputs or salience that opens a
// zone of agreement.
struct DealWhatIfRequest {
  ScenarioSource scenario;
  DealWhatIfOptions options;  // actor, grid, ...
  StoreTarget store;
};
struct DealWhatIfResponse {
  Scenario scenario;
  DealWhatIfResult result;
  Provenance provenance;
};
[[nodiscard]] DealWhatIfResponse deal_whatif(const DealWhatIfRequest& request);

}  // namespace entente

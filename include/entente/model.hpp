// One interface for every model: a pure function of (scenario, parameters, seed) that returns a
// forecast per issue and, for dynamic models, its rounds as plain data (the Trace). Models know
// nothing about output: writers read Results.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "entente/params.hpp"
#include "entente/scenario.hpp"

namespace entente {

// Whether a dynamic model's forecast had settled by its last round. Static models: not_applicable.
// A forecast that cycles or drifts is not a forecast of where the talks settle, and every output
// says so (docs/models.md, "Settling").
struct Convergence {
  enum class State { not_applicable, settled, cycle, drift };
  State state = State::not_applicable;
  int rounds = 0;             // rounds the model ran
  int period = 0;             // cycle: period in rounds
  double low = 0, high = 0;   // cycle: lowest and highest value of one period; drift: over the last rounds
  double cycle_mean = 0;      // cycle: mean over one period
  double last = 0;            // the value at the last round
  double last_change = 0;     // last round's value minus the one before (drift)
  bool summarised = false;    // the forecast is the cycle's mean (Settle::mean_of_cycle), not the last round
  [[nodiscard]] bool settled() const noexcept { return state == State::settled || state == State::not_applicable; }
};
[[nodiscard]] const char* to_string(Convergence::State state) noexcept;

// How a forecast that cycles is summarised: the last round's value (the model's own output), or the
// mean over one period of the cycle.
enum class Settle { last, mean_of_cycle };
[[nodiscard]] Settle parse_settle(std::string_view text);  // "last", "mean_of_cycle" (or "mean-of-cycle"); InputError

// The forecast of one model for one issue.
struct Forecast {
  double value = 0;  // point forecast on the issue's scale (categorical: index of the likeliest option)
  bool defined = true;  // false if the model could not forecast this issue (e.g. no actor); see note
  // Further named figures, in a stable order: e.g. {"median", ...}, {"mean", ...}, {"win_prob", ...}.
  std::vector<std::pair<std::string, double>> extras;
  std::vector<double> option_probabilities;  // categorical issues: probability of each option
  std::string note;
  Convergence convergence;  // dynamic models: settled, cycling or drifting at the last round
  [[nodiscard]] const double* extra(std::string_view name) const;
};

// A model event inside a round (an offer, an exchange, a challenge...). Fields in a fixed order.
using EventValue = std::variant<double, long long, std::string>;
struct Event {
  std::string kind;  // e.g. "offer", "exchange"
  std::vector<std::pair<std::string, EventValue>> fields;
  [[nodiscard]] const EventValue* get(std::string_view name) const;
};

// Per-(issue, actor) series recorded in a round; NaN where the actor is absent from the issue.
struct ActorSeries {
  std::string name;                       // "position", "risk", "ideal", ...
  std::string column;                     // short column prefix for wide tables: "x", "r", ...
  std::vector<std::vector<double>> data;  // [issue][actor]
  bool per_round = false;  // one value per actor for the whole round (data[0] only), e.g. smp's win probability
};
// Per-issue figures recorded in a round, e.g. "median", "mean".
struct IssueSeries {
  std::string name;
  std::vector<double> data;  // [issue]
  bool on_scale = true;      // a value on the issue's scale (false: e.g. a count), so charts can plot it
};

struct Round {
  int index = 0;  // 0 = the initial state
  std::vector<ActorSeries> actor_series;  // "position" always first
  std::vector<IssueSeries> issue_series;
  std::vector<Event> events;
  [[nodiscard]] const ActorSeries* actors(std::string_view name) const;
  [[nodiscard]] const IssueSeries* issues(std::string_view name) const;
};

struct Trace {
  std::vector<Round> rounds;
  [[nodiscard]] bool empty() const noexcept { return rounds.empty(); }
};

struct Result {
  std::string model;
  Params params;  // resolved parameters (defaults filled in)
  std::uint64_t seed = 0;
  std::vector<Forecast> forecasts;  // [issue]
  // Dynamic models: the forecast statistic after each round, [issue][round] (round 0 = the start;
  // NaN where undefined). Always kept (it is small); it is what settling is judged on.
  std::vector<std::vector<double>> path;
  Trace trace;                      // only what the caller asked to record (RunContext::record)
  std::vector<std::pair<std::string, double>> diagnostics;  // e.g. {"rounds", 10}
};

// What a run keeps beyond its forecasts: the caller says, the model obeys, so nobody pays for
// events that nobody reads (Monte Carlo draws keep nothing).
struct Record {
  bool rounds = false;              // the Trace's per-round series
  std::vector<std::string> events;  // event kinds to keep (e.g. "offer"); "*" = every kind
  [[nodiscard]] bool event(std::string_view kind) const;
  [[nodiscard]] bool any_event() const noexcept { return !events.empty(); }
  [[nodiscard]] static Record everything() { return Record{true, {"*"}}; }
};

// Thrown inside a model run when its cancellation flag is raised (a time limit, Ctrl-C).
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

// What the caller gives a model besides (scenario, params, seed).
struct RunContext {
  Record record;
  const std::atomic<bool>* cancel = nullptr;  // polled in the model's loops
  void check_cancel() const {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled();
  }
};

struct ModelInfo {
  std::string name;         // registry name, e.g. "compromise"
  std::string title;        // one line
  std::string description;  // a paragraph: equations in words, sources
  std::vector<ParamSpec> params;
  bool has_rounds = false;
  bool stochastic = false;   // uses the seed
  bool categorical = false;  // forecasts categorical issues
  // How the trace reads best as a table (a description of the data, not an output choice):
  //  per_issue_wide: per issue, one row per round: round, issue series..., <column><actor>...
  //  long_form:      one row per (round, actor, issue): round, actor, dim, actor series...
  //  issue_rounds:   one row per (round, issue), issues by id: issue, round, issue series...
  enum class TraceLayout { per_issue_wide, long_form, issue_rounds };
  TraceLayout trace_layout = TraceLayout::per_issue_wide;
  std::string round_label = "round";  // "turn" for KTAB
};

class Model {
 public:
  virtual ~Model() = default;
  [[nodiscard]] virtual const ModelInfo& info() const = 0;
  // `params` are already resolved against info().params. Must be deterministic in (scenario, params,
  // seed); records only what `context.record` asks for; dynamic models fill Result::path.
  [[nodiscard]] virtual Result run(const Scenario& scenario, const Params& params, std::uint64_t seed,
                                   const RunContext& context) const = 0;
  // run() into `out`, which a caller may pass again and again (a simulation's draws on one thread)
  // so that its buffers are reused. The default assigns run()'s result. The static baselines
  // override it: their work per draw is less than allocating a Result, and malloc takes locks as
  // soon as a second thread exists.
  virtual void run_into(const Scenario& scenario, const Params& params, std::uint64_t seed,
                        const RunContext& context, Result& out) const {
    out = run(scenario, params, seed, context);
  }
};

// ---- Registry ---------------------------------------------------------------------------------

void register_model(std::unique_ptr<Model> model);
[[nodiscard]] const Model& find_model(std::string_view name);  // throws InputError (lists names)
[[nodiscard]] std::vector<const Model*> models();              // in registration-name order

// Options of one model run (Ceres style: options in, a Result that describes itself out).
struct RunOptions {
  Params params;                 // the user's parameters for this model (the scenario's stored ones first)
  std::uint64_t seed = 0;
  Settle settle = Settle::last;  // how a cycling forecast is summarised
  Record record;                 // what to keep beyond the forecasts (default: nothing)
  const std::atomic<bool>* cancel = nullptr;
};

// A model with its options resolved once (the scenario's stored parameters for the model, then
// the options' on top), to run it on many variants of a scenario (Monte Carlo draws, sensitivity).
// run() judges whether each forecast settled (Forecast::convergence) and applies options.settle.
class PreparedModel {
 public:
  PreparedModel(const Scenario& scenario, std::string_view model, RunOptions options);
  [[nodiscard]] Result run(const Scenario& scenario, std::uint64_t seed) const;
  // The same into `out`, reusing its buffers (Model::run_into).
  void run_into(const Scenario& scenario, std::uint64_t seed, Result& out) const;
  [[nodiscard]] Result run(const Scenario& scenario) const { return run(scenario, options_.seed); }
  [[nodiscard]] const Model& model() const noexcept { return *model_; }
  [[nodiscard]] const Params& params() const noexcept { return options_.params; }  // resolved
  [[nodiscard]] const RunOptions& options() const noexcept { return options_; }

 private:
  const Model* model_;
  RunOptions options_;
};

// PreparedModel(scenario, model, options).run(scenario).
[[nodiscard]] Result run_model(const Scenario& scenario, std::string_view model, const RunOptions& options);
// The same, recording the whole trace (every round and event): for tools and tests that read it.
[[nodiscard]] Result run_model(const Scenario& scenario, std::string_view model,
                               const Params& params = {}, std::uint64_t seed = 0);

// Settling of one forecast path (values after each round; round 0 = the start). `tolerance` is
// the change that counts as none (on the issue's scale). A cycle needs its last period to repeat
// the one before; see docs/models.md.
[[nodiscard]] Convergence assess_convergence(const std::vector<double>& path, double tolerance);

namespace detail {
template <class M>
struct ModelRegistrar {
  ModelRegistrar() { register_model(std::make_unique<M>()); }
};
}  // namespace detail

}  // namespace entente

// In a model's .cpp: ENTENTE_REGISTER_MODEL(MyModel); -- a new model is one new file.
#define ENTENTE_REGISTER_MODEL(Type) \
  static const ::entente::detail::ModelRegistrar<Type> entente_registrar_##Type {}

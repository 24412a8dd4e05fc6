// One interface for every model: a pure function of (scenario, parameters, seed) that returns a
// forecast per issue and, for dynamic models, its rounds as plain data (the Trace). Models know
// nothing about output: writers read Results.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "entente/params.hpp"
#include "entente/scenario.hpp"

namespace entente {

// The forecast of one model for one issue.
struct Forecast {
  double value = 0;  // point forecast on the issue's scale (categorical: index of the likeliest option)
  bool defined = true;  // false if the model could not forecast this issue (e.g. no actor); see note
  // Further named figures, in a stable order: e.g. {"median", ...}, {"mean", ...}, {"win_prob", ...}.
  std::vector<std::pair<std::string, double>> extras;
  std::vector<double> option_probabilities;  // categorical issues: probability of each option
  std::string note;
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
  Trace trace;                      // empty for static models
  std::vector<std::pair<std::string, double>> diagnostics;  // e.g. {"rounds", 10}
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
  // `params` are already resolved against info().params. Must be deterministic in (scenario, params, seed).
  [[nodiscard]] virtual Result run(const Scenario& scenario, const Params& params,
                                   std::uint64_t seed) const = 0;
};

// ---- Registry ---------------------------------------------------------------------------------

void register_model(std::unique_ptr<Model> model);
[[nodiscard]] const Model& find_model(std::string_view name);  // throws InputError (lists names)
[[nodiscard]] std::vector<const Model*> models();              // in registration-name order

// Resolves parameters (scenario's stored params for the model, then `params` on top) and runs.
[[nodiscard]] Result run_model(const Scenario& scenario, std::string_view model,
                               const Params& params = {}, std::uint64_t seed = 0);

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

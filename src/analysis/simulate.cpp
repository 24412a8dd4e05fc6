// Monte Carlo simulation: the model on many draws of the uncertain inputs, in parallel (TBB).
// Determinism: draw i depends only on (seed, i); outcomes are stored by draw index and every
// aggregate is computed in draw order afterwards, so threads, ranks and scheduling cannot change
// a single bit.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "analysis/internal.hpp"

namespace entente {

namespace detail {

PreparedModel::PreparedModel(const Scenario& scenario, const std::string& name, const Params& user) {
  model = &find_model(name);
  Params merged;
  if (auto it = scenario.model_params.find(model->info().name); it != scenario.model_params.end())
    for (const auto& [k, v] : it->second) merged.set(k, v);
  for (const auto& [k, v] : user.values()) merged.set(k, v);
  resolved = resolve_params(model->info().name, model->info().params, merged);
}

Result PreparedModel::run(const Scenario& s, std::uint64_t seed) const {
  Result r = model->run(s, resolved, seed);
  r.model = model->info().name;
  r.params = resolved;
  r.seed = seed;
  return r;
}

unsigned thread_count(unsigned requested) {
  const int avail = tbb::info::default_concurrency();
  if (requested == 0) return static_cast<unsigned>(std::max(1, avail));
  return requested;
}

}  // namespace detail

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Names of the per-round series a model's trace offers: its issue series, or, if it has none,
// the mean position of the actors on each issue ("mean_position").
std::vector<std::string> series_names(const Result& r) {
  std::vector<std::string> names;
  if (r.trace.empty()) return names;
  for (const auto& s : r.trace.rounds.front().issue_series) names.push_back(s.name);
  if (names.empty() && r.trace.rounds.front().actors("position")) names.push_back("mean_position");
  return names;
}

DrawOutcome outcome_of(const Result& r, const Scenario& s, const std::vector<std::string>& series, std::uint64_t draw) {
  DrawOutcome o;
  o.draw = draw;
  o.values = detail::forecast_values(r);
  o.probabilities.resize(r.forecasts.size());
  for (std::size_t i = 0; i < r.forecasts.size(); ++i)
    if (i < s.issues.size() && s.issues[i].kind == Issue::Kind::categorical)
      o.probabilities[i] = r.forecasts[i].option_probabilities;
  if (series.empty()) return o;
  o.rounds.assign(series.size(), {});
  for (std::size_t k = 0; k < series.size(); ++k) {
    auto& out = o.rounds[k];
    out.reserve(r.trace.rounds.size());
    for (const auto& round : r.trace.rounds) {
      std::vector<double> row(s.issues.size(), nan);
      if (series[k] == "mean_position") {
        if (const auto* pos = round.actors("position")) {
          for (std::size_t i = 0; i < row.size() && i < pos->data.size(); ++i) {
            double sum = 0;
            std::size_t n = 0;
            for (double x : pos->data[i])
              if (!std::isnan(x)) {
                sum += x;
                ++n;
              }
            if (n) row[i] = sum / static_cast<double>(n);
          }
        }
      } else if (const auto* is = round.issues(series[k])) {
        for (std::size_t i = 0; i < row.size() && i < is->data.size(); ++i) row[i] = is->data[i];
      }
      out.push_back(std::move(row));
    }
  }
  return o;
}
}  // namespace

SimulationResult simulate(const Scenario& scenario, const SimulationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const detail::PreparedModel prepared(scenario, options.model, options.params);
  SimulationResult result;
  result.model = prepared.model->info().name;
  result.params = prepared.resolved;
  result.seed = options.seed;
  result.first_draw = options.first_draw;
  result.draws_requested = options.draws;
  for (const auto& is : scenario.issues) result.issue_ids.push_back(is.id);
  // The series a trace offers are a property of the model: read them from a run on the point
  // values, the same on every rank whatever its range.
  if (prepared.model->info().has_rounds)
    result.round_series = series_names(prepared.run(scenario, model_seed(options.seed, 0)));

  const std::vector<UncertainInput> inputs = uncertain_inputs(scenario);
  const std::uint64_t n = options.draws;
  std::atomic<std::uint64_t> done{0};
  std::mutex progress_mutex;
  const std::uint64_t step = std::max<std::uint64_t>(1, n / 200);
  // Each worker thread keeps its own copy of the scenario and overwrites the uncertain numbers for
  // each draw (every one of them is drawn each time), which saves a deep copy per draw.
  tbb::enumerable_thread_specific<Scenario> work(scenario);
  const unsigned threads = detail::thread_count(options.threads);
  std::optional<tbb::global_control> allow;
  // Asking for more threads than cores is allowed (oversubscription), without TBB's warning.
  if (static_cast<int>(threads) > tbb::info::default_concurrency())
    allow.emplace(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(static_cast<int>(std::max(1u, threads)));

  // Blocks of draws: memory grows with the draws finished, not the draws asked for, and an
  // interrupted run keeps every finished block plus the finished draws of the current one.
  const std::uint64_t block = std::max<std::uint64_t>(1024, 256ULL * threads);
  std::vector<DrawOutcome> slots;
  std::vector<char> finished;
  bool stopped = false;
  for (std::uint64_t begin = 0; begin < n && !stopped; begin += block) {
    const std::uint64_t end = std::min(n, begin + block);
    slots.assign(end - begin, DrawOutcome{});
    finished.assign(end - begin, 0);
    auto body = [&](const tbb::blocked_range<std::uint64_t>& range) {
      Scenario& s = work.local();
      for (std::uint64_t k = range.begin(); k != range.end(); ++k) {
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) return;
        const std::uint64_t draw = options.first_draw + k;
        Rng rng(options.seed, draw);
        detail::draw_into(s, inputs, rng);
        // Isolated: if the model runs parallel sections of its own, a thread waiting in them
        // must not start another draw on this thread's scenario copy `s`.
        Result r;
        tbb::this_task_arena::isolate([&] { r = prepared.run(s, model_seed(options.seed, draw)); });
        slots[k - begin] = outcome_of(r, s, result.round_series, draw);
        finished[k - begin] = 1;
        const std::uint64_t d = done.fetch_add(1, std::memory_order_relaxed) + 1;
        if (options.progress && (d % step == 0 || d == n)) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          options.progress(done.load(std::memory_order_relaxed), n);
        }
      }
    };
    if (threads <= 1)
      body(tbb::blocked_range<std::uint64_t>(begin, end));
    else
      arena.execute([&] { tbb::parallel_for(tbb::blocked_range<std::uint64_t>(begin, end, 4), body); });
    for (std::size_t k = 0; k < slots.size(); ++k)
      if (finished[k]) result.outcomes.push_back(std::move(slots[k]));
    stopped = options.cancel && options.cancel->load();
  }
  result.partial = result.outcomes.size() < n;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

SimulationResult merge(std::vector<SimulationResult> parts) {
  if (parts.empty()) throw std::invalid_argument("merge: no parts");
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first_draw < b.first_draw; });
  SimulationResult out;
  const auto& head = parts.front();
  out.model = head.model;
  out.params = head.params;
  out.seed = head.seed;
  out.first_draw = head.first_draw;
  out.issue_ids = head.issue_ids;
  out.round_series = head.round_series;
  std::uint64_t expected_next = head.first_draw;
  for (auto& p : parts) {
    if (p.model != out.model || p.seed != out.seed || p.params.values() != out.params.values() ||
        p.issue_ids != out.issue_ids || p.round_series != out.round_series)
      throw std::invalid_argument("merge: parts come from different simulations");
    if (p.first_draw < expected_next) throw std::invalid_argument("merge: overlapping draw ranges");
    if (p.first_draw != expected_next) out.partial = true;  // a gap: some draws are missing
    expected_next = p.first_draw + p.draws_requested;
    out.draws_requested += p.draws_requested;
    out.partial = out.partial || p.partial;
    out.seconds += p.seconds;
    for (auto& o : p.outcomes) out.outcomes.push_back(std::move(o));
  }
  return out;
}

}  // namespace entente

// Monte Carlo simulation: the model on many draws of the uncertain inputs, in parallel (TBB).
// Determinism: draw i depends only on (seed, i); outcomes are stored by draw index and every
// aggregate is computed in draw order (afterwards, or streamed block by block in draw order), so
// threads, ranks and scheduling cannot change a single bit.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "analysis/internal.hpp"

namespace entente {

namespace detail {

unsigned thread_count(unsigned requested) {
  const int avail = tbb::info::default_concurrency();
  if (requested == 0) return static_cast<unsigned>(std::max(1, avail));
  return requested;
}

}  // namespace detail

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A draw's outcome: forecasts, option probabilities, whether each forecast settled, and for
// dynamic models the forecast after each round ([series 0 = "forecast"][round][issue]). Written
// into `o` in place: a slot's vectors keep their capacity from block to block, so a draw costs no
// allocation here once the first block has run.
void outcome_into(DrawOutcome& o, const Result& r, const Scenario& s, bool rounds, std::uint64_t draw) {
  o.draw = draw;
  const std::size_t m = r.forecasts.size();
  o.values.resize(m);
  for (std::size_t i = 0; i < m; ++i) o.values[i] = r.forecasts[i].defined ? r.forecasts[i].value : nan;
  o.probabilities.resize(m);
  o.convergence.resize(m);
  for (std::size_t i = 0; i < m; ++i) {
    if (i < s.issues.size() && s.issues[i].kind == Issue::Kind::categorical)
      o.probabilities[i].assign(r.forecasts[i].option_probabilities.begin(), r.forecasts[i].option_probabilities.end());
    else
      o.probabilities[i].clear();
    o.convergence[i] = static_cast<std::uint8_t>(r.forecasts[i].convergence.state);
  }
  if (!rounds) {
    o.rounds.clear();
    return;
  }
  std::size_t n = 0;
  for (const auto& p : r.path) n = std::max(n, p.size());
  o.rounds.resize(1);
  auto& out = o.rounds.front();
  out.resize(n);
  for (auto& row : out) row.assign(s.issues.size(), nan);
  // An issue whose run stopped early (its own stop rule) keeps its last value: the state it ended in.
  for (std::size_t i = 0; i < r.path.size() && i < s.issues.size(); ++i)
    for (std::size_t t = 0; t < r.path[i].size() || (t < n && !r.path[i].empty()); ++t)
      out[t][i] = r.path[i][std::min(t, r.path[i].size() - 1)];
}
}  // namespace

SimulationResult simulate(const Scenario& scenario, const SimulationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const PreparedModel prepared(scenario, options.model, detail::quiet_run(options.params, options.seed, options.settle));
  SimulationResult result;
  result.model = prepared.model().info().name;
  result.params = prepared.params();
  result.settle = options.settle;
  result.seed = options.seed;
  result.first_draw = options.first_draw;
  result.draws_requested = options.draws;
  for (const auto& is : scenario.issues) result.issue_ids.push_back(is.id);
  // Dynamic models: the distribution of the forecast after each round.
  const bool rounds = prepared.model().info().has_rounds;
  if (rounds) result.round_series = {"forecast"};

  const std::vector<UncertainInput> inputs = uncertain_inputs(scenario);
  const std::uint64_t n = options.draws;
  // On a cache line of its own: the workers' increments must not evict the locals next to it,
  // which every draw reads (perf on 2 threads: the draw loop's own samples fell from 12% to 4%).
  struct alignas(64) Counter {
    std::atomic<std::uint64_t> value{0};
  };
  Counter done;
  std::mutex progress_mutex;
  const std::uint64_t step = std::max<std::uint64_t>(1, n / 200);
  // Each worker thread keeps its own copy of the scenario and overwrites the uncertain numbers for
  // each draw (every one of them is drawn each time), which saves a deep copy per draw.
  struct Work {
    Scenario s;
    std::vector<double*> slots;  // the uncertain numbers' addresses in `s`
    Result r;                    // each draw's result, its buffers reused (Model::run_into)
  };
  tbb::enumerable_thread_specific<std::unique_ptr<Work>> work;
  const unsigned threads = detail::thread_count(options.threads);
  std::optional<tbb::global_control> allow;
  // Asking for more threads than cores is allowed (oversubscription), without TBB's warning.
  if (static_cast<int>(threads) > tbb::info::default_concurrency())
    allow.emplace(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(static_cast<int>(std::max(1u, threads)));

  // Blocks of draws: memory grows with the draws finished, not the draws asked for, and an
  // interrupted run keeps every finished block plus the finished draws of the blocks in flight.
  const std::uint64_t block = std::max<std::uint64_t>(1024, 256ULL * threads);
  // Two sets of slots: while the threads compute block b+1 into one, the caller hands block b (the
  // other) to on_block (the store's encoder, the running summary), so that serial work overlaps the
  // draws instead of idling the other threads. on_block still sees every block once, in draw order.
  // The slots are reused from block to block unless the caller keeps the outcomes (moved out).
  std::vector<DrawOutcome> slots[2];
  std::vector<char> finished[2];
  std::uint64_t first[2] = {0, 0};
  auto body_for = [&](int buf) {
    return [&, buf](const tbb::blocked_range<std::uint64_t>& range) {
      auto& w = work.local();
      if (!w) {
        w = std::make_unique<Work>(Work{scenario, {}, {}});
        w->slots = detail::input_slots(w->s, inputs);
      }
      Scenario& s = w->s;
      std::vector<DrawOutcome>& out = slots[buf];
      std::vector<char>& fin = finished[buf];
      const std::uint64_t base = first[buf];
      // Progress is published in batches (one atomic add per 32 draws, not per draw).
      std::uint64_t unpublished = 0;
      auto publish = [&] {
        if (unpublished == 0) return;
        const std::uint64_t d = done.value.fetch_add(unpublished, std::memory_order_relaxed) + unpublished;
        const bool crossed = d / step != (d - unpublished) / step || d == n;
        unpublished = 0;
        if (options.progress && crossed) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          options.progress(done.value.load(std::memory_order_relaxed), n);
        }
      };
      for (std::uint64_t k = range.begin(); k != range.end(); ++k) {
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
          publish();
          return;
        }
        const std::uint64_t draw = options.first_draw + k;
        Rng rng(options.seed, draw);
        detail::draw_into(s, w->slots, inputs, rng);
        // Isolated: if the model runs parallel sections of its own, a thread waiting in them
        // must not start another draw on this thread's scenario copy `s`.
        Result& r = w->r;
        tbb::this_task_arena::isolate([&] { prepared.run_into(s, model_seed(options.seed, draw), r); });
        outcome_into(out[k - base], r, s, rounds, draw);
        fin[k - base] = 1;
        if (++unpublished == 32) publish();
      }
      publish();
    };
  };
  auto prepare = [&](int buf, std::uint64_t begin) {
    const std::uint64_t end = std::min(n, begin + block);
    first[buf] = begin;
    slots[buf].resize(end - begin);
    finished[buf].assign(end - begin, 0);
  };
  // Runs in the arena: the draws of slots[buf] on all its threads.
  auto compute = [&](int buf) {
    const std::uint64_t begin = first[buf], end = begin + slots[buf].size();
    if (threads <= 1)
      body_for(buf)(tbb::blocked_range<std::uint64_t>(begin, end));
    else
      tbb::parallel_for(tbb::blocked_range<std::uint64_t>(begin, end, 4), body_for(buf));
  };
  auto deliver = [&](int buf) {
    std::vector<DrawOutcome>& out = slots[buf];
    const std::vector<char>& fin = finished[buf];
    // Only the finished draws, in draw order (all of them unless the run was cancelled).
    if (std::find(fin.begin(), fin.end(), 0) != fin.end()) {
      std::size_t kept = 0;
      for (std::size_t k = 0; k < out.size(); ++k)
        if (fin[k]) std::swap(out[kept++], out[k]);
      out.resize(kept);
    }
    // Streaming: the block goes to the caller (the store, a running summary) in draw order.
    if (options.on_block) options.on_block(result, out);
    if (options.keep_outcomes) {
      for (auto& o : out) result.outcomes.push_back(std::move(o));
      out.clear();
    } else {
      result.draws_streamed += out.size();
    }
  };
  if (n > 0) {
    int cur = 0;
    prepare(cur, 0);
    arena.execute([&] { compute(cur); });
    for (std::uint64_t begin = 0;; begin += block) {
      const std::uint64_t next = begin + block;
      const bool more = next < n && !(options.cancel && options.cancel->load());
      if (!more) {
        arena.execute([&] { deliver(cur); });
        break;
      }
      prepare(1 - cur, next);
      arena.execute([&] {
        tbb::task_group draws;
        draws.run([&] { compute(1 - cur); });
        try {
          deliver(cur);
        } catch (...) {
          // The draws in flight use this frame's slots: let them finish before unwinding.
          draws.cancel();
          try {
            draws.wait();
          } catch (...) {
          }
          throw;
        }
        draws.wait();
      });
      cur = 1 - cur;
    }
  }
  result.partial = result.draws_completed() < n;
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
  out.settle = head.settle;
  std::uint64_t expected_next = head.first_draw;
  for (auto& p : parts) {
    if (p.model != out.model || p.seed != out.seed || p.params.values() != out.params.values() || p.settle != out.settle ||
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

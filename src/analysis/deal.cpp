// Will there be a deal? (docs/models/deal.md): the point analysis, the Monte Carlo over the
// uncertain inputs (parallel with TBB, aggregated in draw order, so the same bits on any number of
// threads), and what it would take for one actor to open a zone of agreement.
#include "entente/deal.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "analysis/deal_lp.hpp"
#include "analysis/glpk_api.hpp"
#include "analysis/internal.hpp"

namespace entente {

namespace {
using detail::deal::inf;
using detail::deal::nan;
using detail::deal::Problem;
using detail::deal::Solver;

// GLPK keeps one environment per thread; it is freed when the outermost scope of a thread ends,
// so worker threads do not hold GLPK memory between analyses (and leak checkers stay quiet).
struct GlpkScope {
  static inline thread_local int depth = 0;
  GlpkScope() { ++depth; }
  ~GlpkScope() {
    if (--depth == 0 && detail::GlpkApi::loaded.load()) detail::glpk().glp_free_env();
  }
  GlpkScope(const GlpkScope&) = delete;
  GlpkScope& operator=(const GlpkScope&) = delete;
};

// The values of one issue acceptable to every veto player of that issue, the other issues held
// at x. A veto player that does not veto the issue is not asked (its acceptance does not depend
// on it; whether it accepts the package is in the margins and blockers).
std::vector<DealZone> zones_at(const Problem& pb, const std::vector<double>& x, double tol) {
  std::vector<DealZone> zones(pb.issues.size());
  std::vector<double> margins;
  for (const auto& pl : pb.players) margins.push_back(detail::deal::margin(pb, pl, x));
  for (std::size_t k = 0; k < pb.issues.size(); ++k) {
    const auto& d = pb.issues[k];
    DealZone& z = zones[k];
    z.categorical = d.categorical;
    if (d.categorical) {
      std::vector<double> y = x;
      for (std::size_t o = 0; o < d.options; ++o) {
        y[k] = static_cast<double>(o);
        bool ok = true;
        for (const auto& pl : pb.players) ok = ok && (!pl.vetoes[k] || detail::deal::margin(pb, pl, y) >= -tol);
        if (ok) z.options.push_back(o);
      }
      continue;
    }
    double lo = d.min, hi = d.max;
    bool ok = true;
    for (std::size_t i = 0; i < pb.players.size() && ok; ++i) {
      const auto& pl = pb.players[i];
      if (!pl.vetoes[k]) continue;  // its acceptance is not needed on this issue
      const bool counts = pl.s[k] != 0;
      // The margin without issue k's term: what the player can give up on k.
      const double a = margins[i] + (counts ? pl.s[k] * std::fabs(x[k] - pl.p[k]) / d.span : 0.0);
      if (a < -tol) {
        ok = false;
        break;
      }
      if (!counts) continue;
      const double r = std::max(a, 0.0) * d.span / pl.s[k];
      lo = std::max(lo, pl.p[k] - r);
      hi = std::min(hi, pl.p[k] + r);
    }
    if (ok && lo > hi && lo - hi <= 1e-9 * d.span) lo = hi = 0.5 * (lo + hi);  // a single point, up to rounding
    if (ok && lo <= hi) z.interval = std::make_pair(lo, hi);
  }
  return zones;
}

std::vector<double> forecast_package(const Scenario& s, const Result& r) {
  std::vector<double> x(s.issues.size(), nan);
  for (std::size_t k = 0; k < s.issues.size() && k < r.forecasts.size(); ++k) {
    const auto& f = r.forecasts[k];
    if (!f.defined || !std::isfinite(f.value)) continue;
    const auto& is = s.issues[k];
    if (is.kind == Issue::Kind::categorical) {
      const double o = std::round(f.value);
      if (o >= 0 && o < static_cast<double>(is.options.size())) x[k] = o;
    } else {
      x[k] = std::clamp(f.value, is.min, is.max);
    }
  }
  return x;
}

// What one draw (or the point values) says about one model's forecast.
struct ModelCheck {
  std::vector<double> forecast, package;
  std::vector<bool> completed;
  std::vector<double> margins;
  bool acceptable = false;
  std::vector<double> nearest;
  double nearest_distance = nan;
};

ModelCheck check(const Problem& pb, Solver& solver, std::vector<double> forecast, bool possible, double tol) {
  ModelCheck c;
  c.forecast = forecast;
  c.package = forecast;
  c.completed.assign(forecast.size(), false);
  bool undefined = false;
  for (std::size_t k = 0; k < forecast.size(); ++k)
    if (std::isnan(forecast[k])) {
      undefined = true;
      c.completed[k] = true;
    }
  if (undefined) {
    // The issues the model left open take the values that maximise the smallest margin.
    solver.fix(forecast);
    const double t = solver.maximin_value();
    c.package = solver.maximin_package(t);
    solver.fix(std::vector<double>(forecast.size(), nan));
  }
  c.acceptable = true;
  for (const auto& pl : pb.players) {
    c.margins.push_back(detail::deal::margin(pb, pl, c.package));
    c.acceptable = c.acceptable && c.margins.back() >= -tol;
  }
  if (c.acceptable) {
    c.nearest = c.package;
    c.nearest_distance = 0;
  } else if (possible) {
    if (auto n = solver.nearest(forecast)) {
      c.nearest = std::move(n->first);
      c.nearest_distance = n->second;
    }
  }
  return c;
}

DealModel to_model(const Scenario& s, const Problem& pb, std::string name, ModelCheck c, double tol) {
  DealModel m;
  m.model = std::move(name);
  m.forecast = std::move(c.forecast);
  m.package = std::move(c.package);
  m.completed = std::move(c.completed);
  m.margins = std::move(c.margins);
  m.acceptable = c.acceptable;
  for (std::size_t i = 0; i < pb.players.size(); ++i)
    if (m.margins[i] < -tol) m.blockers.push_back(s.actors[pb.players[i].actor].id);
  m.zones = zones_at(pb, m.package, tol);
  m.nearest = std::move(c.nearest);
  m.nearest_distance = c.nearest_distance;
  return m;
}

std::string method_of(const Problem& pb, std::size_t max_enumerated) {
  std::size_t product = 1;
  bool any = false;
  for (auto k : pb.categorical) {
    bool vetoed = false;
    for (const auto& pl : pb.players) vetoed = vetoed || (pl.vetoes[k] && pl.s[k] != 0);
    if (!vetoed) continue;
    any = true;
    product = product > max_enumerated ? product : product * pb.issues[k].options;
  }
  if (!any) return "linear programmes (no categorical issue is vetoed)";
  if (product > max_enumerated) return "mixed-integer programmes (GLPK branch and bound over the categorical options)";
  return fmt::format("linear programmes, one per combination of categorical options ({} combinations)", product);
}

// One Monte Carlo draw.
struct DealDraw {
  bool done = false;
  bool possible = false;
  double maximin = nan;
  std::vector<char> pivotal;                   // [player]
  std::vector<char> acceptable;                // [model]
  std::vector<std::vector<char>> rejects;      // [model][player]
  std::vector<std::vector<double>> nearest;    // [model] empty if none
};

}  // namespace

std::vector<VetoPlayer> veto_players(const Scenario& scenario) {
  const Problem pb = detail::deal::prepare(scenario);
  std::vector<VetoPlayer> out;
  for (const auto& pl : pb.players) {
    VetoPlayer v;
    v.actor = pl.actor;
    v.id = scenario.actors[pl.actor].id;
    for (std::size_t k = 0; k < pl.vetoes.size(); ++k)
      if (pl.vetoes[k]) v.issues.push_back(k);
    out.push_back(std::move(v));
  }
  return out;
}

DealModel check_forecast(const Scenario& scenario, const Result& forecast, const DealOptions& options) {
  GlpkScope scope;
  const Problem pb = detail::deal::prepare(scenario);
  Solver solver(pb, options.tolerance, options.max_enumerated);
  const bool possible = solver.maximin_value() >= -options.tolerance;
  ModelCheck c = check(pb, solver, forecast_package(scenario, forecast), possible, options.tolerance);
  return to_model(scenario, pb, forecast.model, std::move(c), options.tolerance);
}

namespace {

// The Monte Carlo aggregates of a run of draws, in draw order: counts add up and the value lists
// concatenate, so the shares of contiguous ranges (threads' blocks, MPI ranks) merge into exactly
// the one-process result.
struct Tally {
  std::uint64_t completed = 0, possible = 0;
  std::vector<std::uint64_t> pivotal;              // [player]
  std::vector<double> margins;                     // [draw] maximin margin
  std::vector<std::uint64_t> acceptable, near;     // [model]
  std::vector<std::vector<std::uint64_t>> rejects; // [model][player]
  std::vector<std::vector<std::vector<double>>> values;  // [model][issue] nearest package's value per draw
  Tally(std::size_t players, std::size_t models, std::size_t issues)
      : pivotal(players, 0), acceptable(models, 0), near(models, 0),
        rejects(models, std::vector<std::uint64_t>(players, 0)),
        values(models, std::vector<std::vector<double>>(issues)) {}
  void add(const Tally& t) {
    completed += t.completed;
    possible += t.possible;
    margins.insert(margins.end(), t.margins.begin(), t.margins.end());
    for (std::size_t j = 0; j < pivotal.size(); ++j) pivotal[j] += t.pivotal.at(j);
    for (std::size_t m = 0; m < acceptable.size(); ++m) {
      acceptable[m] += t.acceptable.at(m);
      near[m] += t.near.at(m);
      for (std::size_t j = 0; j < pivotal.size(); ++j) rejects[m][j] += t.rejects.at(m).at(j);
      for (std::size_t k = 0; k < values[m].size(); ++k)
        values[m][k].insert(values[m][k].end(), t.values.at(m).at(k).begin(), t.values.at(m).at(k).end());
    }
  }
};

// Byte copies of the tally for another rank (homogeneous nodes, as in distribute.cpp).
void put_u64s(std::string& out, const std::vector<std::uint64_t>& v) {
  const std::uint64_t n = v.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  if (n) out.append(reinterpret_cast<const char*>(v.data()), n * sizeof(std::uint64_t));
}
void put_doubles(std::string& out, const std::vector<double>& v) {
  const std::uint64_t n = v.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  if (n) out.append(reinterpret_cast<const char*>(v.data()), n * sizeof(double));
}
template <class T>
std::vector<T> take(const std::string& in, std::size_t& pos) {
  std::uint64_t n = 0;
  if (in.size() - pos < sizeof n) throw std::runtime_error("truncated deal payload from another rank");
  std::memcpy(&n, in.data() + pos, sizeof n);
  pos += sizeof n;
  if (n > (in.size() - pos) / sizeof(T)) throw std::runtime_error("truncated deal payload from another rank");
  std::vector<T> v(n);
  if (n) std::memcpy(v.data(), in.data() + pos, n * sizeof(T));
  pos += n * sizeof(T);
  return v;
}
std::string serialize(const Tally& t) {
  std::string out;
  put_u64s(out, {t.completed, t.possible});
  put_u64s(out, t.pivotal);
  put_doubles(out, t.margins);
  put_u64s(out, t.acceptable);
  put_u64s(out, t.near);
  for (const auto& r : t.rejects) put_u64s(out, r);
  for (const auto& m : t.values)
    for (const auto& v : m) put_doubles(out, v);
  return out;
}
Tally deserialize(const std::string& in, std::size_t players, std::size_t models, std::size_t issues) {
  Tally t(players, models, issues);
  std::size_t pos = 0;
  const auto head = take<std::uint64_t>(in, pos);
  if (head.size() != 2) throw std::runtime_error("malformed deal payload from another rank");
  t.completed = head[0];
  t.possible = head[1];
  t.pivotal = take<std::uint64_t>(in, pos);
  t.margins = take<double>(in, pos);
  t.acceptable = take<std::uint64_t>(in, pos);
  t.near = take<std::uint64_t>(in, pos);
  for (auto& r : t.rejects) r = take<std::uint64_t>(in, pos);
  for (auto& m : t.values)
    for (auto& v : m) v = take<double>(in, pos);
  if (t.pivotal.size() != players || t.acceptable.size() != models || t.near.size() != models)
    throw std::runtime_error("malformed deal payload from another rank");
  return t;
}

// The point analysis (no draws): the scenario's values, each model's forecast checked.
DealResult point_analysis(const Scenario& scenario, const DealOptions& o, std::vector<PreparedModel>& prepared) {

  GlpkScope scope;
  const double tol = o.tolerance;
  DealResult res;
  for (const auto& is : scenario.issues) res.issue_ids.push_back(is.id);
  res.veto_players = veto_players(scenario);

  const Problem pb = detail::deal::prepare(scenario);
  res.method = method_of(pb, o.max_enumerated);
  if (pb.players.empty())
    res.note = "no veto players: every package is acceptable (mark them with `veto:` in the scenario)";
  {
    Solver solver(pb, tol, o.max_enumerated);
    res.maximin_margin = solver.maximin_value();
    res.possible = res.maximin_margin >= -tol;
    res.maximin = solver.maximin_package(res.maximin_margin);
    for (const auto& pl : pb.players) res.maximin_margins.push_back(detail::deal::margin(pb, pl, res.maximin));
    res.zones = zones_at(pb, res.maximin, tol);
    for (std::size_t k = 0; k < pb.issues.size(); ++k) {
      DealZone r;
      r.categorical = pb.issues[k].categorical;
      if (res.possible) {
        if (r.categorical)
          r.options = solver.options_in_range(k);
        else
          r.interval = solver.range(k);
      }
      res.ranges.push_back(std::move(r));
    }
    for (std::size_t m = 0; m < prepared.size(); ++m) {
      const Result r = prepared[m].run(scenario, o.seed);
      ModelCheck c = check(pb, solver, forecast_package(scenario, r), res.possible, tol);
      res.models.push_back(to_model(scenario, pb, prepared[m].model().info().name, std::move(c), tol));
    }
  }

  res.seed = o.seed;
  res.first_draw = o.first_draw;
  res.draws_requested = o.draws;
  return res;
}

// Draws [o.first_draw, o.first_draw + o.draws) folded in draw order.
Tally run_draws(const Scenario& scenario, const DealOptions& o, std::vector<PreparedModel>& prepared) {
  GlpkScope scope;
  const double tol = o.tolerance;
  const Problem pb = detail::deal::prepare(scenario);
  const std::vector<UncertainInput> inputs = uncertain_inputs(scenario);
  const std::uint64_t n = o.draws;
  const std::size_t players = pb.players.size(), nmodels = prepared.size();
  Tally tally(players, nmodels, pb.issues.size());
  tbb::enumerable_thread_specific<Scenario> work(scenario);
  const unsigned threads = detail::thread_count(o.threads);
  std::optional<tbb::global_control> allow;
  if (static_cast<int>(threads) > tbb::info::default_concurrency())
    allow.emplace(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(static_cast<int>(std::max(1u, threads)));
  std::atomic<std::uint64_t> done{0};
  std::mutex progress_mutex;
  const std::uint64_t step = std::max<std::uint64_t>(1, n / 200);
  // Aggregates, folded in draw order block by block: memory grows with the values the
  // distributions need, not with whole draws, and a cancelled run keeps every finished draw.
  std::uint64_t& completed = tally.completed;
  std::uint64_t& possible = tally.possible;
  auto& pivotal = tally.pivotal;
  auto& margins = tally.margins;
  auto& acceptable = tally.acceptable;
  auto& near = tally.near;
  auto& rejects = tally.rejects;
  auto& values = tally.values;
  const std::uint64_t block = std::max<std::uint64_t>(1024, 256ULL * threads);
  std::vector<DealDraw> draws;
  bool stopped = false;
  for (std::uint64_t begin = 0; begin < n && !stopped; begin += block) {
    const std::uint64_t end = std::min(n, begin + block);
    draws.assign(end - begin, DealDraw{});
    auto body = [&](const tbb::blocked_range<std::uint64_t>& range) {
      GlpkScope draw_scope;
      Scenario& s = work.local();
      for (std::uint64_t k = range.begin(); k != range.end(); ++k) {
        if (o.cancel && o.cancel->load(std::memory_order_relaxed)) return;
        const std::uint64_t draw = o.first_draw + k;
        Rng rng(o.seed, draw);
        detail::draw_into(s, inputs, rng);
        DealDraw& out = draws[k - begin];
        std::vector<Result> results(nmodels);
        // Isolated: a model's own parallel sections must not start another draw on `s`.
        tbb::this_task_arena::isolate([&] {
          for (std::size_t m = 0; m < nmodels; ++m) results[m] = prepared[m].run(s, model_seed(o.seed, draw));
        });
        const Problem dp = detail::deal::prepare(s);
        Solver solver(dp, tol, o.max_enumerated);
        out.maximin = solver.maximin_value();
        out.possible = out.maximin >= -tol;
        out.pivotal.assign(players, 0);
        if (!out.possible && players > 1)
          for (std::size_t j = 0; j < players; ++j) {
            solver.set_active(j, false);
            out.pivotal[j] = solver.feasible() ? 1 : 0;
            solver.set_active(j, true);
          }
        for (std::size_t m = 0; m < nmodels; ++m) {
          ModelCheck c = check(dp, solver, forecast_package(s, results[m]), out.possible, tol);
          out.acceptable.push_back(c.acceptable ? 1 : 0);
          std::vector<char> rej(players, 0);
          for (std::size_t j = 0; j < players; ++j) rej[j] = c.margins[j] < -tol ? 1 : 0;
          out.rejects.push_back(std::move(rej));
          out.nearest.push_back(std::move(c.nearest));
        }
        out.done = true;
        const std::uint64_t d = done.fetch_add(1, std::memory_order_relaxed) + 1;
        if (o.progress && (d % step == 0 || d == n)) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          o.progress(done.load(std::memory_order_relaxed), n);
        }
      }
    };
    if (threads <= 1)
      body(tbb::blocked_range<std::uint64_t>(begin, end));
    else
      arena.execute([&] { tbb::parallel_for(tbb::blocked_range<std::uint64_t>(begin, end, 4), body); });
    for (const auto& d : draws) {
      if (!d.done) continue;
      ++completed;
      possible += d.possible ? 1 : 0;
      margins.push_back(std::isfinite(d.maximin) ? d.maximin : nan);
      for (std::size_t j = 0; j < players; ++j) pivotal[j] += d.pivotal[j];
      for (std::size_t m = 0; m < nmodels; ++m) {
        acceptable[m] += d.acceptable[m];
        for (std::size_t j = 0; j < players; ++j) rejects[m][j] += d.rejects[m][j];
        if (d.nearest[m].empty()) continue;
        ++near[m];
        for (std::size_t k = 0; k < pb.issues.size(); ++k) values[m][k].push_back(d.nearest[m][k]);
      }
    }
    stopped = o.cancel && o.cancel->load();
  }
  return tally;
}

// The Monte Carlo summary of a tally into the result.
void finish(const Scenario& scenario, DealResult& res, const Tally& tally) {
  const Problem pb = detail::deal::prepare(scenario);
  const std::uint64_t n = res.draws_requested, completed = tally.completed;
  res.draws_completed = completed;
  res.partial = completed < n;
  if (completed > 0) {
    const auto share = [&](std::uint64_t c) { return static_cast<double>(c) / static_cast<double>(completed); };
    res.p_possible = share(tally.possible);
    for (auto c : tally.pivotal) res.p_pivotal.push_back(share(c));
    res.maximin_margin_distribution = describe(tally.margins);
    for (std::size_t m = 0; m < res.models.size(); ++m) {
      DealModel& dm = res.models[m];
      const auto& near = tally.near;
      dm.p_acceptable = share(tally.acceptable[m]);
      for (auto c : tally.rejects[m]) dm.p_blocks.push_back(share(c));
      dm.nearest_draws = near[m];
      dm.nearest_distribution.assign(pb.issues.size(), Distribution{});
      dm.nearest_options.assign(pb.issues.size(), {});
      for (std::size_t k = 0; k < pb.issues.size(); ++k) {
        if (!pb.issues[k].categorical) {
          dm.nearest_distribution[k] = describe(tally.values[m][k]);
          continue;
        }
        std::vector<double> counts(pb.issues[k].options, 0.0);
        for (double v : tally.values[m][k])
          if (v >= 0 && v < static_cast<double>(counts.size())) counts[static_cast<std::size_t>(v)] += 1;
        for (auto& c : counts) c = near[m] ? c / static_cast<double>(near[m]) : nan;
        dm.nearest_options[k] = std::move(counts);
      }
    }
  }
}

std::vector<PreparedModel> prepare_models(const Scenario& scenario, const DealOptions& o) {
  std::vector<PreparedModel> prepared;
  for (std::size_t m = 0; m < o.models.size(); ++m)
    prepared.emplace_back(scenario, o.models[m], RunOptions{m < o.params.size() ? o.params[m] : Params{}, o.seed, o.settle, {}, nullptr});
  return prepared;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

DealResult analyse_deal(const Scenario& scenario, const DealOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<PreparedModel> prepared = prepare_models(scenario, o);
  DealResult res = point_analysis(scenario, o, prepared);
  if (o.draws > 0) finish(scenario, res, run_draws(scenario, o, prepared));
  res.seconds = seconds_since(start);
  return res;
}

DealResult analyse_deal(const Scenario& scenario, const DealOptions& o, Distributor& distributor) {
  const int size = std::max(1, distributor.size()), rank = distributor.rank();
  if (size == 1 || o.draws == 0) return analyse_deal(scenario, o);
  const auto start = std::chrono::steady_clock::now();
  std::vector<PreparedModel> prepared = prepare_models(scenario, o);
  DealResult res = point_analysis(scenario, o, prepared);
  // This rank's contiguous share of the draws (the same split as simulate's).
  const auto r = static_cast<std::uint64_t>(rank), ranks = static_cast<std::uint64_t>(size);
  const std::uint64_t base = o.draws / ranks, extra = o.draws % ranks;
  DealOptions mine = o;
  mine.first_draw = o.first_draw + r * base + std::min(r, extra);
  mine.draws = base + (r < extra ? 1 : 0);
  if (rank != 0) mine.progress = nullptr;
  const Tally part = run_draws(scenario, mine, prepared);
  const auto payloads = distributor.gather(serialize(part));
  if (rank != 0) {
    DealResult share = res;
    share.first_draw = mine.first_draw;
    share.draws_requested = mine.draws;
    finish(scenario, share, part);
    share.seconds = seconds_since(start);
    return share;
  }
  const std::size_t players = res.veto_players.size(), models = res.models.size(), issues = res.issue_ids.size();
  Tally all(players, models, issues);
  for (const auto& p : payloads) all.add(deserialize(p, players, models, issues));
  finish(scenario, res, all);
  res.seconds = seconds_since(start);
  return res;
}

// ---- What would it take -----------------------------------------------------------------------

DealWhatIfResult deal_whatif(const Scenario& scenario, const DealWhatIfOptions& o) {
  GlpkScope scope;
  const std::size_t a = scenario.actor_index(o.actor);
  const Actor& actor = scenario.actors[a];
  DealWhatIfResult res;
  res.actor = actor.id;
  res.veto = actor.veto.has_value();
  const Problem pb = detail::deal::prepare(scenario);
  const auto it = std::find_if(pb.players.begin(), pb.players.end(), [&](const auto& pl) { return pl.actor == a; });
  {
    Solver solver(pb, o.tolerance, o.max_enumerated);
    res.maximin_margin = solver.maximin_value();
  }
  res.already_possible = res.maximin_margin >= -o.tolerance;
  if (it == pb.players.end()) {
    res.note = fmt::format("'{}' is not a veto player: its no-deal expectation, cost and salience do not decide "
                           "whether a deal is possible",
                           actor.id);
    return res;
  }
  if (res.already_possible) {
    res.note = "a zone of agreement exists already: some package is acceptable to every veto player";
    return res;
  }
  const std::size_t j = static_cast<std::size_t>(it - pb.players.begin());
  const detail::deal::Player& pl = pb.players[j];
  double total_salience = 0;
  for (std::size_t k = 0; k < pb.issues.size(); ++k)
    if (pl.vetoes[k]) total_salience += pl.s[k];

  // The relief the actor's acceptance needs: exact, as a linear programme.
  std::optional<double> relief;
  {
    Solver solver(pb, o.tolerance, o.max_enumerated, j);
    relief = solver.min_relief();
  }
  const double cost = actor.no_deal_cost ? actor.no_deal_cost->value : 0.0;
  {
    DealLever l;
    l.lever = "no_deal_cost";
    l.current = cost;
    l.low = cost;
    l.high = cost + std::max(total_salience, 0.0);
    if (relief) {
      l.opens = true;
      l.value = cost + *relief;
      l.change = *relief;
      l.relative = total_salience > 0 ? *relief / total_salience : nan;
    } else {
      l.note = "the other veto players accept no package in common, whatever this actor's cost";
    }
    res.levers.push_back(std::move(l));
  }
  for (std::size_t k = 0; k < pb.issues.size(); ++k) {
    if (!pl.vetoes[k]) continue;
    const Issue& is = scenario.issues[k];
    const Stance& st = *actor.stances[k];
    const auto& d = pb.issues[k];
    DealLever l;
    l.lever = "no_deal";
    l.issue = is.id;
    l.categorical = d.categorical;
    if (d.categorical) {
      l.current = st.no_deal ? st.no_deal->value : nan;
      l.low = 0;
      l.high = static_cast<double>(d.options) - 1;
    } else {
      l.current = st.no_deal ? st.no_deal->value : *is.status_quo;
      l.low = d.min;
      l.high = d.max;
    }
    if (!relief) {
      l.note = "the other veto players accept no package in common";
    } else if (pl.s[k] == 0) {
      l.note = "salience 0: the no-deal point on this issue does not count";
    } else if (!d.categorical) {
      // Lowering U_i(d_i) by the relief: a no-deal point farther from the actor's position.
      const double cur = l.current;
      const double need = std::fabs(cur - pl.p[k]) + *relief * d.span / pl.s[k];
      std::optional<double> best;
      for (double cand : {pl.p[k] - need, pl.p[k] + need})
        if (cand >= d.min - 1e-12 * d.span && cand <= d.max + 1e-12 * d.span) {
          cand = std::clamp(cand, d.min, d.max);
          if (!best || std::fabs(cand - cur) < std::fabs(*best - cur)) best = cand;
        }
      if (best) {
        l.opens = true;
        l.value = *best;
        l.change = *best - cur;
        l.relative = std::fabs(l.change) / d.span;
      } else {
        l.note = fmt::format("it would take a no-deal point {:.6g} from the actor's position, beyond the scale", need);
      }
    } else {
      const double cur_u = st.no_deal ? pl.u[k][static_cast<std::size_t>(st.no_deal->value)] : 0.0;
      const double limit = cur_u - *relief / pl.s[k];
      std::optional<std::size_t> best;
      for (std::size_t opt = 0; opt < d.options; ++opt)
        if (pl.u[k][opt] <= limit + 1e-12 && (!best || pl.u[k][opt] > pl.u[k][*best])) best = opt;
      if (best) {
        l.opens = true;
        l.value = static_cast<double>(*best);
        l.change = pl.u[k][*best] - cur_u;  // in utility
        l.relative = std::fabs(l.change);
      } else if (limit >= -1e-12 && st.no_deal) {
        // No option is that bad for the actor, but expecting no option agreed (utility 0) is.
        l.opens = true;
        l.value = nan;
        l.change = -cur_u;
        l.relative = cur_u;
        l.note = "expecting no option agreed (utility 0), i.e. no no_deal option";
      } else {
        l.note = fmt::format("it would take a no-deal outcome worth {:.6g} or less to the actor: below every option "
                             "and below no option agreed (0)",
                             limit);
      }
    }
    res.levers.push_back(std::move(l));
  }
  // Salience: t*(s) is piecewise linear but not monotone, so a grid on each side of the current
  // value, then bisection of the first bracket that opens a zone.
  for (std::size_t k = 0; k < pb.issues.size(); ++k) {
    if (!pl.vetoes[k]) continue;
    DealLever l;
    l.lever = "salience";
    l.issue = scenario.issues[k].id;
    l.current = pl.s[k];
    l.low = 0;
    l.high = 1;
    if (!relief) {
      l.note = "the other veto players accept no package in common";
      res.levers.push_back(std::move(l));
      continue;
    }
    Scenario s = scenario;
    auto opens = [&](double v) {
      s.actors[a].stances[k]->salience.value = v;
      const Problem p2 = detail::deal::prepare(s);
      Solver solver(p2, o.tolerance, o.max_enumerated);
      return solver.maximin_value() >= -o.tolerance;
    };
    const int grid = std::max(2, o.grid);
    std::optional<double> best;
    for (int dir : {-1, +1}) {
      const double reach = dir < 0 ? l.current : 1 - l.current;
      if (!(reach > 0)) continue;
      double prev = l.current;
      for (int g = 1; g <= grid; ++g) {
        const double x = g == grid ? (dir < 0 ? 0.0 : 1.0) : l.current + dir * reach * g / grid;
        if (best && std::fabs(x - l.current) >= std::fabs(*best - l.current)) break;
        if (opens(x)) {
          double lo = prev, hi = x;  // lo closes, hi opens
          for (int it2 = 0; it2 < 100 && std::fabs(hi - lo) > 1e-12; ++it2) {
            const double mid = 0.5 * (lo + hi);
            if (mid == lo || mid == hi) break;
            (opens(mid) ? hi : lo) = mid;
          }
          if (!best || std::fabs(hi - l.current) < std::fabs(*best - l.current)) best = hi;
          break;
        }
        prev = x;
      }
    }
    if (best) {
      l.opens = true;
      l.value = *best;
      l.change = *best - l.current;
      l.relative = std::fabs(l.change);
    } else {
      l.note = fmt::format("no salience in [0, 1] opens a zone (grid of {} points each side)", grid);
    }
    res.levers.push_back(std::move(l));
  }
  for (std::size_t i = 0; i < res.levers.size(); ++i) {
    const auto& l = res.levers[i];
    if (l.opens && std::isfinite(l.relative) && (!res.best || l.relative < res.levers[*res.best].relative)) res.best = i;
  }
  if (!relief)
    res.note = fmt::format("no change of '{}' alone opens a zone: the other veto players have no package in common",
                           actor.id);
  else if (!res.best)
    res.note = "no lever within its bounds opens a zone";
  return res;
}

}  // namespace entente

// Stokman's exchange model of collective decision making (vote trading on pairs of issues), as
// the Decide project implements it: /work/shared/specs/exchange-algorithm.md (section numbers
// below, "§") and docs/models/exchange.md. The engine is templated on the number type:
// Decimal28 reproduces Decide's Python Decimal arithmetic exactly (the default); double is the
// fast mode with the tolerance rules of §11.
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "entente/diagnostics.hpp"
#include "entente/model.hpp"
#include "entente/random.hpp"
#include "models/exchange/decimal28.hpp"

namespace entente::exchange {
namespace {

// ---- Number policies --------------------------------------------------------------------------

enum class Variant { equal_gain, rex, random_rate };

inline double abs(double v) { return std::fabs(v); }  // beside abs(Decimal28), for the templates

template <class N>
struct Arith;

// Exact: Python Decimal semantics. Thresholds are the binary doubles Decide compares against,
// taken exactly (m <= T iff m <= truncate38(T) for numbers of <= 38 digits).
template <>
struct Arith<Decimal28> {
  using N = Decimal28;
  static constexpr bool exact = true;
  static N input(double v) { return Decimal28::from_double_shortest(v); }
  static double out(const N& v) { return v.to_double(); }
  static double approx(const N& v) { return v.approx(); }
  static N exact_double(double v) { return round28(ExactDecimal::from_double(v)); }
  static const N& t_1e10() {
    static const N t = ExactDecimal::from_double(1e-10).truncate38();
    return t;
  }
  static const N& t_1e20() {
    static const N t = ExactDecimal::from_double(1e-20).truncate38();
    return t;
  }
  static bool tiny(const N& m) { return abs(m) <= t_1e10(); }        // |m| <= 1e-10
  static bool gain_ok(const N& g) { return !(g <= t_1e10()); }       // g >= 1e-10 (T not 38-digit)
  static bool gains_tied(const N& a, const N& b) { return a == b; }  // exact (list order decides)
  static bool random_tied(const N& a, const N& b) { return abs(a - b) <= t_1e20(); }  // < 1e-20
  static bool le(const N& a, const N& b) { return a <= b; }
  static bool lt(const N& a, const N& b) { return a < b; }
  static bool is_zero(const N& a) { return a.is_zero(); }
  static bool nonneg(const N& a) { return !a.negative(); }
  static bool nonpos(const N& a) { return !(a > N(0)); }
  static const N& hundred() {
    static const N h(100);
    return h;
  }
  static bool above100(const N& a) { return !a.negative() && a > hundred(); }
  static bool below0(const N& a) { return a.negative(); }
  static int sign(const N& a) { return a.is_zero() ? 0 : (a.negative() ? -1 : 1); }
  // x' = ((1-s)*ws)*y + wf*y + ((1-(1-s)*ws) - wf)*x with ws, wf exact binary constants (§9).
  static N pref_update(const N& s, const N& y, const N& x, const ExactDecimal& ws, const ExactDecimal& wf) {
    const N one(1);
    const N a = mul(ExactDecimal(one - s), ws);
    const N t1 = a * y;
    const N t2 = mul(wf, ExactDecimal(y));
    const N t3 = sub(ExactDecimal(one - a), wf) * x;
    return (t1 + t2) + t3;
  }
};

// Fast: doubles with the tolerance rules of §11 (equalities within 1e-9, full moves snapped).
template <>
struct Arith<double> {
  using N = double;
  static constexpr bool exact = false;
  static constexpr double tol = 1e-9;
  static N input(double v) { return v; }
  static double out(double v) { return v; }
  static double approx(double v) { return v; }
  static N exact_double(double v) { return v; }
  static bool tiny(double m) { return std::fabs(m) <= 1e-10; }
  static bool gain_ok(double g) { return g >= 1e-10; }
  static bool gains_tied(double a, double b) { return std::fabs(a - b) <= tol * std::max(std::fabs(a), std::fabs(b)); }
  static bool random_tied(double a, double b) { return gains_tied(a, b) || std::fabs(a - b) < 1e-20; }
  static bool le(double a, double b) { return a <= b + tol; }
  static bool lt(double a, double b) { return a < b - tol; }
  static bool is_zero(double a) { return a == 0; }
  static bool nonneg(double a) { return a >= -tol; }
  static bool nonpos(double a) { return a <= tol; }
  static bool above100(double a) { return a > 100 + tol; }
  static bool below0(double a) { return a < -tol; }
  static int sign(double a) { return a == 0 ? 0 : (a < 0 ? -1 : 1); }
  static N pref_update(double s, double y, double x, double ws, double wf) {
    const double a = (1 - s) * ws;
    return (a * y + wf * y) + ((1 - a) - wf) * x;
  }
};

// ---- Data of one round ------------------------------------------------------------------------

// One side of a candidate exchange (§4). Decide keeps each side's moves in a stack; only its top
// (the current move) is ever replaced, and an older top only ever becomes history, never comes
// back. So the stack is kept as the top plus what moveOK (§6) needs of the rest: their sum, added
// in order (the same roundings as summing the stack), and whether they all share one sign.
template <class N>
struct Side {
  N pos{}, y{};
  N top{};   // the current move
  N hsum{};  // sum of the moves below the top
  std::uint32_t actor = 0;
  std::uint16_t sup = 0, dem = 0;  // issue indices
  std::int8_t hsign = 0;  // moves below the top: 0 none, +1 all > 0, -1 all < 0, 2 otherwise
  bool full = false;      // double mode: this move goes all the way to the partner's position
  [[nodiscard]] const N& move() const { return top; }
};

// A candidate exchange. A million of them are alive at once in large runs and each
// realisation touches a few hundred at random, so it is kept to two cache lines (in double
// mode); what only the selection heap or the REX/Random Rate variants need lives beside it.
template <class N>
struct alignas(64) Cand {
  Side<N> I, J;  // I supplies q (= I.sup), J supplies p (= J.sup)
  N gain{};
  std::int64_t label = 0;   // list order among equal gains (see select loop)
  bool valid = false;       // (whether it is still in the list: Engine::mark_)
  std::uint8_t groups = 0;  // 0: groups 0 x 3, 1: groups 1 x 2 (§4)
};

// REX: the side utilities; Random Rate: each actor's own gain and the drawn rate rq/rp.
template <class N>
struct Extra {
  N gain_i{}, gain_j{};
  N rate{};
  std::uint32_t evals = 0;  // REX: evaluations so far (keys the draws)
};

// The update book of §4/§8 for one issue k: the positions of the actors that moved on k in
// realised exchanges where the candidate's actor on the demand side of k was the partner, in
// the order they were first recorded. Every candidate is in the list from the round's start and
// sees each of these realisations (they are exactly the demand overlaps), so all candidates whose
// demander on k is actor d have the same book: one book per (d, k), shared.
template <class N>
struct Book {
  std::vector<std::uint32_t> actors;
  std::vector<N> values;
  const N* find(std::uint32_t actor) const {
    for (std::size_t i = 0; i < actors.size(); ++i)
      if (actors[i] == actor) return &values[i];
    return nullptr;
  }
};

struct Options {
  int rounds = 10;
  Variant variant = Variant::equal_gain;
  double p = 0;
  bool rex_fix = false;
  bool random_ties = false;
  double salience_weight = 0.4, fixed_weight = 0.1;
  bool externalities = true;     // compute and record externality events (only when asked for)
  bool record_rounds = true;     // per-round series in the trace
  bool record_exchanges = true;  // "exchange" events
};

struct ExtTotals {
  double own = 0, inner_pos = 0, inner_neg = 0, outer_pos = 0, outer_neg = 0;
};

template <class N>
class Engine {
  using A = Arith<N>;
  using W = std::conditional_t<A::exact, ExactDecimal, double>;

 public:
  Engine(const Scenario& sc, const Options& opt, std::uint64_t seed)
      : sc_(sc), opt_(opt), rng_(seed, 0x45584348), seed_(seed) {
    nI_ = sc.issues.size();
    nA_ = sc.actors.size();
    if (nI_ > 65535) throw ResourceError(fmt::format("exchange: {} issues; the model handles at most 65535", nI_));
    if constexpr (A::exact) {
      ws_ = ExactDecimal::from_double(opt.salience_weight);
      wf_ = ExactDecimal::from_double(opt.fixed_weight);
      p_ = ExactDecimal(Decimal28::from_double_shortest(opt.p));  // Decide passes p as text ("0.1")
    } else {
      ws_ = opt.salience_weight;
      wf_ = opt.fixed_weight;
      p_ = opt.p;
    }
    has_.assign(nI_, std::vector<char>(nA_, 0));
    x_.assign(nI_, std::vector<N>(nA_, N(0)));
    s_.assign(nI_, std::vector<N>(nA_, N(0)));
    c_.assign(nI_, std::vector<N>(nA_, N(0)));
    rows_.assign(nI_, {});
    lower_.assign(nI_, N(0));
    scale_.assign(nI_, N(0));
    for (std::size_t k = 0; k < nI_; ++k) {
      const Issue& is = sc.issues[k];
      if (is.kind != Issue::Kind::numeric) continue;
      // §1: scale = 100/(upper-lower), x = (position-lower)*scale.
      lower_[k] = A::input(is.min);
      const N upper = A::input(is.max);
      scale_[k] = upper == lower_[k] ? N(0) : N(100) / (upper - lower_[k]);
      for (std::size_t a = 0; a < nA_; ++a) {
        const Stance* st = sc.stance(a, k);
        if (!st) continue;
        has_[k][a] = 1;
        rows_[k].push_back(static_cast<std::uint32_t>(a));
        x_[k][a] = (A::input(st->position.value) - lower_[k]) * scale_[k];
        s_[k][a] = A::input(st->salience.value);
        c_[k][a] = A::input(sc.capability(a, k));
      }
    }
  }

  [[nodiscard]] std::size_t planned() const { return planned_; }
  // Memory per candidate of a round: the candidate, its keys, mark and heap entries, two list
  // slots each in two lists, and the REX/Random Rate extras when used.
  static constexpr std::size_t bytes_per_candidate() {
    return sizeof(Cand<N>) + sizeof(Keys) + sizeof(std::uint32_t) + sizeof(HeapEntry) + sizeof(N) + sizeof(std::int64_t) +
           4 * sizeof(std::uint32_t) + sizeof(Slot);
  }

  Result run(const RunContext& context) {
    Result res;
    initial_nbs_.assign(nI_, 0.0);
    res.path.assign(nI_, {});
    for (int r = 1; r <= opt_.rounds; ++r) {
      context.check_cancel();
      Round round = run_round(r);
      // The forecast after each round: the voting outcome (round 0: the initial compromise).
      for (std::size_t k = 0; k < nI_; ++k) {
        if (r == 1) res.path[k].push_back(initial_nbs_[k]);
        res.path[k].push_back(last_voting_[k]);
      }
      if (opt_.record_rounds || !round.events.empty()) res.trace.rounds.push_back(std::move(round));
    }
    // Forecast: the voting outcome after the last round; extras: the preference outcome after
    // the last update and the initial outcome.
    compute_D();
    std::vector<N> pref = nbs_of(x_);
    res.forecasts.resize(nI_);
    for (std::size_t k = 0; k < nI_; ++k) {
      Forecast& f = res.forecasts[k];
      if (sc_.issues[k].kind != Issue::Kind::numeric || rows_[k].empty()) {
        f.defined = false;
        f.note = sc_.issues[k].kind != Issue::Kind::numeric ? "exchange: categorical issues are not modelled"
                                                            : "exchange: no actor holds a position";
        continue;
      }
      f.value = opt_.rounds > 0 ? last_voting_[k] : to_scale(k, pref[k]);
      f.extras = {{"preference_nbs", to_scale(k, pref[k])},
                  {"initial_nbs", opt_.rounds > 0 ? initial_nbs_[k] : to_scale(k, pref[k])},
                  {"exchanges", static_cast<double>(exchanges_on_issue_.empty() ? 0 : exchanges_on_issue_[k])}};
    }
    res.diagnostics = {{"rounds", static_cast<double>(opt_.rounds)}, {"exchanges", static_cast<double>(total_exchanges_)}};
    return res;
  }

 private:
  // ---- helpers --------------------------------------------------------------------------------
  double to_scale(std::size_t k, const N& v) const {
    // §1: v = 0 -> lower, else v/scale + lower.
    if (A::is_zero(v) || A::is_zero(scale_[k])) return A::out(lower_[k]);
    return A::out(v / scale_[k] + lower_[k]);
  }
  double move_to_scale(std::size_t k, const N& m) const {
    if (A::is_zero(m) || A::is_zero(scale_[k])) return 0.0;
    return A::out(m / scale_[k]);
  }

  void compute_D() {
    D_.assign(nI_, N(0));
    for (std::size_t k = 0; k < nI_; ++k) {
      N d(0);
      bool first = true;
      for (auto a : rows_[k]) {
        const N t = s_[k][a] * c_[k][a];
        d = first ? t : d + t;
        first = false;
      }
      D_[k] = d;
    }
  }
  // §2: NBS = (sum of (x*s)*c in row order) / D.
  std::vector<N> nbs_of(const std::vector<std::vector<N>>& pos) const {
    std::vector<N> out(nI_, N(0));
    for (std::size_t k = 0; k < nI_; ++k) {
      if (A::is_zero(D_[k])) continue;
      N sum(0);
      bool first = true;
      for (auto a : rows_[k]) {
        const N t = (pos[k][a] * s_[k][a]) * c_[k][a];
        sum = first ? t : sum + t;
        first = false;
      }
      out[k] = sum / D_[k];
    }
    return out;
  }

  // ---- one round (§3) -------------------------------------------------------------------------
  Round run_round(int index) {
    round_ = index;
    compute_D();
    nbs_ = nbs_of(x_);
    term_.assign(nI_, {});
    prefix_.assign(nI_, {});
    rowpos_.assign(nI_, std::vector<std::uint32_t>(nA_, 0));
    xd_.assign(nI_, std::vector<double>(nA_, 0.0));
    sd_.assign(nI_, std::vector<double>(nA_, 0.0));
    cd_.assign(nI_, std::vector<double>(nA_, 0.0));
    sumd_.assign(nI_, 0.0);
    Dd_.assign(nI_, 0.0);
    for (std::size_t k = 0; k < nI_; ++k) {
      N sum(0);
      for (std::size_t j = 0; j < rows_[k].size(); ++j) {
        const auto a = rows_[k][j];
        rowpos_[k][a] = static_cast<std::uint32_t>(j);
        term_[k].push_back((x_[k][a] * s_[k][a]) * c_[k][a]);
        sum = j == 0 ? term_[k][j] : sum + term_[k][j];
        prefix_[k].push_back(sum);
        xd_[k][a] = A::out(x_[k][a]);
        sd_[k][a] = A::out(s_[k][a]);
        cd_[k][a] = A::out(c_[k][a]);
        sumd_[k] += xd_[k][a] * sd_[k][a] * cd_[k][a];
        Dd_[k] += sd_[k][a] * cd_[k][a];
      }
    }
    left_.assign(nI_, std::vector<char>(nA_, 0));
    for (std::size_t k = 0; k < nI_; ++k)
      for (auto a : rows_[k]) left_[k][a] = A::le(x_[k][a], nbs_[k]) ? 1 : 0;

    Round round;
    round.index = index;
    std::vector<double> pref_out(nI_, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t k = 0; k < nI_; ++k)
      if (!rows_[k].empty()) pref_out[k] = to_scale(k, nbs_[k]);
    if (index == 1) initial_nbs_ = pref_out;

    build_candidates();
    std::vector<std::uint32_t> realised = select();

    // §9: voting positions (later exchanges overwrite earlier ones), voting NBS.
    std::vector<std::vector<N>> vote = x_;
    for (auto id : realised) {
      const Cand<N>& R = cands_[id];
      vote[R.I.sup][R.I.actor] = R.I.y;
      vote[R.J.sup][R.J.actor] = R.J.y;
    }
    const std::vector<N> vnbs = nbs_of(vote);
    std::vector<double> vote_out(nI_, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t k = 0; k < nI_; ++k)
      if (!rows_[k].empty()) vote_out[k] = to_scale(k, vnbs[k]);
    last_voting_ = vote_out;

    // Events: every realised exchange, in realisation order.
    if (exchanges_on_issue_.empty()) exchanges_on_issue_.assign(nI_, 0);
    long long order = 0;
    for (auto id : realised) {
      const Cand<N>& R = cands_[id];
      ++exchanges_on_issue_[R.I.sup];
      ++exchanges_on_issue_[R.J.sup];
      if (!opt_.record_exchanges) continue;
      Event e;
      e.kind = "exchange";
      const auto& I = R.I;
      const auto& J = R.J;
      e.fields = {{"order", ++order},
                  {"actor_i", sc_.actors[I.actor].id},
                  {"supply_i", sc_.issues[I.sup].id},
                  {"actor_j", sc_.actors[J.actor].id},
                  {"supply_j", sc_.issues[J.sup].id},
                  {"gain", A::out(R.gain)},
                  {"start_i", to_scale(I.sup, x_[I.sup][I.actor])},
                  {"from_i", to_scale(I.sup, I.pos)},
                  {"move_i", move_to_scale(I.sup, I.move())},
                  {"voting_i", to_scale(I.sup, I.y)},
                  {"start_j", to_scale(J.sup, x_[J.sup][J.actor])},
                  {"from_j", to_scale(J.sup, J.pos)},
                  {"move_j", move_to_scale(J.sup, J.move())},
                  {"voting_j", to_scale(J.sup, J.y)}};
      if (opt_.variant != Variant::equal_gain) {
        e.fields.emplace_back("gain_i", A::out(ext(R).gain_i));
        e.fields.emplace_back("gain_j", A::out(ext(R).gain_j));
      }
      round.events.push_back(std::move(e));
    }
    if (opt_.externalities) {
      for (std::size_t a = 0; a < nA_; ++a) {
        const ExtTotals& t = ext_[a];
        Event e;
        e.kind = "externality";
        e.fields = {{"actor", sc_.actors[a].id},   {"own", t.own},
                    {"inner_positive", t.inner_pos}, {"inner_negative", t.inner_neg},
                    {"outer_positive", t.outer_pos}, {"outer_negative", t.outer_neg}};
        round.events.push_back(std::move(e));
      }
    }

    // §9: new preferences x' = x + w (y - x) from the round-start preference (S.start); later
    // exchanges of the same (actor, issue) overwrite earlier ones.
    for (auto id : realised) {
      const Cand<N>& R = cands_[id];
      for (const Side<N>* S : {&R.I, &R.J})
        x_[S->sup][S->actor] = A::pref_update(s_[S->sup][S->actor], S->y, start_[S->sup][S->actor], ws_, wf_);
    }

    total_exchanges_ += static_cast<long long>(realised.size());
    if (!opt_.record_rounds) return round;
    round.issue_series.push_back({"preference_nbs_start_of_round", pref_out});
    round.issue_series.push_back({"voting_nbs_after_exchanges", vote_out});
    IssueSeries count{"exchanges_realized", std::vector<double>(nI_, static_cast<double>(realised.size()))};
    count.on_scale = false;  // a count, not a position: charts leave it out
    round.issue_series.push_back(std::move(count));
    ActorSeries pos{"position", "x", std::vector<std::vector<double>>(nI_, std::vector<double>(nA_, std::numeric_limits<double>::quiet_NaN()))};
    for (std::size_t k = 0; k < nI_; ++k)
      for (auto a : rows_[k]) pos.data[k][a] = to_scale(k, x_[k][a]);
    round.actor_series.push_back(std::move(pos));
    return round;
  }

  // ---- §4 candidates --------------------------------------------------------------------------
  // §4. The candidate list in creation order, filled in parallel (each issue pair owns a known
  // range of ids; evaluation at creation reads only the round's start and draws are keyed by
  // the candidate), so the list is the same on any number of threads.
  void build_candidates() {
    books_.assign(nA_ * nI_, Book<N>{});
    ext_.assign(nA_, ExtTotals{});
    start_ = x_;
    struct Pair {
      std::uint32_t p, q;
      std::size_t first;  // id of its first candidate
    };
    std::vector<Pair> pairs;
    std::size_t total = 0;
    std::vector<std::uint32_t> count(4);
    for (std::uint32_t p = 0; p < nI_; ++p) {
      if (rows_[p].empty()) continue;
      for (std::uint32_t q = p + 1; q < nI_; ++q) {
        if (rows_[q].empty()) continue;
        std::fill(count.begin(), count.end(), 0);
        for (std::size_t a = 0; a < nA_; ++a)
          if (has_[p][a] && has_[q][a]) ++count[static_cast<std::size_t>(left_[p][a] + 2 * left_[q][a])];
        const std::size_t n = std::size_t{count[0]} * count[3] + std::size_t{count[1]} * count[2];
        if (n == 0) continue;
        pairs.push_back({p, q, total});
        total += n;
      }
    }
    planned_ = std::max(planned_, total);
    if (total >= (std::size_t{1} << 31))
      throw ResourceError(fmt::format("exchange: {} candidate exchanges in round {}; the model handles at most 2^31", total, round_));
    cands_.resize(total);  // every element is rewritten by make_candidate
    keys_.resize(total);
    if (opt_.variant != Variant::equal_gain) extra_.assign(total, Extra<N>{});
    auto fill = [&](std::size_t lo, std::size_t hi) {
      std::vector<std::uint32_t> g[4];
      for (std::size_t i = lo; i != hi; ++i) {
        const auto [p, q, first] = pairs[i];
        for (auto& v : g) v.clear();
        for (std::uint32_t a = 0; a < nA_; ++a)
          if (has_[p][a] && has_[q][a]) g[left_[p][a] + 2 * left_[q][a]].push_back(a);
        auto id = static_cast<std::uint32_t>(first);
        for (auto a : g[0])
          for (auto b : g[3]) make_candidate(id++, a, b, p, q, 0);
        for (auto a : g[1])
          for (auto b : g[2]) make_candidate(id++, a, b, p, q, 1);
      }
    };
    for_ranges(pairs.size(), 1, total >= 4096, fill);
    // The refresh lists (each in id order), built in parallel from keys_ in two passes over
    // chunks of ids: count per (chunk, key), then place.
    const std::size_t K = nI_ * nA_;
    const std::size_t chunks = std::clamp<std::size_t>(std::min(total / 65536, (std::size_t{1} << 22) / std::max<std::size_t>(K, 1)), 1, 64);
    const std::size_t per = (total + chunks - 1) / chunks;
    std::vector<std::uint32_t> place(2 * chunks * K, 0);  // [list][chunk][key]: count, then next slot
    auto count_pass = [&](std::size_t c) {  // also sets the marks
      std::uint32_t* sup = place.data() + c * K;
      std::uint32_t* dem = place.data() + (chunks + c) * K;
      for (std::size_t id = c * per; id < std::min(total, (c + 1) * per); ++id) {
        const Keys& k = keys_[id];
        mark_[id] = k.valid ? 0 : kDead;  // invalid candidates are never refreshed
        if (!k.valid) continue;
        ++sup[k.supI];
        ++sup[k.supJ];
        ++dem[k.demI];
        ++dem[k.demJ];
      }
    };
    auto place_pass = [&](std::size_t c) {
      std::uint32_t* sup = place.data() + c * K;
      std::uint32_t* dem = place.data() + (chunks + c) * K;
      for (std::size_t id = c * per; id < std::min(total, (c + 1) * per); ++id) {
        const Keys& k = keys_[id];
        if (!k.valid) continue;
        const auto i = static_cast<std::uint32_t>(id);
        sup_.ids[sup[k.supI]++] = i;
        sup_.ids[sup[k.supJ]++] = i;
        dem_.ids[dem[k.demI]++] = i;
        dem_.ids[dem[k.demJ]++] = i;
      }
    };
    mark_.resize(total);
    auto each_chunk = [&](auto pass) {
      for_ranges(chunks, 1, chunks > 1, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t c = lo; c < hi; ++c) pass(c);
      });
    };
    each_chunk(count_pass);
    for (int l = 0; l < 2; ++l) {
      Lists& L = l == 0 ? sup_ : dem_;
      L.begin.resize(K);
      L.end.resize(K);
      std::uint32_t next = 0;
      for (std::size_t key = 0; key < K; ++key) {
        L.begin[key] = next;
        for (std::size_t c = 0; c < chunks; ++c) {
          std::uint32_t& slot = place[(static_cast<std::size_t>(l) * chunks + c) * K + key];
          const std::uint32_t n = slot;
          slot = next;
          next += n;
        }
        L.end[key] = next;
      }
      L.ids.resize(next);
    }
    each_chunk(place_pass);
  }

  // body(lo, hi) over [0, n): in one call, or split in ranges of about `grain` on the caller's
  // threads. Isolated: while it waits, a thread may not pick up outer work of the caller (e.g.
  // another draw of `simulate` that reuses the thread's scenario copy).
  template <class F>
  static void for_ranges(std::size_t n, std::size_t grain, bool in_parallel, F&& body) {
    if (!in_parallel) {
      body(std::size_t{0}, n);
      return;
    }
    tbb::this_task_arena::isolate([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                        [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
    });
  }

  // The random draws of REX and Random Rate: a stream per (round, candidate, evaluation), so
  // they do not depend on the order candidates are built or refreshed in.
  Rng draws(std::uint32_t id, std::uint32_t n) const {
    return Rng(seed_, splitmix64(splitmix64((static_cast<std::uint64_t>(round_) << 32) | id) ^ n));
  }
  Extra<N>& ext(const Cand<N>& C) { return extra_[static_cast<std::size_t>(&C - cands_.data())]; }
  const Extra<N>& ext(const Cand<N>& C) const { return extra_[static_cast<std::size_t>(&C - cands_.data())]; }

  void make_candidate(std::uint32_t id, std::uint32_t a, std::uint32_t b, std::uint32_t p, std::uint32_t q, std::uint8_t groups) {
    Cand<N>& C = cands_[id];
    C = Cand<N>{};
    C.groups = groups;
    C.label = static_cast<std::int64_t>(id);
    const bool positive = !A::is_zero(s_[p][a]) && !A::is_zero(s_[q][a]) && !A::is_zero(s_[p][b]) &&
                          !A::is_zero(s_[q][b]) && !A::is_zero(c_[p][a]) && !A::is_zero(c_[q][a]) &&
                          !A::is_zero(c_[p][b]) && !A::is_zero(c_[q][b]) && !A::is_zero(D_[p]) && !A::is_zero(D_[q]);
    // Roles (§4): each gives way on its relatively less salient issue.
    std::uint32_t iActor = a, jActor = b;  // I supplies q, J supplies p
    if (positive) {
      const N ra = s_[p][a] / s_[q][a];
      const N rb = s_[p][b] / s_[q][b];
      if (A::lt(ra, rb)) {  // b supplies q, a supplies p
        iActor = b;
        jActor = a;
      }
    }
    C.I.actor = iActor;
    C.I.sup = static_cast<std::uint16_t>(q);
    C.I.dem = static_cast<std::uint16_t>(p);
    C.I.pos = x_[q][iActor];
    C.J.actor = jActor;
    C.J.sup = static_cast<std::uint16_t>(p);
    C.J.dem = static_cast<std::uint16_t>(q);
    C.J.pos = x_[p][jActor];
    bool positive_ok = true;
    if (positive && opt_.variant == Variant::random_rate) {
      // §13 (our reading): the rate rq/rp is drawn once per candidate, uniformly between the two
      // actors' break-even rates s_Jp/s_Jq (J gains nothing) and s_Ip/s_Iq (I gains nothing).
      const N lo = s_[p][C.J.actor] / s_[q][C.J.actor];
      const N hi = s_[p][C.I.actor] / s_[q][C.I.actor];
      const N u = A::exact_double(draws(id, 0xFFFFFFFFu).uniform());
      ext(C).rate = lo + (hi - lo) * u;
      if (!(ext(C).rate > N(0))) {
        C.valid = false;
        positive_ok = false;
      }
    }
    if (positive && positive_ok) evaluate(C);
    else C.valid = false;
    keys_[id] = {C.I.actor * static_cast<std::uint32_t>(nI_) + C.I.sup, C.J.actor * static_cast<std::uint32_t>(nI_) + C.J.sup,
                 C.I.actor * static_cast<std::uint32_t>(nI_) + C.I.dem, C.J.actor * static_cast<std::uint32_t>(nI_) + C.J.dem, C.valid};
  }

  // Calls fn(id, E) once for every live candidate that shares an (actor, supply issue) or an
  // (actor, demand issue) with R -- exactly those refresh() changes -- and drops E from the
  // lists if it is invalid afterwards. Refresh order does not matter (§8). Memory latency is
  // the cost here (a million candidates, a few hundred touched per realisation), hence the
  // compact mark_ array, the two passes and the prefetches.
  template <class F>
  void for_affected(const Cand<N>& R, std::uint32_t stamp, F&& fn) {
    affected_.clear();
    auto scan = [&](Lists& L, std::size_t key) {
      std::uint32_t* d = L.ids.data() + L.begin[key];
      std::size_t n = L.end[key] - L.begin[key];
      for (std::size_t i = 0; i < n;) {
        if (i + 16 < n) __builtin_prefetch(&mark_[d[i + 16]], 1);
        const std::uint32_t id = d[i];
        const std::uint32_t m = mark_[id];
        if (m == kDead) {
          d[i] = d[--n];
          continue;
        }
        if (m != stamp) {
          mark_[id] = stamp;
          affected_.push_back(id);
        }
        ++i;
      }
      L.end[key] = L.begin[key] + static_cast<std::uint32_t>(n);
    };
    scan(sup_, R.I.actor * nI_ + R.I.sup);
    scan(sup_, R.J.actor * nI_ + R.J.sup);
    scan(dem_, R.J.actor * nI_ + R.J.dem);
    scan(dem_, R.I.actor * nI_ + R.I.dem);
    // Refreshes are independent (each changes only its own candidate; draws are keyed by the
    // candidate), so large batches run in parallel with the same results as one thread.
    const std::size_t n = affected_.size();
    slots_.resize(n);
    auto body = [&](std::size_t lo, std::size_t hi) {
      constexpr std::size_t ahead = 16;
      for (std::size_t j = lo; j < hi; ++j) {
        if (j + ahead < hi) {
          const char* c = reinterpret_cast<const char*>(&cands_[affected_[j + ahead]]);
          for (std::size_t off = 0; off < sizeof(Cand<N>); off += 64) __builtin_prefetch(c + off, 1);
        }
        const std::uint32_t id = affected_[j];
        Cand<N>& E = cands_[id];
        fn(slots_[j], E);
        if (!E.valid) mark_[id] = kDead;
      }
    };
    for_ranges(n, 128, n >= 256, body);
  }
  void drop(std::uint32_t id) {  // out of the candidate list for good
    mark_[id] = kDead;
  }

  // ---- §5 evaluation --------------------------------------------------------------------------
  void evaluate(Cand<N>& E) {
    const bool rr = opt_.variant == Variant::random_rate;
    Side<N>& I = E.I;
    Side<N>& J = E.J;
    const std::uint32_t p = J.sup, q = I.sup;
    const N& Dp = D_[p];
    const N& Dq = D_[q];
    const N& sJs = s_[p][J.actor];
    const N& cJs = c_[p][J.actor];
    const N& sJd = s_[q][J.actor];
    const N& sIs = s_[q][I.actor];
    const N& cIs = c_[q][I.actor];
    const N& sId = s_[p][I.actor];
    const N& I_own = x_[p][I.actor];  // I.own_dem: target of J's move
    const N& J_own = x_[q][J.actor];  // J.own_dem: target of I's move

    const N distP = abs(I_own - J.pos);
    const N distQ = abs(J_own - I.pos);
    N rp = ((distP * sJs) * cJs) / Dp;
    // Equal gain fixes rq/rp; Random Rate uses the candidate's drawn rate instead (§13).
    N rq = rr ? ext(E).rate * rp : ((sJs + sId) / (sJd + sIs)) * rp;
    N mI = (rq * Dq) / (cIs * sIs);
    N mJ = distP;
    bool fullI = false, fullJ = true;
    if (mI > distQ) {  // I would overshoot J's position: reverse roles
      rq = ((distQ * sIs) * cIs) / Dq;
      rp = rr ? rq / ext(E).rate : ((sIs + sJd) / (sId + sJs)) * rq;
      mI = distQ;
      mJ = (rp * Dp) / (cJs * sJs);
      fullI = true;
      fullJ = false;
    }
    if (I.pos > J_own) mI = -mI;
    if (J.pos > I_own) mJ = -mJ;
    I.top = mI;
    J.top = mJ;
    set_y(I, fullI, J_own);
    set_y(J, fullJ, I_own);
    E.gain = abs(rq * sIs - rp * sId);
    if (rr) set_rr_gains(E, rp, rq);
    E.valid = move_ok(I, mI) && move_ok(J, mJ) && A::gain_ok(E.gain);
    if (!E.valid) return;
    cap(E, I, J);
    cap(E, J, I);
    E.valid = move_ok(I, I.move()) && move_ok(J, J.move());
    if (E.valid && opt_.variant == Variant::rex && opt_.p > 0) rex(E);
  }

  void set_y(Side<N>& S, bool full, const N& target) {
    S.full = full;
    if constexpr (!A::exact) {
      if (full) {  // snap: pos + (target - pos) is exact in decimal, not in binary (§11 item 3)
        S.y = target;
        return;
      }
    }
    S.y = S.pos + S.move();
  }

  // §8: the top of S's move history becomes history (sum in stack order, common sign).
  static void keep_top(Side<N>& S) {
    const int sg = A::sign(S.top);
    S.hsum = S.hsign == 0 ? S.top : S.hsum + S.top;
    S.hsign = static_cast<std::int8_t>(sg == 0 ? 2 : (S.hsign == 0 || S.hsign == sg) ? sg : 2);
  }

  // §6, for the move m on top of S's history
  bool move_ok(const Side<N>& S, const N& m) const {
    if (A::above100(abs(m)) || A::tiny(m)) return false;
    const N& yy = S.y;
    if (A::below0(yy) || A::above100(yy)) return false;
    if (A::above100(S.hsign == 0 ? m : S.hsum + m)) return false;  // the stack's sum
    const int sg = A::sign(m);
    if (sg == 0) return false;  // neither < 0 nor > 0
    return S.hsign == 0 || S.hsign == sg;
  }

  // §7: sum of (pos*s)*c on issue k in row order, with the candidate's book applied and A put at
  // v (A wins over the book unless book_wins). The terms before the first replaced row are the
  // round's own, so the sum restarts from the cached prefix: the same sequence of roundings.
  N adjusted_sum(const Cand<N>& E, std::uint32_t k, std::uint32_t actorA, const N& v, bool book_wins) const {
    const Book<N>& B = book(E, k);
    if constexpr (!A::exact) {
      // Fast mode: the round's sum corrected for the replaced rows (same value up to rounding).
      N sum = prefix_[k].back();
      const N* posA = &v;
      for (std::size_t i = 0; i < B.actors.size(); ++i) {
        const std::uint32_t a = B.actors[i];
        if (a == actorA) {
          if (book_wins) posA = &B.values[i];
          continue;
        }
        sum += (B.values[i] - x_[k][a]) * s_[k][a] * c_[k][a];
      }
      return sum + (*posA - x_[k][actorA]) * s_[k][actorA] * c_[k][actorA];
    }
    const auto& rows = rows_[k];
    std::size_t j0 = rowpos_[k][actorA];
    for (const auto a : B.actors) j0 = std::min<std::size_t>(j0, rowpos_[k][a]);
    N sum = j0 > 0 ? prefix_[k][j0 - 1] : N(0);
    bool first = j0 == 0;
    for (std::size_t j = j0; j < rows.size(); ++j) {
      const auto a = rows[j];
      const N* pos = nullptr;
      if (a == actorA) pos = &v;
      if (!B.actors.empty() && !(a == actorA && !book_wins)) {
        if (const N* bv = B.find(a)) pos = bv;
      }
      const N t = pos ? (*pos * s_[k][a]) * c_[k][a] : term_[k][j];
      sum = first ? t : sum + t;
      first = false;
    }
    return sum;
  }
  // E's book for issue k (one of its two issues): that of E's actor that demands k.
  const Book<N>& book(const Cand<N>& E, std::uint32_t k) const {
    const std::uint32_t d = E.I.dem == k ? E.I.actor : E.J.actor;
    return books_[d * nI_ + k];
  }
  // §8 step 2, once per realisation R for all the candidates it concerns: record each side's
  // new position in the book of its partner's demand on that issue.
  void record_books(const Cand<N>& R) {
    for (int r = 0; r < 2; ++r) {
      const Side<N>& Rd = r == 0 ? R.J : R.I;
      const Side<N>& Rs = r == 0 ? R.I : R.J;
      Book<N>& B = books_[Rd.actor * nI_ + Rd.dem];
      bool found = false;
      for (std::size_t i = 0; i < B.actors.size(); ++i) {
        if (B.actors[i] != Rs.actor) continue;
        found = true;
        const N v = B.values[i];
        const N& start = start_[Rs.sup][Rs.actor];
        B.values[i] = start <= v ? std::min(v, Rs.y) : std::max(v, Rs.y);
      }
      if (!found) {
        B.actors.push_back(Rs.actor);
        B.values.push_back(Rs.y);
      }
    }
  }

  // NBS_A(v) of §7 in doubles, as sum / Dd_[k] with sum = base + (v - x_A) s_A c_A, where base
  // (this function) is the round's sum with E's book applied except A's own entry. Within
  // n * 1e-16 * 100 of the exact value (a weighted mean of values in [0, 100], summed in doubles
  // from values within an ulp of the exact ones).
  double approx_base(const Cand<N>& E, std::uint32_t k, std::uint32_t actorA) const {
    const Book<N>& B = book(E, k);
    double sum = sumd_[k];
    for (std::size_t i = 0; i < B.actors.size(); ++i) {
      const std::uint32_t a = B.actors[i];
      if (a != actorA) sum += (A::approx(B.values[i]) - xd_[k][a]) * sd_[k][a] * cd_[k][a];
    }
    return sum;
  }

  void cap(Cand<N>& E, Side<N>& Ad, Side<N>& O) {
    const std::uint32_t k = Ad.sup;
    const N& xs = x_[k][O.actor];  // O.own_dem
    const N& Dk = D_[k];
    if constexpr (A::exact) {
      // Only the signs of x* - n0 and x* - n1 matter unless the move crosses x*. Where the
      // double estimates put both clearly on one side (1e-7 is far beyond their error), the
      // exact 28-digit sums could not decide otherwise and are skipped.
      constexpr double margin = 1e-7;
      const double base = approx_base(E, k, Ad.actor);
      const std::uint32_t a = Ad.actor;
      auto nbs_at = [&](const N& v) { return (base + (A::approx(v) - xd_[k][a]) * sd_[k][a] * cd_[k][a]) / Dd_[k]; };
      const double xsd = xd_[k][O.actor];
      const double a0 = xsd - nbs_at(Ad.pos);
      const double a1 = xsd - nbs_at(Ad.y);
      if ((a0 > margin && a1 > margin) || (a0 < -margin && a1 < -margin)) return;
    }
    // Without book entries on k and with A still at its preference, NBS_A(A.pos) is the round's
    // own NBS (the very same computation).
    const bool plain = Ad.pos == x_[k][Ad.actor] && book(E, k).actors.empty();
    const N n0 = plain ? nbs_[k] : adjusted_sum(E, k, Ad.actor, Ad.pos, false) / Dk;
    const N n1 = adjusted_sum(E, k, Ad.actor, Ad.y, false) / Dk;
    const N d0 = xs - n0, d1 = xs - n1;
    if ((A::nonneg(d0) && A::nonneg(d1)) || (A::nonpos(d0) && A::nonpos(d1))) return;
    const N T = adjusted_sum(E, k, Ad.actor, Ad.pos, true);
    const N& sAs = s_[k][Ad.actor];
    const N& cAs = c_[k][Ad.actor];
    const N& sAd = s_[Ad.dem][Ad.actor];
    const N& sOs = s_[O.sup][O.actor];
    const N& cOs = c_[O.sup][O.actor];
    const N& sOd = s_[k][O.actor];
    const N delta = abs((xs * Dk - T) / (sAs * cAs));
    const N rA = ((delta * sAs) * cAs) / Dk;
    const bool rr = opt_.variant == Variant::random_rate;
    const bool a_is_i = &Ad == &E.I;
    const N rO = rr ? (a_is_i ? rA / ext(E).rate : ext(E).rate * rA) : ((sAs + sOd) / (sAd + sOs)) * rA;
    N mO = abs((rO * D_[O.sup]) / (cOs * sOs));
    N mA = delta;
    if (O.pos > x_[O.sup][Ad.actor]) mO = -mO;  // A.own_dem
    if (Ad.pos > xs) mA = -mA;
    O.top = mO;
    Ad.top = mA;
    O.full = Ad.full = false;
    O.y = O.pos + mO;
    Ad.y = Ad.pos + mA;
    E.gain = abs(rO * sOs - rA * sOd);
    if (rr) {
      if (a_is_i) set_rr_gains(E, rO, rA);
      else set_rr_gains(E, rA, rO);
    }
  }

  // Random Rate: each actor's own gain; the candidate's gain (validity threshold) is the smaller.
  void set_rr_gains(Cand<N>& E, const N& rp, const N& rq) {
    const std::uint32_t p = E.J.sup, q = E.I.sup;
    ext(E).gain_i = rp * s_[p][E.I.actor] - rq * s_[q][E.I.actor];
    ext(E).gain_j = rq * s_[q][E.J.actor] - rp * s_[p][E.J.actor];
    E.gain = ext(E).gain_i < ext(E).gain_j ? ext(E).gain_i : ext(E).gain_j;
  }

  // ---- §12 REX --------------------------------------------------------------------------------
  void rex(Cand<N>& E);
  N p_num() const {
    if constexpr (A::exact) return round28(p_);
    else return p_;
  }

  // ---- §8 selection ---------------------------------------------------------------------------
  struct HeapEntry {
    N gain;
    std::int64_t label;
    std::uint32_t id;
  };
  struct HeapLess {  // max-heap on (gain desc, label asc)
    bool operator()(const HeapEntry& a, const HeapEntry& b) const {
      if (a.gain < b.gain) return true;
      if (b.gain < a.gain) return false;
      return a.label > b.label;
    }
  };

  bool refresh(Cand<N>& E, const Cand<N>& R) {
    bool changed = false;
    // 1. Supply overlap.
    for (int side = 0; side < 2 && !changed; ++side) {
      Side<N>& S = side == 0 ? E.I : E.J;
      const Side<N>* match = nullptr;
      if (S.actor == R.I.actor && S.sup == R.I.sup) match = &R.I;
      else if (S.actor == R.J.actor && S.sup == R.J.sup) match = &R.J;
      if (match) {
        S.pos = match->y;
        keep_top(S);  // S's previous move stays in its history; the other top will be replaced
        changed = true;
      }
    }
    // 2. Demand overlap: a side of E demands what a side of R supplied. Its book entry was
    // recorded by record_books(R); both tops are replaced by the re-evaluation.
    for (const Side<N>* Rd : {&R.J, &R.I})
      if ((E.I.actor == Rd->actor && E.I.dem == Rd->dem) || (E.J.actor == Rd->actor && E.J.dem == Rd->dem)) changed = true;
    if (changed) evaluate(E);
    return changed;
  }

  // The list order of §8 is kept implicitly: a heap on (gain desc, label asc), where a label is
  // a candidate's rank among equal gains. A candidate's heap entry may be an upper bound of its
  // current key (gains that fell are not re-pushed until their stale entry reaches the top), so
  // each realisation costs heap work only for the few candidates whose key rose.
  std::vector<std::uint32_t> select() {
    std::vector<std::uint32_t> realised;
    if (opt_.variant == Variant::random_rate) return select_random_rate();
    std::vector<HeapEntry> heap;  // a binary max-heap under HeapLess
    hgain_.resize(cands_.size());
    hlabel_.resize(cands_.size());
    std::size_t live_n = 0;
    for (std::uint32_t id = 0; id < cands_.size(); ++id) {
      Cand<N>& C = cands_[id];
      if (!C.valid) continue;
      hgain_[id] = C.gain;
      hlabel_[id] = C.label;
      heap.push_back({C.gain, C.label, id});
    }
    live_n = heap.size();
    std::make_heap(heap.begin(), heap.end(), HeapLess{});
    auto pop = [&]() {
      std::pop_heap(heap.begin(), heap.end(), HeapLess{});
      const HeapEntry h = heap.back();
      heap.pop_back();
      return h;
    };
    auto push = [&](const HeapEntry& h) {
      heap.push_back(h);
      std::push_heap(heap.begin(), heap.end(), HeapLess{});
    };
    std::int64_t lo = -1, hi = static_cast<std::int64_t>(cands_.size());
    std::uint32_t stamp = 0;
    enum class Entry { dead, current, bound };
    auto classify = [&](const HeapEntry& h) {
      if (mark_[h.id] == kDead) return Entry::dead;
      const Cand<N>& C = cands_[h.id];
      if (!(h.gain == hgain_[h.id]) || h.label != hlabel_[h.id]) return Entry::dead;
      return (h.gain == C.gain && h.label == C.label) ? Entry::current : Entry::bound;
    };
    auto repush = [&](std::uint32_t id) {  // replace an upper-bound entry by the current key
      Cand<N>& C = cands_[id];
      hgain_[id] = C.gain;
      hlabel_[id] = C.label;
      push({C.gain, C.label, id});
    };
    std::vector<HeapEntry> ties;
    struct Changed {
      std::uint32_t id;
      N old_gain;
      std::int64_t old_label;
      N gain;
    };
    std::vector<Changed> changed, moved;
    while (!heap.empty()) {
      HeapEntry top = pop();
      const Entry kind = classify(top);
      if (kind == Entry::dead) continue;
      if (kind == Entry::bound) {
        repush(top.id);
        continue;
      }
      // Ties: double mode treats gains within 1e-9 (relative) as equal and keeps list order;
      // ties=random draws among the tied candidates.
      if (!A::exact || opt_.random_ties) {
        ties.assign(1, top);
        while (!heap.empty()) {
          const HeapEntry h = heap.front();
          const bool tied = opt_.random_ties ? A::random_tied(top.gain, h.gain) : A::gains_tied(top.gain, h.gain);
          if (!tied) break;  // a bound that is not tied has a current key that is not either
          pop();
          const Entry k = classify(h);
          if (k == Entry::bound) repush(h.id);
          else if (k == Entry::current) ties.push_back(h);
        }
        std::size_t pick = 0;
        if (opt_.random_ties) {
          if (ties.size() > 1) pick = static_cast<std::size_t>(rng_.below(ties.size()));
        } else {
          for (std::size_t i = 1; i < ties.size(); ++i)
            if (ties[i].label < ties[pick].label) pick = i;
        }
        top = ties[pick];
        for (std::size_t i = 0; i < ties.size(); ++i)
          if (i != pick) push(ties[i]);
      }
      const std::uint32_t rid = top.id;
      Cand<N>& R = cands_[rid];
      drop(rid);
      --live_n;
      ++stamp;
      changed.clear();
      if (opt_.externalities) externalities(R);  // before the books record R (R's own view)
      record_books(R);
      for_affected(R, stamp, [&](Slot& slot, Cand<N>& E) {
        slot.old_gain = E.gain;
        slot.old_label = E.label;
        slot.changed = refresh(E, R);
        slot.gain = E.gain;
        slot.valid = E.valid;
      });
      // New list order among equal gains (see the header of docs/models/exchange.md): a
      // candidate whose gain fell comes before every candidate already at its new gain, one
      // whose gain rose after them; among themselves they keep their old list order. (From the
      // slots, not the candidates: they may have been refreshed on another core.)
      changed.clear();
      moved.clear();
      for (std::size_t j = 0; j < affected_.size(); ++j) {
        const Slot& sl = slots_[j];
        if (!sl.changed) continue;
        const std::uint32_t id = affected_[j];
        if (!sl.valid) {
          drop(id);
          --live_n;
          continue;
        }
        changed.push_back({id, sl.old_gain, sl.old_label, sl.gain});
        if (!A::gains_tied(sl.gain, sl.old_gain)) moved.push_back(changed.back());
      }
      std::sort(moved.begin(), moved.end(), [](const Changed& x, const Changed& y) {
        if (y.old_gain < x.old_gain) return true;
        if (x.old_gain < y.old_gain) return false;
        return x.old_label < y.old_label;
      });
      for (std::size_t i = moved.size(); i-- > 0;)
        if (moved[i].gain < moved[i].old_gain) cands_[moved[i].id].label = lo--;
      for (const auto& ch : moved)
        if (ch.gain > ch.old_gain) cands_[ch.id].label = hi++;
      // Only a key that rose above its heap entry needs a new entry. The entry is at least the
      // old key, and a key rises only with the gain (a label changes only with a gain that fell
      // or rose), so the rest need no look at the heap bookkeeping.
      for (const auto& ch : changed) {
        if (!(ch.old_gain < ch.gain)) continue;
        const Cand<N>& E = cands_[ch.id];
        if (HeapLess{}({hgain_[ch.id], hlabel_[ch.id], 0}, {E.gain, E.label, 0})) repush(ch.id);
      }
      realised.push_back(rid);
      // Entries of dead candidates pile up (most candidates die): drop them when they are the
      // majority. Pruning changes nothing but speed: the order (gain, unique label) is total.
      if (heap.size() > 4096 && heap.size() > 2 * live_n) {
        heap.erase(std::remove_if(heap.begin(), heap.end(), [&](const HeapEntry& h) { return mark_[h.id] == kDead; }), heap.end());
        std::make_heap(heap.begin(), heap.end(), HeapLess{});
      }
    }
    return realised;
  }
  std::vector<std::uint32_t> select_random_rate();

  // ---- §14 externalities ----------------------------------------------------------------------
  void externalities(const Cand<N>& R) {
    const std::uint32_t p = R.J.sup, q = R.I.sup;
    const double n0J = A::out(adjusted_sum(R, p, R.J.actor, R.J.pos, false) / D_[p]);
    const double n1J = A::out(adjusted_sum(R, p, R.J.actor, R.J.y, false) / D_[p]);
    const double n0I = A::out(adjusted_sum(R, q, R.I.actor, R.I.pos, false) / D_[q]);
    const double n1I = A::out(adjusted_sum(R, q, R.I.actor, R.I.y, false) / D_[q]);
    const std::uint32_t lo = std::min(p, q), hi = std::max(p, q);
    const double gain = A::out(R.gain);
    for (std::size_t a = 0; a < nA_; ++a) {
      if (!has_[p][a] || !has_[q][a]) continue;
      ExtTotals& t = ext_[a];
      if (a == R.I.actor || a == R.J.actor) {
        t.own += gain;
        continue;
      }
      const double xp = xd_[p][a], xq = xd_[q][a];
      const double e = sd_[p][a] * (std::fabs(n0J - xp) - std::fabs(n1J - xp)) +
                       sd_[q][a] * (std::fabs(n0I - xq) - std::fabs(n1I - xq));
      const int g = left_[lo][a] + 2 * left_[hi][a];
      const bool inner = R.groups == 0 ? (g == 0 || g == 3) : (g == 1 || g == 2);
      if (inner) (e > 0 ? t.inner_pos : t.inner_neg) += e;
      else (e > 0 ? t.outer_pos : t.outer_neg) += e;
    }
  }

  const Scenario& sc_;
  Options opt_;
  Rng rng_;  // ties=random: the selection loop's draws, in realisation order
  std::uint64_t seed_ = 0;
  int round_ = 0;
  std::size_t planned_ = 0;  // the largest candidate list so far (for the out-of-memory message)
  std::vector<Extra<N>> extra_;  // per candidate, REX and Random Rate only
  std::vector<N> hgain_;         // per candidate: key (gain, label) of its best heap entry
  std::vector<std::int64_t> hlabel_;
  std::size_t nI_ = 0, nA_ = 0;
  W ws_{}, wf_{}, p_{};
  std::vector<std::vector<char>> has_, left_;
  std::vector<std::vector<N>> x_, s_, c_, start_, term_, prefix_;
  std::vector<std::vector<std::uint32_t>> rowpos_;
  std::vector<std::vector<double>> xd_, sd_, cd_;  // round-start preferences, saliences, powers as doubles
  std::vector<double> sumd_, Dd_;  // the round's sum of x*s*c and D, in doubles
  std::vector<std::vector<std::uint32_t>> rows_;
  std::vector<N> lower_, scale_, D_, nbs_;
  std::vector<Cand<N>> cands_;
  std::vector<Book<N>> books_;
  // Per (actor, issue) key, the live candidates where that actor supplies / demands that issue:
  // ids[begin[key], end[key]), shrunk as dead entries are swept out.
  struct Lists {
    std::vector<std::uint32_t> ids, begin, end;
  };
  Lists sup_, dem_;
  struct Keys {  // a candidate's four list keys, written when it is built
    std::uint32_t supI, supJ, demI, demJ;
    bool valid;
  };
  std::vector<Keys> keys_;
  static constexpr std::uint32_t kDead = 0xFFFFFFFFu;
  std::vector<std::uint32_t> mark_;  // per candidate: kDead once dropped, else the last visit's stamp
  std::vector<std::uint32_t> affected_;
  struct Slot {  // what a refresh changed, per entry of affected_
    N old_gain{}, gain{};
    std::int64_t old_label = 0;
    bool changed = false, valid = false;
  };
  std::vector<Slot> slots_;
  std::vector<ExtTotals> ext_;
  std::vector<double> initial_nbs_, last_voting_;
  std::vector<long long> exchanges_on_issue_;
  long long total_exchanges_ = 0;
};

// §12 REX, as Decide implements it; rex_fix corrects its two defects (see docs).
template <class N>
void Engine<N>::rex(Cand<N>& E) {
  Side<N>& I = E.I;
  Side<N>& J = E.J;
  const std::uint32_t p = J.sup, q = I.sup;
  Extra<N>& X = ext(E);
  Rng rng = draws(static_cast<std::uint32_t>(&E - cands_.data()), X.evals++);
  const N u = A::exact_double(rng.uniform());
  const N v = A::exact_double(rng.uniform());
  const N z = A::exact_double(rng.uniform());
  const N half = A::exact_double(0.5);
  // Pareto end points: NBS shifts of full moves, against each side's adjusted n0.
  auto shift_full = [&](const Side<N>& S, const N& target) {
    const std::uint32_t k = S.sup;
    const N n0 = adjusted_sum(E, k, S.actor, S.pos, false) / D_[k];
    const N n1 = adjusted_sum(E, k, S.actor, target, false) / D_[k];
    return abs(n1 - n0);
  };
  const N dI = shift_full(I, x_[q][J.actor]);
  const N dJ = shift_full(J, x_[p][I.actor]);
  const N& sIs = s_[q][I.actor];
  const N& sId = s_[p][I.actor];
  const N& sJs = s_[p][J.actor];
  const N& sJd = s_[q][J.actor];
  const N g1 = dI * sJd, l1 = dJ * sJs, g2 = dJ * sId, l2 = dI * sIs;
  const bool a_is_j = g2 > g1;
  const N gain = a_is_j ? g1 : g2;
  const N loss = a_is_j ? l2 : l1;
  const Side<N>& Aside = a_is_j ? J : I;
  const Side<N>& Bside = a_is_j ? I : J;
  const N sAs = s_[Aside.sup][Aside.actor];
  const N sBd = s_[Bside.dem][Bside.actor];
  const N eu_max_A = gain - (loss * sAs) / sBd;
  const N eu_max_B = (gain * sBd) / sAs - loss;

  Side<N>& C = u < half ? I : J;
  Side<N>& O = u < half ? J : I;
  const N& eu_max_C = (&C == &Aside) ? eu_max_A : eu_max_B;
  const N EU = E.gain;
  const N pz = p_num() * z;
  const N eu = v < half ? EU + pz * (eu_max_C - EU) : EU - pz * EU;

  const std::uint32_t kc = C.sup, ko = O.sup;
  const N& sCs = s_[kc][C.actor];
  const N& cCs = c_[kc][C.actor];
  const N& sCd = s_[ko][C.actor];
  const N& sOs = s_[ko][O.actor];
  const N& cOs = c_[ko][O.actor];
  const N& sOd = s_[kc][O.actor];
  const N& targetC = x_[kc][O.actor];  // O.own_dem
  const N& targetO = x_[ko][C.actor];  // C.own_dem
  const N distC = abs(targetC - C.pos);
  const N distO = abs(targetO - O.pos);
  N rC = ((distC * sCs) * cCs) / D_[kc];
  N rO = (eu + rC * sCs) / sCd;
  N mO = (rO * D_[ko]) / (cOs * sOs);
  N mC = distC;
  if (mO > distO) {
    mO = distO;
    rO = ((distO * sOs) * cOs) / D_[ko];
    rC = abs((eu - rO * sCd) / sCs);
    mC = (rC * D_[kc]) / (cCs * sCs);
    // Reference defect 2: a re-derived move beyond C's full distance is kept ("soft fail").
    if (opt_.rex_fix && mC > distC) mC = distC;
  } else {
    // The NBS cap of §7 on C's issue, O re-derived from C's REX utility.
    const N yC = C.pos > targetC ? C.pos - distC : C.pos + distC;
    const N n0 = adjusted_sum(E, kc, C.actor, C.pos, false) / D_[kc];
    const N n1 = adjusted_sum(E, kc, C.actor, yC, false) / D_[kc];
    const N d0 = targetC - n0, d1 = targetC - n1;
    if (!((A::nonneg(d0) && A::nonneg(d1)) || (A::nonpos(d0) && A::nonpos(d1)))) {
      const N T = adjusted_sum(E, kc, C.actor, C.pos, true);
      const N delta = abs((targetC * D_[kc] - T) / (sCs * cCs));
      rC = ((delta * sCs) * cCs) / D_[kc];
      rO = (eu + rC * sCs) / sCd;
      mO = abs((rO * D_[ko]) / (cOs * sOs));
      if (opt_.rex_fix) {
        mC = delta;
      } else {
        // Reference defect 1: C keeps the uncapped full move, already signed, and is flipped
        // again below, so a downward move goes up.
        mC = C.pos > targetC ? -distC : distC;
      }
    }
  }
  if (C.pos > targetC) mC = -mC;  // a signed move flipped again goes the wrong way (defect 1)
  if (O.pos > targetO) mO = -mO;
  C.top = mC;
  O.top = mO;
  C.full = O.full = false;
  C.y = C.pos + mC;
  O.y = O.pos + mO;
  // Side utilities (the sort key stays the equal gain).
  const N uC = rO * sCd - rC * sCs;
  const N uO = rC * sOd - rO * sOs;
  if (&C == &I) {
    ext(E).gain_i = uC;
    ext(E).gain_j = uO;
  } else {
    ext(E).gain_i = uO;
    ext(E).gain_j = uC;
  }
  E.valid = move_ok(I, I.move()) && move_ok(J, J.move());
}

// §13 Random Rate selection (our reading): realise a candidate that is the best option of both
// its actors (by each actor's own gain); when none is, shrink each actor's best candidate so that
// its gain for that actor equals the actor's second-best gain (both moves scaled by the same
// factor, so the rate is kept), and try again; give up after 1024 passes without a realisation.
template <class N>
std::vector<std::uint32_t> Engine<N>::select_random_rate() {
  std::vector<std::uint32_t> realised;
  std::uint32_t stamp = 1u << 30;
  int idle = 0;
  std::vector<std::int64_t> best(nA_), second(nA_);
  auto gain_of = [&](const Cand<N>& C, std::uint32_t actor) -> const N& { return C.I.actor == actor ? ext(C).gain_i : ext(C).gain_j; };
  while (idle < 1024) {
    std::fill(best.begin(), best.end(), -1);
    std::fill(second.begin(), second.end(), -1);
    bool any = false;
    for (std::uint32_t id = 0; id < cands_.size(); ++id) {
      const Cand<N>& C = cands_[id];
      if (mark_[id] == kDead) continue;
      any = true;
      for (std::uint32_t actor : {C.I.actor, C.J.actor}) {
        const N& g = gain_of(C, actor);
        auto& b = best[actor];
        if (b < 0 || g > gain_of(cands_[static_cast<std::size_t>(b)], actor)) {
          second[actor] = b;
          b = id;
        } else if (second[actor] < 0 || g > gain_of(cands_[static_cast<std::size_t>(second[actor])], actor)) {
          second[actor] = id;
        }
      }
    }
    if (!any) break;
    std::int64_t pick = -1;
    for (std::uint32_t id = 0; id < cands_.size() && pick < 0; ++id) {
      const Cand<N>& C = cands_[id];
      if (mark_[id] != kDead && best[C.I.actor] == id && best[C.J.actor] == id) pick = id;
    }
    if (pick < 0) {
      ++idle;
      for (std::size_t actor = 0; actor < nA_; ++actor) {
        if (best[actor] < 0) continue;
        Cand<N>& C = cands_[static_cast<std::size_t>(best[actor])];
        const N top = gain_of(C, static_cast<std::uint32_t>(actor));
        if (second[actor] < 0 || !(top > N(0))) {
          C.valid = false;  // nothing to give way to: this candidate is dropped
          drop(static_cast<std::uint32_t>(best[actor]));
          continue;
        }
        const N f = gain_of(cands_[static_cast<std::size_t>(second[actor])], static_cast<std::uint32_t>(actor)) / top;
        for (Side<N>* S : {&C.I, &C.J}) {
          S->top = S->top * f;
          S->full = false;
          S->y = S->pos + S->top;
        }
        ext(C).gain_i = ext(C).gain_i * f;
        ext(C).gain_j = ext(C).gain_j * f;
        C.gain = ext(C).gain_i < ext(C).gain_j ? ext(C).gain_i : ext(C).gain_j;
        C.valid = move_ok(C.I, C.I.move()) && move_ok(C.J, C.J.move()) && A::gain_ok(C.gain);
        if (!C.valid) drop(static_cast<std::uint32_t>(best[actor]));
      }
      continue;
    }
    idle = 0;
    Cand<N>& R = cands_[static_cast<std::size_t>(pick)];
    drop(static_cast<std::uint32_t>(pick));
    ++stamp;
    if (opt_.externalities) externalities(R);
    record_books(R);
    for_affected(R, stamp, [&](Slot&, Cand<N>& E) { refresh(E, R); });
    realised.push_back(static_cast<std::uint32_t>(pick));
  }
  return realised;
}

// ---- The model --------------------------------------------------------------------------------

class ExchangeModel final : public Model {
 public:
  ExchangeModel() {
    info_.name = "exchange";
    info_.title = "Stokman's exchange model (Decide): vote trading on issue pairs, compromise outcome";
    info_.description =
        "Actors trade voting positions on pairs of issues (Stokman & Van Oosten 1994), as the Decide "
        "project (foarsitter/decide-exchange-model) implements it. Each round: compromise outcome "
        "NBS = sum(c*s*x)/sum(c*s) per issue; every pair of actors on opposite sides of both outcomes "
        "is a candidate exchange; each supplies (moves on) its relatively less salient issue; moves "
        "give both equal gain; the NBS may not cross the partner's position; exchanges are realised "
        "highest gain first, the rest re-evaluated after each; the voting outcome is the NBS of the "
        "voting positions; preferences move x' = x + (0.1 + 0.4 (1-s)) (y - x). Default arithmetic "
        "reproduces Decide exactly (28-digit decimals). See docs/models/exchange.md.";
    info_.has_rounds = true;
    info_.stochastic = true;
    info_.trace_layout = ModelInfo::TraceLayout::issue_rounds;
    info_.round_label = "round";
    using T = ParamSpec::Type;
    info_.params = {
        {"rounds", T::integer, "10", "number of rounds (Decide's --iterations)", {}, 0, 100000},
        {"arith", T::choice, "decimal28",
         "decimal28: 28-digit decimals exactly as Decide (Python Decimal); double: fast, with tolerances",
         {"decimal28", "double"}},
        {"variant", T::choice, "equal", "equal gain, rex (randomised gains, parameter p), or random_rate",
         {"equal", "rex", "random_rate"}},
        {"p", T::real, "0", "REX: randomisation of the gain, 0 = equal gain", {}, 0, 1},
        {"rex_fix", T::boolean, "false",
         "REX: correct the two reference defects (capped move direction, unchecked overshoot)", {}},
        {"ties", T::choice, "first", "equal gains: first in list order (as the reference) or a seeded random draw",
         {"first", "random"}},
        {"salience_weight", T::real, "0.4", "preference update: weight of (1 - salience)", {}, 0, 1},
        {"fixed_weight", T::real, "0.1", "preference update: fixed weight", {}, 0, 1},
        {"externalities", T::boolean, "true", "compute per-actor externalities when they are recorded (trace --externalities); false = never", {}},
    };
  }
  const ModelInfo& info() const override { return info_; }

  Result run(const Scenario& scenario, const Params& params, std::uint64_t seed,
             const RunContext& context) const override {
    Options o;
    o.rounds = static_cast<int>(params.integer("rounds"));
    const std::string v = params.text("variant");
    o.variant = v == "rex" ? Variant::rex : v == "random_rate" ? Variant::random_rate : Variant::equal_gain;
    o.p = params.real("p");
    if (o.variant == Variant::rex && !params.has("p")) o.p = 0;
    o.rex_fix = params.flag("rex_fix");
    o.random_ties = params.text("ties") == "random";
    o.salience_weight = params.real("salience_weight");
    o.fixed_weight = params.real("fixed_weight");
    // Events cost time and memory; they are made only when the caller records them.
    o.externalities = params.flag("externalities") && context.record.event("externality");
    o.record_exchanges = context.record.event("exchange");
    o.record_rounds = context.record.rounds;
    if (params.text("arith") == "double") return run_engine<double>(scenario, o, seed, context);
    return run_engine<Decimal28>(scenario, o, seed, context);
  }

 private:
  template <class N>
  static Result run_engine(const Scenario& scenario, const Options& o, std::uint64_t seed, const RunContext& context) {
    Engine<N> engine(scenario, o, seed);
    try {
      return engine.run(context);
    } catch (const std::bad_alloc&) {
      // Memory grows with the candidate list: about (actors on each side of both outcomes)^2
      // per pair of issues.
      constexpr bool fast = std::is_same_v<N, double>;
      throw ResourceError(fmt::format(
          "exchange: out of memory with {} candidate exchanges in a round (about {:.1f} GB in {} arithmetic); "
          "fewer actors or issues{} need less",
          engine.planned(), static_cast<double>(engine.planned()) * static_cast<double>(Engine<N>::bytes_per_candidate()) / 1e9,
          fast ? "double" : "decimal28", fast ? "" : ", or arith=double,"));
    }
  }
  ModelInfo info_;
};

}  // namespace
}  // namespace entente::exchange

namespace entente {
using ExchangeModel = exchange::ExchangeModel;
ENTENTE_REGISTER_MODEL(ExchangeModel);
}  // namespace entente

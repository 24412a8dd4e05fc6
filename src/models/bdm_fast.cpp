// The fast round: the same results as round_details without its O(n^3) (or, in the reference,
// O(n^6)) cost. Ideas, all exact rearrangements of the spec's sums:
//  * Everything depends on positions, not on who holds them: work on the m distinct positions u.
//  * Z = sum_k c_k s_k sum_{m,n} |a_m - a_n| with a_m = d_k(x_m)^rho_k. For voter k the a's are
//    ordered by distance from x_k, so walking outwards from x_k gives them sorted and
//    sum_{m,n}|a_m - a_n| = 2 sum_j c_j (a_j C_<j - A_<j) in O(m) (c = multiplicities).
//  * S(a,b) = sum_k max(0, v_k(a,b)) only has voters strictly nearer a than b, a prefix or suffix
//    of the voters sorted by position, so with F_q[k] = c_k s_k d_k(u_q)^rho_k and its prefix
//    sums, S(a,b) = PF_b[L] - PF_a[L] (a < b) is O(1) once L is known (two pointers). The F rows
//    are computed in tiles so memory stays bounded; exponents rho = 1 need no rows at all.
//  * The risk pass is linear in the target's salience: D_i = A(x_i) + s_i B(x_i).
// Cost per round: O(n m) powers and O(n^2 + m^2) other work, O(tile_budget + n + m) memory
// (beyond tile_budget, O(n m^2 / tile) powers more for the recomputed rows).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <tuple>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "models/bdm_core.hpp"
#include "models/vpow.hpp"

namespace entente::bdm {

namespace {

// Element-wise pow, vectorised unless the caller asks for std::pow (Options::vector_pow).
void powv(bool vector, const double* b, const double* e, double* out, std::size_t n) {
  if (vector) return detail::pow_array(b, e, out, n);
  for (std::size_t i = 0; i < n; ++i) out[i] = e[i] == 1.0 ? b[i] : std::pow(b[i], e[i]);
}
void powv(bool vector, const double* b, double e, double* out, std::size_t n) {
  if (vector) return detail::pow_array(b, e, out, n);
  for (std::size_t i = 0; i < n; ++i) out[i] = e == 1.0 ? b[i] : std::pow(b[i], e);
}

struct Layout {
  std::vector<double> u;                // distinct positions, ascending
  std::vector<std::size_t> count;       // actors at each
  std::vector<std::vector<int>> at;     // actors at each, in input order
  std::vector<std::size_t> pos_of;      // actor -> index into u
  std::vector<std::size_t> order;       // actors sorted by position (voter order)
  std::vector<std::size_t> rank;        // actor -> index into order
  std::vector<std::size_t> first;       // position -> its first actor's rank (at[q][jj] = order[first[q] + jj])
  std::vector<double> xs, ws;           // voters' positions and weights c*s in that order
  std::vector<double> W, WX;            // prefix sums of ws and ws*(xs - xs[0])
};

Layout make_layout(const std::vector<double>& x, const std::vector<double>& w) {
  const std::size_t n = x.size();
  Layout L;
  L.order.resize(n);
  std::iota(L.order.begin(), L.order.end(), 0);
  std::stable_sort(L.order.begin(), L.order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  L.xs.resize(n);
  L.ws.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    L.xs[k] = x[L.order[k]];
    L.ws[k] = w[L.order[k]];
  }
  L.u = L.xs;
  L.u.erase(std::unique(L.u.begin(), L.u.end()), L.u.end());
  L.count.assign(L.u.size(), 0);
  L.at.assign(L.u.size(), {});
  L.pos_of.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto q = static_cast<std::size_t>(std::lower_bound(L.u.begin(), L.u.end(), x[i]) - L.u.begin());
    L.pos_of[i] = q;
    ++L.count[q];
    L.at[q].push_back(static_cast<int>(i));
  }
  L.rank.resize(n);
  for (std::size_t k = 0; k < n; ++k) L.rank[L.order[k]] = k;
  L.first.resize(L.u.size());
  for (std::size_t q = 0, k = 0; q < L.u.size(); k += L.count[q], ++q) L.first[q] = k;
  L.W.assign(n + 1, 0.0);
  L.WX.assign(n + 1, 0.0);
  const double origin = n ? L.xs[0] : 0.0;  // shifted coordinates: no cancellation on far-off scales
  for (std::size_t k = 0; k < n; ++k) {
    L.W[k + 1] = L.W[k] + L.ws[k];
    L.WX[k + 1] = L.WX[k] + L.ws[k] * (L.xs[k] - origin);
  }
  return L;
}

// First voter index not strictly nearer lo than hi, and first voter strictly nearer hi (lo < hi).
// Both predicates are monotone in the voter's position, also in floating point.
std::size_t split_lo(const Layout& L, double lo, double hi) {
  return static_cast<std::size_t>(
      std::partition_point(L.xs.begin(), L.xs.end(), [&](double v) { return (v - lo) < (hi - v); }) - L.xs.begin());
}
std::size_t split_hi(const Layout& L, double lo, double hi) {
  return static_cast<std::size_t>(
      std::partition_point(L.xs.begin(), L.xs.end(), [&](double v) { return (v - lo) <= (hi - v); }) - L.xs.begin());
}

// Linear votes (rho = 1) in O(log n): S1(a over b) = sum_k w_k max(0, |x_k - b| - |x_k - a|) / Delta.
struct LinearVotes {
  const Layout& L;
  double delta;
  double sum_w(std::size_t i, std::size_t j) const { return L.W[j] - L.W[i]; }
  double sum_wx(std::size_t i, std::size_t j) const { return L.WX[j] - L.WX[i]; }
  // Returns {S(lo over hi), S(hi over lo)} for positions lo < hi.
  std::pair<double, double> both(double lo, double hi) const {
    const std::size_t a_end = static_cast<std::size_t>(std::upper_bound(L.xs.begin(), L.xs.end(), lo) - L.xs.begin());
    const std::size_t b_begin = static_cast<std::size_t>(std::lower_bound(L.xs.begin(), L.xs.end(), hi) - L.xs.begin());
    return sums(lo, hi, a_end, split_lo(L, lo, hi), split_hi(L, lo, hi), b_begin);
  }
  // The same from the voter indices: a_end = first voter > lo, slo/shi = split_lo/split_hi,
  // b_begin = first voter >= hi.
  std::pair<double, double> sums(double lo, double hi, std::size_t a_end, std::size_t slo_i, std::size_t shi_i,
                                 std::size_t b_begin) const {
    if (!(delta > 0)) return {0.0, 0.0};
    const std::size_t n = L.xs.size();
    const double origin = L.xs[0];
    const double slo = lo - origin, shi = hi - origin;
    const std::size_t mlo = std::max(a_end, slo_i);
    const std::size_t mhi = std::min(b_begin, std::max(mlo, shi_i));
    // Voters at or left of lo gain the full gap; voters between lo and the midpoint gain
    // (lo + hi - 2x); mirror images for hi.
    const double s_lo = (hi - lo) * sum_w(0, a_end) + (slo + shi) * sum_w(a_end, mlo) - 2 * sum_wx(a_end, mlo);
    const double s_hi = (hi - lo) * sum_w(b_begin, n) + 2 * sum_wx(mhi, b_begin) - (slo + shi) * sum_w(mhi, b_begin);
    return {std::max(0.0, s_lo / delta), std::max(0.0, s_hi / delta)};
  }
};

// body(lo, hi) over [begin, end): in ranges of about `grain` on the caller's TBB threads if
// `parallel`, else (or when the range is small) in one call. Isolated: while it waits, a thread
// does not pick up outer work of the caller (e.g. another draw of `simulate`). Callers make
// results independent of the split.
template <class F>
void for_range(bool parallel, std::size_t begin, std::size_t end, std::size_t grain, F&& body) {
  if (end <= begin) return;
  if (!parallel || end - begin < 2 * grain) {
    body(begin, end);
    return;
  }
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(begin, end, grain),
                      [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
  });
}

// Chunk boundaries of the rows a of the risk pass, about equal in pairs (row a has m - 1 - a),
// a function of m alone. One chunk below Options::parallel_from positions: small problems sum as
// one loop.
std::vector<std::size_t> risk_chunks(std::size_t m, std::size_t parallel_from) {
  const std::size_t chunks = m < parallel_from ? 1 : 16;
  std::vector<std::size_t> cut{0};
  const double pairs = 0.5 * static_cast<double>(m) * static_cast<double>(m - 1);
  double acc = 0;
  for (std::size_t a = 0; a < m && cut.size() < chunks; ++a) {
    acc += static_cast<double>(m - 1 - a);
    if (acc >= pairs * static_cast<double>(cut.size()) / static_cast<double>(chunks)) cut.push_back(a + 1);
  }
  cut.push_back(m);
  return cut;
}

// Z = sum_k w_k sum_{m,n} |d_k(x_m)^rho_k - d_k(x_n)^rho_k| (rho in voter order; empty = all 1).
// The voters' terms are computed in parallel and added up in voter order.
double normaliser(const Layout& L, const std::vector<double>& rho, double delta, bool vector,
                  std::size_t parallel_from) {
  if (!(delta > 0)) return 0.0;
  const std::size_t n = L.xs.size(), m = L.u.size();
  std::vector<double> term(n, 0.0);
  const bool parallel = m >= parallel_from;
  std::vector<double> one(parallel ? 0 : m);
  std::optional<tbb::enumerable_thread_specific<std::vector<double>>> scratch;
  if (parallel) scratch.emplace([m] { return std::vector<double>(m); });
  for_range(parallel, 0, n, 64, [&](std::size_t k0, std::size_t k1) {
    std::vector<double>& pw = parallel ? scratch->local() : one;
    for (std::size_t k = k0; k < k1; ++k) {
      if (L.ws[k] == 0) continue;
      const double xk = L.xs[k];
      const double r = rho.empty() ? 1.0 : rho[k];
      // d_k(u_q)^r for every position at once (vectorised), then the walk outwards reads them.
      for (std::size_t q = 0; q < m; ++q) pw[q] = std::fabs(xk - L.u[q]) / delta;
      powv(vector, pw.data(), r, pw.data(), m);
      double C = 0, A = 0, acc = 0;
      auto take = [&](std::size_t q) {
        const double a = pw[q];
        const double c = static_cast<double>(L.count[q]);
        acc += c * (a * C - A);
        C += c;
        A += c * a;
      };
      const auto p0 = static_cast<std::size_t>(std::lower_bound(L.u.begin(), L.u.end(), xk) - L.u.begin());
      take(p0);
      std::size_t left = p0, right = p0 + 1;  // next candidates: left-1 and right
      while (left > 0 || right < m) {
        if (right >= m || (left > 0 && xk - L.u[left - 1] <= L.u[right] - xk)) take(--left);
        else take(right++);
      }
      term[k] = L.ws[k] * 2 * acc;
    }
  });
  double total = 0;
  for (std::size_t k = 0; k < n; ++k)
    if (L.ws[k] != 0) total += term[k];
  return total;
}

struct Raw {
  int to, from;
  OfferType type;
  double position;
};

template <class... V>
void resize_all(std::size_t n, V&... v) {
  (v.resize(n), ...);
}

struct Best {
  bool has = false;
  double key = 0;
  int from = 0;
  double position = 0;
  void offer(double k, int j, double p) {
    if (!has || k < key || (k == key && j < from)) {
      has = true;
      key = k;
      from = j;
      position = p;
    }
  }
};

}  // namespace

struct Pending {
  std::size_t other;
  double p_anchor, p_other;  // P(anchor beats other), P(other beats anchor)
  std::size_t off;           // first entry of other's actors in the partner arrays
};
// The pair walk's state and buffers: one per thread, and for small problems the one in the
// Workspace, reused from round to round (allocations per round cost simulate ~10%).
struct PairScratch {
  std::vector<Best> best;  // [receiver's rank in voter order][type]: read in sequence
  std::vector<Raw> raw;
  std::vector<Pending> pend;
  std::size_t anchor = 0;
  std::vector<double> base_s, base_f, log_s, log_f, usA, ufA, bs, bf, ex, usB, ufB;
  std::vector<double> rows, pw;  // streamed prefix-sum rows and their powers
  std::vector<std::vector<Pending>> pq;  // the queue of each row of a block
  std::vector<double> sJ, subJ, pA, pO, xb, usAe, ufAe, e1, e2;  // batch()
  std::vector<int> jx;
  std::vector<std::size_t> rk;
  std::vector<std::uint32_t> idx;
  std::vector<std::uint8_t> typ;
  std::vector<std::size_t> llo, lhi;
};
Workspace::Workspace() = default;
Workspace::~Workspace() = default;
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;

RoundResult round_fast(const Problem& pb, const std::vector<double>& x, double delta, const Options& o,
                       Workspace* ws) {
  Workspace own;
  Workspace& W = ws ? *ws : own;
  const std::size_t n = x.size();
  RoundResult out;
  out.x = x;
  out.r.assign(n, 1.0);
  out.danger.assign(n, 0.0);
  if (n == 0) return out;
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = pb.c[i] * pb.s[i];
  const double mu = weighted_median(x, w, o.median);
  const Layout L = make_layout(x, w);
  const std::size_t m = L.u.size();
  const LinearVotes lin{L, delta};
  auto same = [&](std::size_t a, std::size_t b) { return std::fabs(L.u[a] - L.u[b]) <= o.tolerance; };
  const auto& s = pb.s;

  // ---- 1. Risk pass (rho = 1) ----
  out.z1 = normaliser(L, {}, delta, o.vector_pow, o.parallel_from);
  // P1 for positions a < b, both directions, from the linear vote sums.
  auto to_p1 = [&](double sab, double sba) -> std::pair<double, double> {
    if (o.probability == Probability::pairwise) {
      const double den = sab + sba;
      return den > 0 ? std::pair{sab / den, sba / den} : std::pair{0.5, 0.5};
    }
    return out.z1 > 0 ? std::pair{sab / out.z1, sba / out.z1} : std::pair{0.0, 0.0};
  };
  auto p1_pair = [&](std::size_t a, std::size_t b) {
    const auto [sab, sba] = lin.both(L.u[a], L.u[b]);
    return to_p1(sab, sba);
  };
  // All pairs a < b in one sweep per a: the voter split points only move right as b grows.
  auto for_pairs = [&](std::size_t a0, std::size_t a1, auto&& f) {
    const std::size_t n_ = L.xs.size();
    for (std::size_t a = a0; a < a1; ++a) {
      const double ua = L.u[a];
      const std::size_t a_end =
          static_cast<std::size_t>(std::upper_bound(L.xs.begin(), L.xs.end(), ua) - L.xs.begin());
      std::size_t llo = a_end, lhi = a_end, bb = a_end;
      for (std::size_t b = a + 1; b < m; ++b) {
        const double ub = L.u[b];
        while (llo < n_ && (L.xs[llo] - ua) < (ub - L.xs[llo])) ++llo;
        if (lhi < llo) lhi = llo;
        while (lhi < n_ && (L.xs[lhi] - ua) <= (ub - L.xs[lhi])) ++lhi;
        while (bb < n_ && L.xs[bb] < ub) ++bb;
        if (same(a, b)) continue;
        const auto [sab, sba] = lin.sums(ua, ub, a_end, llo, lhi, bb);
        f(a, b, sab, sba);
      }
    }
  };
  // EU1(b -> a) = alpha + s_a * beta.
  auto alpha_beta = [&](std::size_t b, std::size_t a, double p_ba) -> std::pair<double, double> {
    const double d = unit_distance(L.u[a], L.u[b], delta);
    const double us = u_success(d, 1.0), uf = u_failure(d, 1.0);
    const double sub = eu_subtracted(q_geometry(L.u[b], L.u[a], mu, delta, o), 1.0, u_status_quo(1.0), o);
    return {us - sub, (1 - p_ba) * (uf - us)};
  };
  // The danger sums in chunks of rows a, each into its own partial sums, added up in chunk
  // order: the chunks depend on m only, so the sums do not depend on the number of threads.
  std::vector<double> A(m, 0.0), B(m, 0.0);
  {
    const std::vector<std::size_t> cut = risk_chunks(m, o.parallel_from);
    const std::size_t chunks = cut.size() - 1;
    std::vector<std::vector<double>> pa(chunks), pb2(chunks);
    for_range(chunks > 1, 0, chunks, 1, [&](std::size_t c0, std::size_t c1) {
      for (std::size_t c = c0; c < c1; ++c) {
        std::vector<double>& Ac = chunks == 1 ? A : pa[c];
        std::vector<double>& Bc = chunks == 1 ? B : pb2[c];
        Ac.assign(m, 0.0);
        Bc.assign(m, 0.0);
        for_pairs(cut[c], cut[c + 1], [&](std::size_t a, std::size_t b, double sab, double sba) {
          const auto [pab, pba] = to_p1(sab, sba);
          const auto [al_ba, be_ba] = alpha_beta(b, a, pba);  // b challenges a
          const auto [al_ab, be_ab] = alpha_beta(a, b, pab);  // a challenges b
          Ac[a] += static_cast<double>(L.count[b]) * al_ba;
          Bc[a] += static_cast<double>(L.count[b]) * be_ba;
          Ac[b] += static_cast<double>(L.count[a]) * al_ab;
          Bc[b] += static_cast<double>(L.count[a]) * be_ab;
        });
      }
    });
    if (chunks > 1)
      for (std::size_t c = 0; c < chunks; ++c)
        for (std::size_t y = 0; y < m; ++y) {
          A[y] += pa[c][y];
          B[y] += pb2[c][y];
        }
  }
  for (std::size_t i = 0; i < n; ++i) out.danger[i] = A[L.pos_of[i]] + s[i] * B[L.pos_of[i]];
  {
    const auto [lo_it, hi_it] = std::minmax_element(out.danger.begin(), out.danger.end());
    for (std::size_t i = 0; i < n; ++i) {
      double lo = *lo_it, hi = *hi_it;
      if (o.security == Security::positions) {
        // A4: the danger i would face at each held position y (i no longer counts at its own).
        const std::size_t pi = L.pos_of[i];
        lo = hi = out.danger[i];
        for (std::size_t y = 0; y < m; ++y) {
          double dy = A[y] + s[i] * B[y];
          if (!same(pi, y)) {
            const double p_iy = pi < y ? p1_pair(pi, y).first : p1_pair(y, pi).second;
            const auto [al, be] = alpha_beta(pi, y, p_iy);
            dy -= al + s[i] * be;
          }
          lo = std::min(lo, dy);
          hi = std::max(hi, dy);
        }
      }
      out.r[i] = risk_exponent(out.danger[i], lo, hi);
    }
  }

  // ---- 2. Main pass ----
  std::vector<double> rho(n);
  for (std::size_t k = 0; k < n; ++k) rho[k] = out.r[L.order[k]];
  out.z = normaliser(L, rho, delta, o.vector_pow, o.parallel_from);
  std::vector<double> usq(n);
  for (std::size_t i = 0; i < n; ++i) usq[i] = u_status_quo(out.r[i]);

  // ---- 3./4. Offers and running selection per receiver ----
  const bool keep_all = o.offers == OfferLog::all;
  // The pairs of one anchor position are queued and visited together, so that the powers in
  // U_s = 2 - 4 (1/2 - d/2)^r and U_f = 2 - 4 (1/2 + d/2)^r (eqs. 15-16) of every receiver on
  // either side are computed in a few vectorised calls instead of one std::pow per value.
  // Nothing depends on the order pairs are visited in or on which thread visits them: each
  // (receiver, proposer) offer is evaluated once from values that do not depend on the batch, the
  // selection keeps the least (key, proposer) whatever the order, and the offer log is sorted. So
  // the pairs are split over the caller's threads (TBB tasks) with results identical to one thread.
  const bool parallel = m >= o.parallel_from;
  auto make_local = [n] {
    PairScratch t;
    t.best.resize(3 * n);
    return t;
  };
  std::optional<tbb::enumerable_thread_specific<PairScratch>> locals;
  if (parallel) {
    locals.emplace(make_local);
  } else {
    if (!W.pairs) W.pairs = std::make_unique<PairScratch>();
    W.pairs->best.assign(3 * n, Best{});
    W.pairs->raw.clear();
  }
  auto local = [&]() -> PairScratch& { return parallel ? locals->local() : *W.pairs; };
  // Receivers at position pa, proposers at pb; p_i = P(pa beats pb), p_j = P(pb beats pa).
  // usR/ufR: U_s and U_f of the receivers (the ii-th at usR[ii * sR]), usP/ufP the proposers'.
  auto side = [&](PairScratch& T, std::size_t pa, std::size_t pb_, double p_i, double p_j, const double* usR,
                  const double* ufR, std::size_t sR, const double* usP, const double* ufP, std::size_t sP) {
    const double xa = L.u[pa], xb = L.u[pb_];
    // The geometry only enters with Scholz's (1-Q) term (eu_subtracted ignores it otherwise).
    const bool geometry = o.Q < 1 && o.q_form == QForm::scholz;
    const QGeometry q_ij = geometry ? q_geometry(xa, xb, mu, delta, o) : QGeometry{};  // receiver challenges
    const QGeometry q_ji = geometry ? q_geometry(xb, xa, mu, delta, o) : QGeometry{};  // proposer challenges
    const auto& at_a = L.at[pa];
    const auto& at_b = L.at[pb_];
    for (std::size_t ii = 0; ii < at_a.size(); ++ii) {
      const int i = at_a[ii];
      const double ri = out.r[i];
      const double us = usR[ii * sR], uf = ufR[ii * sR];
      const double sub_ij = eu_subtracted(q_ij, ri, usq[i], o);
      const double sub_ji = eu_subtracted(q_ji, ri, usq[i], o);
      for (std::size_t jj = 0; jj < at_b.size(); ++jj) {
        const int j = at_b[jj];
        const double e1 = expected_utility(p_i, s[j], us, uf, sub_ij);
        const double st = o.salience == ChallengeSalience::target ? s[i] : s[j];
        double e2;
        if (o.perspective == Perspective::receiver) {
          e2 = expected_utility(p_j, st, us, uf, sub_ji);
        } else {
          const double rj = out.r[j];
          e2 = expected_utility(p_j, st, usP[jj * sP], ufP[jj * sP], eu_subtracted(q_ji, rj, usq[j], o));
        }
        OfferType type{};
        if (!classify(e1, e2, o.capitulation, type)) continue;
        const double np = offer_position(type, xa, xb, e1, e2, o);
        T.best[3 * L.rank[static_cast<std::size_t>(i)] + static_cast<std::size_t>(type)].offer(
            offer_key(type, xa, xb, e1, e2, np, o), j, np);
        if (keep_all) T.raw.push_back({i, j, type, np});
      }
    }
  };
  // base^r for the bases of the queue; with the vector path exp(r log base), the logarithms
  // computed once per pair of positions for both sides' exponents; r = 1 gives the base exactly.
  auto powr = [&](const double* base, const double* lb, double r, double* res, std::size_t k) {
    if (r == 1.0) std::copy(base, base + k, res);
    else if (o.vector_pow) detail::exp_array(lb, r, res, k);
    else for (std::size_t i = 0; i < k; ++i) res[i] = std::pow(base[i], r);
  };
  auto powe = [&](const double* base, const double* lb, const double* e, double* res, std::size_t k) {
    if (!o.vector_pow) {
      for (std::size_t i = 0; i < k; ++i) res[i] = e[i] == 1.0 ? base[i] : std::pow(base[i], e[i]);
      return;
    }
    for (std::size_t i = 0; i < k; ++i) res[i] = e[i] * lb[i];
    detail::exp_array(res, 1.0, res, k);
    for (std::size_t i = 0; i < k; ++i)
      if (e[i] == 1.0) res[i] = base[i];
  };
  // The usual options (receiver's perspective, no (1-Q) geometry term: EU subtracts Q U_sq only)
  // take a batched path: the expected utilities of every dyad of the queue in flat loops the
  // compiler vectorises, then the classification; the same values as side() computes.
  const bool simple = o.perspective == Perspective::receiver && (o.Q >= 1 || o.q_form == QForm::jmckib);
  const bool target = o.salience == ChallengeSalience::target;
  // Per-actor inputs in voter order, so that the partners of a queue are read in sequence.
  std::vector<double> s_by_rank(n), sub_by_rank(n);
  for (std::size_t k = 0; k < n; ++k) {
    s_by_rank[k] = s[L.order[k]];
    sub_by_rank[k] = o.Q * usq[L.order[k]];
  }
  // The dyads e of T.e1/T.e2 that make an offer, in T.idx with their types in T.typ: classify()
  // without branches (which dyads offer is unpredictable), then one pass over the offers only.
  auto offers_of = [&](PairScratch& T, std::size_t total) {
    T.idx.resize(total);
    T.typ.resize(total);
    const bool cap_on = o.capitulation;
    std::size_t cnt = 0;
    for (std::size_t e = 0; e < total; ++e) {
      const double e1 = T.e1[e], e2 = T.e2[e];
      const bool conf = (e2 > e1) & (e1 > 0);
      const bool beats = (e2 > 0) & (0 > e1);
      const bool comp = beats & (e2 > std::fabs(e1));
      const bool cap = cap_on & beats & (e2 < std::fabs(e1));
      T.idx[cnt] = static_cast<std::uint32_t>(e);
      T.typ[cnt] = static_cast<std::uint8_t>(conf ? OfferType::confrontation
                                                  : comp ? OfferType::compromise : OfferType::capitulation);
      cnt += static_cast<std::size_t>(conf | comp | cap);
    }
    return cnt;
  };
  auto batch = [&](PairScratch& T, std::size_t total) {
    const std::size_t K = T.pend.size();
    const std::size_t a = T.anchor;
    const double xa = L.u[a];
    // The partners (actors at the other positions of the queue), flat.
    resize_all(total, T.sJ, T.pA, T.pO, T.xb, T.jx, T.usAe, T.ufAe, T.e1, T.e2, T.rk, T.subJ);
    for (std::size_t k = 0; k < K; ++k) {
      std::size_t e = T.pend[k].off;
      const std::size_t q = T.pend[k].other;
      for (std::size_t rk = L.first[q]; rk < L.first[q] + L.count[q]; ++rk, ++e) {
        T.sJ[e] = s_by_rank[rk];
        T.subJ[e] = sub_by_rank[rk];
        T.pA[e] = T.pend[k].p_anchor;
        T.pO[e] = T.pend[k].p_other;
        T.xb[e] = L.u[q];
        T.jx[e] = static_cast<int>(L.order[rk]);
        T.rk[e] = rk;
      }
    }
    const auto& at_a = L.at[a];
    for (std::size_t ii = 0; ii < at_a.size(); ++ii) {
      const int i = at_a[ii];
      const double si = s[static_cast<std::size_t>(i)];
      const double sub_i = o.Q * usq[static_cast<std::size_t>(i)];
      for (std::size_t k = 0; k < K; ++k) {
        const std::size_t e0 = T.pend[k].off, e1_ = e0 + L.at[T.pend[k].other].size();
        std::fill(&T.usAe[e0], &T.usAe[0] + e1_, T.usA[ii * K + k]);
        std::fill(&T.ufAe[e0], &T.ufAe[0] + e1_, T.ufA[ii * K + k]);
      }
      // i receives from every partner j.
      for (std::size_t e = 0; e < total; ++e) {
        T.e1[e] = expected_utility(T.pA[e], T.sJ[e], T.usAe[e], T.ufAe[e], sub_i);
        T.e2[e] = expected_utility(T.pO[e], target ? si : T.sJ[e], T.usAe[e], T.ufAe[e], sub_i);
      }
      Best mine[3];
      for (std::size_t c = 0, cnt = offers_of(T, total); c < cnt; ++c) {
        const std::size_t e = T.idx[c];
        const auto type = static_cast<OfferType>(T.typ[c]);
        const double np = offer_position(type, xa, T.xb[e], T.e1[e], T.e2[e], o);
        mine[static_cast<std::size_t>(type)].offer(offer_key(type, xa, T.xb[e], T.e1[e], T.e2[e], np, o), T.jx[e], np);
        if (keep_all) T.raw.push_back({i, T.jx[e], type, np});
      }
      for (std::size_t t = 0; t < 3; ++t)
        if (mine[t].has) T.best[3 * L.rank[static_cast<std::size_t>(i)] + t].offer(mine[t].key, mine[t].from, mine[t].position);
      // Every partner j receives from i.
      for (std::size_t e = 0; e < total; ++e) {
        T.e1[e] = expected_utility(T.pO[e], si, T.usB[e], T.ufB[e], T.subJ[e]);
        T.e2[e] = expected_utility(T.pA[e], target ? T.sJ[e] : si, T.usB[e], T.ufB[e], T.subJ[e]);
      }
      for (std::size_t c = 0, cnt = offers_of(T, total); c < cnt; ++c) {
        const std::size_t e = T.idx[c];
        const auto type = static_cast<OfferType>(T.typ[c]);
        const double np = offer_position(type, T.xb[e], xa, T.e1[e], T.e2[e], o);
        T.best[3 * T.rk[e] + static_cast<std::size_t>(type)].offer(
            offer_key(type, T.xb[e], xa, T.e1[e], T.e2[e], np, o), i, np);
        if (keep_all) T.raw.push_back({T.jx[e], i, type, np});
      }
    }
  };
  auto flush = [&](PairScratch& T) {
    const std::size_t K = T.pend.size();
    if (K == 0) return;
    const std::size_t a = T.anchor;
    const auto& at_a = L.at[a];
    T.base_s.resize(K);
    T.base_f.resize(K);
    std::size_t total = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const double d = unit_distance(L.u[a], L.u[T.pend[k].other], delta);
      T.base_s[k] = 0.5 - 0.5 * d;
      T.base_f[k] = 0.5 + 0.5 * d;
      T.pend[k].off = total;
      total += L.at[T.pend[k].other].size();
    }
    T.log_s.resize(K);
    T.log_f.resize(K);
    if (o.vector_pow) {
      detail::log_array(T.base_s.data(), T.log_s.data(), K);
      detail::log_array(T.base_f.data(), T.log_f.data(), K);
    }
    T.usA.resize(at_a.size() * K);
    T.ufA.resize(at_a.size() * K);
    for (std::size_t ii = 0; ii < at_a.size(); ++ii) {
      const double r = out.r[at_a[ii]];
      powr(T.base_s.data(), T.log_s.data(), r, &T.usA[ii * K], K);
      powr(T.base_f.data(), T.log_f.data(), r, &T.ufA[ii * K], K);
    }
    resize_all(total, T.bs, T.bf, T.ex, T.usB, T.ufB);
    for (std::size_t k = 0; k < K; ++k) {
      std::size_t e = T.pend[k].off;
      for (int j : L.at[T.pend[k].other]) {
        T.bs[e] = T.base_s[k];
        T.bf[e] = T.base_f[k];
        T.usB[e] = T.log_s[k];  // the logarithms, replaced by the powers below
        T.ufB[e] = T.log_f[k];
        T.ex[e++] = out.r[j];
      }
    }
    powe(T.bs.data(), T.usB.data(), T.ex.data(), T.usB.data(), total);
    powe(T.bf.data(), T.ufB.data(), T.ex.data(), T.ufB.data(), total);
    for (auto* v : {&T.usA, &T.usB})
      for (double& y : *v) y = 2 - 4 * y;  // u_success
    for (auto* v : {&T.ufA, &T.ufB})
      for (double& y : *v) y = 2 - 4 * y;  // u_failure
    if (simple && total >= 16) {  // small queues: the flat arrays cost more than they save
      batch(T, total);
    } else {
      for (std::size_t k = 0; k < K; ++k) {
        const Pending& q = T.pend[k];
        side(T, a, q.other, q.p_anchor, q.p_other, &T.usA[k], &T.ufA[k], K, &T.usB[q.off], &T.ufB[q.off], 1);
        side(T, q.other, a, q.p_other, q.p_anchor, &T.usB[q.off], &T.ufB[q.off], 1, &T.usA[k], &T.ufA[k], K);
      }
    }
    T.pend.clear();
  };
  // Queues the pair (a, b) with anchor `at` (a or b); pab = P(a beats b), pba = P(b beats a).
  auto visit = [&](PairScratch& T, std::size_t at, std::size_t a, std::size_t b, double pab, double pba) {
    if (at != T.anchor) flush(T);
    T.anchor = at;
    if (at == a) T.pend.push_back({b, pab, pba, 0});
    else T.pend.push_back({a, pba, pab, 0});
  };

  if (m > 1 && o.probability == Probability::pairwise) {
    PairScratch& T = local();
    for_pairs(0, m, [&](std::size_t a, std::size_t b, double sab, double sba) {
      const auto [pab, pba] = to_p1(sab, sba);
      visit(T, a, a, b, pab, pba);
    });
    flush(T);
  } else if (m > 1) {
    // Rows F_q over the voters, as prefix sums (Neumaier-compensated), in tiles of positions.
    const std::size_t row = n + 1;
    const double z = out.z;
    // A tile of rows a stays in memory while the rows b > a stream past one at a time, so each
    // row b is recomputed once per tile (m^2 / (2 tile) extra rows instead of m^2 / tile).
    const std::size_t tile = std::clamp<std::size_t>(o.tile_budget / row, 2, m) - 1;
    // Reused from the previous round: only grown, never cleared (fill writes what is read).
    if (W.tile.size() < tile * row) W.tile.resize(tile * row);
    double* const bufI = W.tile.data();
    auto fill = [&](std::size_t q, double* pf, std::vector<double>& pw) {
      const double uq = L.u[q];
      // d_k(u_q)^rho_k for every voter at once (vectorised), then the compensated prefix sums.
      pw.resize(n);
      for (std::size_t k = 0; k < n; ++k) pw[k] = delta > 0 ? std::fabs(L.xs[k] - uq) / delta : 0.0;
      powv(o.vector_pow, pw.data(), rho.data(), pw.data(), n);
      double sum = 0, comp = 0;
      pf[0] = 0;
      for (std::size_t k = 0; k < n; ++k) {
        double f = 0;
        if (L.ws[k] != 0 && delta > 0) f = L.ws[k] * pw[k];
        const double t2 = sum + f;
        comp += std::fabs(sum) >= std::fabs(f) ? (sum - t2) + f : (f - t2) + sum;
        sum = t2;
        pf[k + 1] = sum + comp;
      }
    };
    for (std::size_t i0 = 0; i0 < m; i0 += tile) {
      const std::size_t i1 = std::min(m, i0 + tile);
      const std::size_t f1 = std::min(i1, m - 1);  // the last row is never an a
      for_range(parallel, i0, f1, 8, [&](std::size_t lo, std::size_t hi) {
        PairScratch& T = local();
        for (std::size_t a = lo; a < hi; ++a) fill(a, &bufI[(a - i0) * row], T.pw);
      });
      // The rows b in ranges; a range starts its two pointers per a by binary search, which
      // gives the same split points as walking them from b = a + 1 (the predicates are monotone).
      for_range(parallel, i0 + 1, m, 16, [&](std::size_t b0, std::size_t b1) {
        PairScratch& T = local();
        T.llo.resize(tile);
        T.lhi.resize(tile);
        for (std::size_t a = i0; a < std::min(i1, b0); ++a) {
          if (a + 1 == b0) continue;  // initialised below, as in the walk
          T.llo[a - i0] = split_lo(L, L.u[a], L.u[b0]);
          T.lhi[a - i0] = split_hi(L, L.u[a], L.u[b0]);
        }
        // Rows b in blocks of `block`: each row a's three cache lines (at its two split points
        // and at n) are then read once per block instead of once per b.
        constexpr std::size_t block = 16;
        T.rows.resize(block * row);
        T.pq.resize(block);
        const double* pf_of[block];
        for (std::size_t c0 = b0; c0 < b1; c0 += block) {
          const std::size_t c1 = std::min(b1, c0 + block);
          for (std::size_t b = c0; b < c1; ++b) {
            if (b < f1) {
              pf_of[b - c0] = &bufI[(b - i0) * row];
            } else {
              fill(b, &T.rows[(b - c0) * row], T.pw);
              pf_of[b - c0] = &T.rows[(b - c0) * row];
            }
          }
          for (std::size_t a = i0; a < std::min(i1, c1 - 1); ++a) {
            const double ua = L.u[a];
            const double* pfa = &bufI[(a - i0) * row];
            // Two pointers per a, each moving right only as b grows.
            std::size_t& lo_ = T.llo[a - i0];
            std::size_t& hi_ = T.lhi[a - i0];
            for (std::size_t b = std::max(c0, a + 1); b < c1; ++b) {
              const double ub = L.u[b];
              if (b == a + 1) {
                lo_ = split_lo(L, ua, ub);
                hi_ = split_hi(L, ua, ub);
              }
              while (lo_ < n && (L.xs[lo_] - ua) < (ub - L.xs[lo_])) ++lo_;
              while (hi_ < n && (L.xs[hi_] - ua) <= (ub - L.xs[hi_])) ++hi_;
              if (same(a, b)) continue;
              const double* pfb = pf_of[b - c0];
              const double sab = std::max(0.0, pfb[lo_] - pfa[lo_]);
              const double sba = std::max(0.0, (pfa[n] - pfa[hi_]) - (pfb[n] - pfb[hi_]));
              // Anchor b: the other position is a; P(b beats a), P(a beats b).
              T.pq[b - c0].push_back({a, z > 0 ? sba / z : 0.0, z > 0 ? sab / z : 0.0, 0});
            }
          }
          for (std::size_t b = c0; b < c1; ++b) {
            std::swap(T.pend, T.pq[b - c0]);
            T.anchor = b;
            flush(T);  // leaves T.pend empty
            std::swap(T.pend, T.pq[b - c0]);
          }
        }
      });
    }
  }

  // The threads' selections and offer logs, merged; the least (key, proposer) wins in any order.
  std::vector<Best> merged;
  std::vector<Raw> merged_raw;
  if (parallel) {
    for (PairScratch& T : *locals) {
      if (merged.empty()) {
        merged = std::move(T.best);
        merged_raw = std::move(T.raw);
        continue;
      }
      for (std::size_t k = 0; k < merged.size(); ++k)
        if (T.best[k].has) merged[k].offer(T.best[k].key, T.best[k].from, T.best[k].position);
      merged_raw.insert(merged_raw.end(), T.raw.begin(), T.raw.end());
    }
    if (merged.empty()) merged.resize(3 * n);
  }
  const std::vector<Best>& best = parallel ? merged : W.pairs->best;
  std::vector<Raw>& raw = parallel ? merged_raw : W.pairs->raw;

  // ---- 5. Decisions and the offer log ----
  std::vector<int> chosen(n, -1);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = 0; t < 3; ++t)
      if (const Best& b = best[3 * L.rank[i] + t]; b.has) {
        out.x[i] = b.position;
        chosen[i] = b.from;
        if (o.offers == OfferLog::selected)
          out.offers.push_back({static_cast<int>(i), b.from, static_cast<OfferType>(t), b.position, true});
        break;
      }
  if (keep_all) {
    std::sort(raw.begin(), raw.end(),
              [](const Raw& a, const Raw& b) { return std::tie(a.to, a.from) < std::tie(b.to, b.from); });
    out.offers.reserve(raw.size());
    for (const auto& f : raw)
      out.offers.push_back({f.to, f.from, f.type, f.position, chosen[static_cast<std::size_t>(f.to)] == f.from});
  }
  return out;
}

}  // namespace entente::bdm

// KTAB's Spatial Model of Politics (SMP) with probabilistic Condorcet elections (Wise et al.,
// KAPSARC; lsyaseen/KTAB 3b5b063). Follows smp-algorithm.md step by step, in KTAB's evaluation
// order where bits matter, so KTAB's trajectories are reproduced; docs/models/smp.md explains the
// equations, the parameters and which KTAB defects are copied or corrected.
//
// Speed: KTAB keeps N perceived-utility matrices (N^3 doubles) per state and evaluates every
// challenge from every point of view (an N^4 pass that only feeds its database). Here perceived
// utilities are recomputed on the fly from the distance matrix and the risk attitudes (cheap),
// only the challenges that influence the run are evaluated (N^3 per turn, the inner loop over
// third parties vectorised), and the bargain utilities are summed across voters in SIMD lanes.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "entente/model.hpp"
#include "entente/pce.hpp"
#include "entente/random.hpp"
#include "models/budget.hpp"
#include "models/pce_kernel.hpp"

namespace entente {
namespace {

using pce::VotingRule;

enum class BigRAdj { None, OneThird, Half, TwoThirds, Full };
enum class BigRRng { Min, Mid, Max };
enum class Commit { No, Semi, Full };
enum class Interp { S1P1, S2P2, S2PMax };
enum class Bargn { InitOnly, InitRcvr, PWComp };

struct Config {
  pce::Options pce;
  bool stochastic = false;
  BigRAdj adjust = BigRAdj::OneThird;
  BigRRng range = BigRRng::Mid;
  Commit commit = Commit::Semi;
  Interp interp = Interp::S2P2;
  Bargn bargain = Bargn::InitOnly;
  long long max_turns = 100;
  double stop_ratio = 0.02;
  bool distinct_third_party = false;   // corrected third-party vote (KTAB: one P for both coalitions)
  bool pwcomp_own_capability = false;  // corrected PWCompInterp weight (KTAB: initiator's capability)
  bool receiver_probability = false;   // receiver's P instead of its estimate of i's gain (KTAB)
};

// The scenario on KTAB's internal scale: positions and saliences in [0,1].
struct Problem {
  std::size_t n = 0, d = 0;
  std::vector<double> cap;    // c_a
  std::vector<double> sal;    // s_ak, n x d
  std::vector<double> stot;   // S_a = sum_k s_ak
  std::vector<double> ssq;    // sum_k s_ak^2 (distance denominator)
  std::vector<double> wch;    // S_a * c_a, the weight in challenges
  std::vector<double> x0;     // initial positions, n x d
  std::vector<double> accom;  // accommodation matrix A (n x n), empty = identity
};

// One state: positions and ideals, plus what section 5 derives from them.
struct State {
  std::vector<double> x, y;    // n x d
  std::vector<double> dist;    // dist[i*n+j] = d(y_i, x_j; s_i)
  std::vector<double> distT;   // transposed
  std::vector<double> risk;    // objective risk attitude R_a
  std::vector<std::size_t> uq; // unique positions (representatives)
  std::vector<double> uq_prob; // PCE over the unique positions (8.2)
  std::vector<double> win;     // per actor: probability of its position (8.2)
};

struct Bargain {
  std::size_t init = 0, rcvr = 0;
  std::vector<double> bi, bj;  // new positions of initiator and receiver
};

// u(d,R) = (1-d)(1+dR) for d <= 1, (1-d)(1+R) beyond; min(d,1)*R is exactly R there, and the
// branch-free form lets the third-party loop vectorise.
inline double util(double d, double r) noexcept { return (1.0 - d) * (1.0 + std::min(d, 1.0) * r); }

inline double norm_diff(const double* a, const double* b, std::size_t d) noexcept {
  double s = 0.0;
  for (std::size_t k = 0; k < d; ++k) {
    const double t = a[k] - b[k];
    s = s + t * t;
  }
  return std::sqrt(s);
}

// KTAB's round-half-up to 4 decimals through a 32-bit integer (interpBrgnSnPm).
inline double round4(double z) noexcept {
  const double t = 0.5 + z * 10000.0;
  if (std::fabs(t) < 2147483647.0) return static_cast<double>(static_cast<std::int32_t>(t)) / 10000.0;
  return std::trunc(t) / 10000.0;  // only reachable by extrapolating bargains
}

class Engine {
 public:
  Engine(const Problem& p, const Config& c, std::uint64_t seed) : p_(p), c_(c), seed_(seed) {}

  // Runs to the stop rule; calls record(state, turn events) for every state.
  template <class Record>
  void run(Record&& record) {
    State cur;
    cur.x = p_.x0;
    cur.y = p_.x0;
    setup(cur);
    std::vector<Event> events;
    record(cur, 0, events);
    double first = 0.0;
    State next;  // swapped with cur every turn, so both keep their buffers
    for (long long t = 1;; ++t) {
      events.clear();
      turn(cur, static_cast<std::uint64_t>(t), events, next);
      setup(next);
      double moved = 0.0;
      for (std::size_t a = 0; a < p_.n; ++a) moved = moved + norm_diff(&cur.x[a * p_.d], &next.x[a * p_.d], p_.d);
      if (t == 1) first = moved;
      record(next, t, events);
      std::swap(cur, next);
      if (t >= c_.max_turns) break;
      if (t >= 2 && moved / (first + 1e-4) < c_.stop_ratio) break;
    }
  }

  const std::vector<std::string>* ids = nullptr;  // actor ids, for events

 private:
  const Problem& p_;
  const Config& c_;
  std::uint64_t seed_;
  // Work arrays of setup() and turn(), kept from turn to turn (an Engine runs on one thread).
  struct Scratch {
    std::vector<double> u0, w, ownT, selfr, wsq, wb, table;
    std::vector<std::vector<std::size_t>> queue;
    std::vector<Bargain> bargains;
  };
  mutable Scratch sc_;

  [[nodiscard]] double est(const State& s, std::size_t h, std::size_t i) const noexcept {
    const double rh = s.risk[h], ri = s.risk[i];
    switch (c_.adjust) {
      case BigRAdj::None: return rh;
      case BigRAdj::OneThird: return ((2.0 * rh) + ri) / 3.0;
      case BigRAdj::Half: return (rh + ri) / 2.0;
      case BigRAdj::TwoThirds: return (rh + (2.0 * ri)) / 3.0;
      case BigRAdj::Full: break;
    }
    return ri;
  }

  [[nodiscard]] double distance(const double* y, const double* x, std::size_t a) const noexcept {
    const double* s = &p_.sal[a * p_.d];
    double num = 0.0;
    for (std::size_t k = 0; k < p_.d; ++k) {
      const double t = (y[k] - x[k]) * s[k];
      num = num + t * t;
    }
    const double den = p_.ssq[a];
    return den > 0.0 ? std::sqrt(num / den) : 0.0;  // an actor that cares about nothing: all at distance 0
  }

  // Section 5 (and the win probabilities of 8.2).
  void setup(State& s) const {
    const std::size_t n = p_.n, d = p_.d;
    s.uq.clear();
    for (std::size_t a = 0; a < n; ++a) {
      bool dup = false;
      for (const std::size_t u : s.uq)
        if (norm_diff(&s.x[a * d], &s.x[u * d], d) < 1e-3) {
          dup = true;
          break;
        }
      if (!dup) s.uq.push_back(a);
    }
    s.dist.assign(n * n, 0.0);
    s.distT.assign(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        const double v = distance(&s.y[i * d], &s.x[j * d], i);
        s.dist[i * n + j] = v;
        s.distT[j * n + i] = v;
      }
    // Risk-neutral PCE over all positions, weights = capability.
    std::vector<double>& u0 = sc_.u0;
    u0.resize(n * n);
    for (std::size_t k = 0; k < n * n; ++k) u0[k] = util(s.dist[k], 0.0);
    const auto prob = pce::condorcet(u0, n, p_.cap, c_.pce);
    double pmin = 1.0, pmax = 0.0;
    for (const double v : prob) {
      pmin = std::min(pmin, v);
      pmax = std::max(pmax, v);
    }
    s.risk.assign(n, 0.0);
    // KTAB divides by zero when every position is equally likely; everyone is risk-neutral then.
    if (pmax - pmin > 0.0) {
      for (std::size_t i = 0; i < n; ++i) {
        const double pi = prob[i];
        switch (c_.range) {
          case BigRRng::Min: s.risk[i] = (pi - pmin) / (pmax - pmin); break;
          case BigRRng::Mid: s.risk[i] = (3.0 * pi - (pmax + 2.0 * pmin)) / (2.0 * (pmax - pmin)); break;
          case BigRRng::Max: s.risk[i] = (2.0 * pi - (pmax + pmin)) / (pmax - pmin); break;
        }
      }
    }
    // Win probabilities over the unique positions, each actor scoring with its own perceived row.
    const std::size_t m = s.uq.size();
    std::vector<double>& w = sc_.w;
    w.resize(n * m);
    for (std::size_t a = 0; a < n; ++a) {
      const double ra = est(s, a, a);
      for (std::size_t k = 0; k < m; ++k) w[a * m + k] = util(s.dist[a * n + s.uq[k]], ra);
    }
    s.uq_prob = pce::condorcet(w, m, p_.cap, c_.pce);
    s.win.assign(n, 0.0);
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t k = 0; k < m; ++k)
        if (norm_diff(&s.x[a * d], &s.x[s.uq[k] * d], d) < 1e-3) s.win[a] = s.uq_prob[k];  // the last one
  }

  // Perceived utilities of actor h (U^h[n][i] for fixed i, and U^h[n][n]) for every n.
  struct View {
    std::vector<double> est;  // est(h, n)
    std::vector<double> uni;  // U^h[n][i]
    std::vector<double> unn;  // U^h[n][n]
  };
  void make_view(const State& s, std::size_t h, std::size_t i, View& v) const {
    const std::size_t n = p_.n;
    v.est.resize(n);
    v.uni.resize(n);
    v.unn.resize(n);
    for (std::size_t a = 0; a < n; ++a) {
      v.est[a] = est(s, h, a);
      v.uni[a] = util(s.dist[a * n + i], v.est[a]);
      v.unn[a] = util(s.dist[a * n + a], v.est[a]);
    }
  }

  // E(h, k, i, j) of section 6.1 from h's view: (P that i beats j, change G in k's expected utility).
  template <VotingRule VR, Commit TC, bool Distinct>
  std::pair<double, double> challenge(const State& s, const View& v, std::size_t k, std::size_t i, std::size_t j,
                                      std::vector<double>& buf) const {
    using pce::detail::vote_t;
    const std::size_t n = p_.n;
    const double* dj = &s.distT[j * n];  // d[a][j] for every a
    const double uki = v.uni[k];
    const double ukj = util(dj[k], v.est[k]);
    const double euSQ = uki + ukj;
    const double uWin = uki + uki;
    const double uLose = ukj + ukj;
    const double vi = vote_t<VR>(p_.wch[i], v.uni[i], util(dj[i], v.est[i]));
    const double vj = vote_t<VR>(p_.wch[j], v.uni[j], v.unn[j]);
    double A = 1e-10, B = 1e-10;
    if (vi > 0) A = A + vi;
    if (vi < 0) B = B - vi;
    if (vj > 0) A = A + vj;
    if (vj < 0) B = B - vj;
    const double A0 = A, B0 = B;
    // Third-party votes depend only on the principals' frozen A0, B0: computed for every n in a
    // vectorisable loop, then accumulated in KTAB's order.
    double* out = buf.data();  // n entries
    const double* est = v.est.data();
    const double* uniP = v.uni.data();
    const double* unnP = v.unn.data();
    const double* wch = p_.wch.data();
    for (std::size_t a = 0; a < n; ++a) {
      const double wn = wch[a];
      const double uni = uniP[a];
      const double unn = unnP[a];
      const double unj = util(dj[a], est[a]);
      const double v0 = vote_t<VR>(wn, uni, unj);
      double Xi, Yi, Xj, Yj;
      if constexpr (TC == Commit::Semi) {
        Xi = uni + uni + unn;
        Yi = unj + unj + unj;
        Xj = uni + uni + uni;
        Yj = unj + unj + unn;
      } else if constexpr (TC == Commit::No) {
        Xi = uni + uni + unn;
        Yi = unj + unj + unn;
        Xj = Xi;
        Yj = Yi;
      } else {
        Xi = uni + uni + uni;
        Yi = unj + unj + unj;
        Xj = Xi;
        Yj = Yi;
      }
      double uJoinI, uJoinJ;
      if constexpr (!Distinct) {
        // KTAB (vProbLittle + thirdPartyVoteSU): one probability for "i with n beats j" and
        // "i beats j with n".
        const double av = A0 + std::max(v0, 0.0);  // adding +-0 leaves A0, B0 exact
        const double bv = B0 - std::min(v0, 0.0);
        const double pin = av / (av + bv);
        const double pjn = 1.0 - pin;
        uJoinI = (pin * Xi) + (pjn * Yi);
        uJoinJ = (pin * Xj) + (pjn * Yj);
      } else {
        // Corrected: n's weight |v0| goes to the side n joins.
        const double m = std::fabs(v0);
        const double tot = (A0 + B0) + m;
        const double pI = (A0 + m) / tot;
        const double pJ = A0 / tot;
        uJoinI = (pI * Xi) + ((1.0 - pI) * Yi);
        uJoinJ = (pJ * Xj) + ((1.0 - pJ) * Yj);
      }
      out[a] = vote_t<VR>(wn, uJoinI, uJoinJ);
    }
    out[i] = 0.0;
    out[j] = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
      const double vn = out[a];
      if (vn > 0) A = A + vn;
      if (vn < 0) B = B - vn;
    }
    const double P = A / (A + B);
    const double Pj = B / (A + B);
    const double euContest = P * uWin + Pj * uLose;
    const double Sj = p_.stot[j];
    const double euChlg = (1 - Sj) * uWin + Sj * euContest;
    return {P, euChlg - euSQ};
  }

  // Section 6.3: new positions (b_i, b_j) from (piI, piJ).
  void interpolate(const State& s, std::size_t i, std::size_t j, double pI, double pJ, Bargain& b) const {
    const std::size_t d = p_.d;
    b.init = i;
    b.rcvr = j;
    b.bi.resize(d);
    b.bj.resize(d);
    constexpr double m = 1e-6;
    for (std::size_t k = 0; k < d; ++k) {
      const double ti = s.x[i * d + k], tj = s.x[j * d + k];
      const double si = p_.sal[i * d + k], sj = p_.sal[j * d + k];
      double bi, bj;
      if (c_.interp == Interp::S2PMax) {
        const double di = pJ > pI ? pJ - pI : 0.0;
        const double dj = pI > pJ ? pI - pJ : 0.0;
        const double qi = si * si, qj = sj * sj;
        const double fi = (di * qj) / ((di * qj) + m + ((1 - di) * qi));
        const double fj = (dj * qi) / ((dj * qi) + m + ((1 - dj) * qj));
        bi = ti + fi * (tj - ti);
        bj = tj + fj * (ti - tj);
      } else {
        const double e = c_.interp == Interp::S2P2 ? 2.0 : 1.0;
        const double wi = std::pow(si, e) * std::pow(pI, e);
        const double wj = std::pow(sj, e) * std::pow(pJ, e);
        const double den = (wi + m) + wj;
        bi = round4(((wi + m) * ti + wj * tj) / den);
        bj = round4((wi * ti + (m + wj) * tj) / den);
      }
      // Only an extrapolating receiver estimate (InitRcvrInterp with S1P1) can get here with a
      // zero denominator; nobody moves then.
      b.bi[k] = std::isfinite(bi) ? bi : ti;
      b.bj[k] = std::isfinite(bj) ? bj : tj;
    }
  }

  template <VotingRule VR, Commit TC, bool Distinct>
  void offers(const State& s, std::vector<Bargain>& bargains, std::vector<Event>& events) const {
    const std::size_t n = p_.n;
    View v, vr;
    std::vector<double> buf(n);
    std::vector<std::pair<double, std::size_t>> cand;
    for (std::size_t i = 0; i < n; ++i) {
      make_view(s, i, i, v);
      // KTAB scans j upwards and keeps the first strict maximum of G above 1e-5. Algebraically
      // G = (U_ii - U_ij)(1 - 2 S_j (1 - P)) with 0 <= S_j, P <= 1, so |G| <= |U_ii - U_ij|: the
      // challenges are evaluated by decreasing bound, and those whose bound (plus a margin far
      // above rounding error) cannot reach the best G so far, or 1e-5, are skipped. The winner
      // (largest G, lowest index among equals) is the one KTAB's scan finds.
      cand.clear();
      const double uii = v.uni[i];
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double bound = std::fabs(uii - util(s.dist[i * n + j], v.est[i])) + 1e-9;
        if (bound > 1e-5) cand.emplace_back(bound, j);
      }
      std::sort(cand.begin(), cand.end(), [](const auto& a, const auto& b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
      });
      double best = -1.0, bestP = 0.0;
      std::size_t target = n;
      for (const auto& [bound, j] : cand) {
        if (target != n && bound < best) break;
        const auto [P, G] = challenge<VR, TC, Distinct>(s, v, i, i, j, buf);
        if (G > 1e-5 && (G > best || (G == best && j < target))) {
          best = G;
          bestP = P;
          target = j;
        }
      }
      if (target == n) continue;
      const std::size_t j = target;
      if (ids)
        events.push_back(Event{"offer",
                               {{"initiator", (*ids)[i]}, {"receiver", (*ids)[j]}, {"prob", bestP}, {"gain", best}}});
      Bargain bi;
      interpolate(s, i, j, bestP, 1 - bestP, bi);
      if (c_.bargain == Bargn::InitOnly) {
        bargains.push_back(std::move(bi));
        continue;
      }
      // The receiver's estimate E(j, i, i, j): KTAB uses its gain G where a probability is meant.
      make_view(s, j, i, vr);
      const auto [rp, rg] = challenge<VR, TC, Distinct>(s, vr, i, i, j, buf);
      const double g = c_.receiver_probability ? rp : rg;
      Bargain bj;
      interpolate(s, i, j, g, 1 - g, bj);
      if (c_.bargain == Bargn::InitRcvr) {
        bargains.push_back(std::move(bi));
        bargains.push_back(std::move(bj));
        continue;
      }
      // PWCompInterp: KTAB weighs the receiver's bargain with the initiator's capability.
      const double wI = p_.cap[i] * p_.stot[i];
      const double wJ = (c_.pwcomp_own_capability ? p_.cap[j] : p_.cap[i]) * p_.stot[j];
      const double tot = wI + wJ;
      Bargain pw = bi;
      for (std::size_t k = 0; k < p_.d; ++k) {
        if (tot > 0.0) {
          pw.bi[k] = (wI * bi.bi[k] + wJ * bj.bi[k]) / tot;
          pw.bj[k] = (wI * bi.bj[k] + wJ * bj.bj[k]) / tot;
        } else {
          pw.bi[k] = (bi.bi[k] + bj.bi[k]) / 2.0;
          pw.bj[k] = (bi.bj[k] + bj.bj[k]) / 2.0;
        }
      }
      bargains.push_back(std::move(pw));
    }
  }

  // Section 6: one turn from state s.
  void turn(const State& s, std::uint64_t t, std::vector<Event>& events, State& next) const {
    const std::size_t n = p_.n, d = p_.d;
    std::vector<Bargain>& bargains = sc_.bargains;
    bargains.clear();
    pce::detail::dispatch_rule(c_.pce.voting, [&]<VotingRule VR>() {
      auto go = [&]<Commit TC>() {
        if (c_.distinct_third_party) offers<VR, TC, true>(s, bargains, events);
        else offers<VR, TC, false>(s, bargains, events);
      };
      switch (c_.commit) {
        case Commit::No: go.template operator()<Commit::No>(); break;
        case Commit::Semi: go.template operator()<Commit::Semi>(); break;
        case Commit::Full: go.template operator()<Commit::Full>(); break;
      }
    });

    // 6.6: utilities of every queue entry for every actor (mean utility of all positions after it).
    // The sums run over positions in ascending order, as in KTAB: with VotingRule=Binary a last-bit
    // difference between two entries is amplified 1e8 times, so the order changes trajectories.
    // Vectorised across voters instead (ownT is stored position-major).
    const double nd = static_cast<double>(n);
    std::vector<double>& ownT = sc_.ownT;  // ownT[m*n + a] = U^a[a][m] = u(d[a][m], est(a,a))
    std::vector<double>& selfr = sc_.selfr;
    std::vector<double>& wsq = sc_.wsq;
    ownT.resize(n * n);
    selfr.resize(n);
    wsq.assign(n, 0.0);
    for (std::size_t a = 0; a < n; ++a) selfr[a] = est(s, a, a);
    for (std::size_t m = 0; m < n; ++m) {
      const double* dm = &s.distT[m * n];
      double* om = &ownT[m * n];
      for (std::size_t a = 0; a < n; ++a) {
        om[a] = util(dm[a], selfr[a]);
        wsq[a] = wsq[a] + om[a];
      }
    }
    for (std::size_t a = 0; a < n; ++a) wsq[a] = wsq[a] / nd;
    const std::size_t nb = bargains.size();
    std::vector<double>& wb = sc_.wb;  // wb[b*n + a], every entry written below
    wb.resize(nb * n);
    for (std::size_t b = 0; b < nb; ++b) {
      const Bargain& g = bargains[b];
      for (std::size_t a = 0; a < n; ++a) {
        const double ra = s.risk[a];
        const double phi = util(distance(&s.y[a * d], g.bi.data(), a), ra);
        const double phj = util(distance(&s.y[a * d], g.bj.data(), a), ra);
        wb[b * n + a] = phi + phj;
      }
    }
    constexpr std::size_t blk = 64;  // voters per block: the block's slice of ownT stays in cache
    for (std::size_t a0 = 0; a0 < n; a0 += blk) {
      const std::size_t len = std::min(blk, n - a0);
      for (std::size_t b = 0; b < nb; ++b) {
        const std::size_t i = bargains[b].init, j = bargains[b].rcvr;
        double* acc = &wb[b * n + a0];
        for (std::size_t m = 0; m < n; ++m) {
          if (m == i || m == j) continue;
          const double* om = &ownT[m * n + a0];
          for (std::size_t a = 0; a < len; ++a) acc[a] = acc[a] + om[a];
        }
        for (std::size_t a = 0; a < len; ++a) acc[a] = acc[a] / nd;
      }
    }
    // Queues: status quo first, then offers by ascending initiator (BI before BJ).
    std::vector<std::vector<std::size_t>>& queue = sc_.queue;
    queue.resize(n);
    for (auto& q : queue) q.clear();
    for (std::size_t b = 0; b < nb; ++b) {
      queue[bargains[b].init].push_back(b);
      queue[bargains[b].rcvr].push_back(b);
    }
    next.x = s.x;
    std::vector<double>& table = sc_.table;
    for (std::size_t k = 0; k < n; ++k) {
      const auto& q = queue[k];
      if (q.empty()) continue;  // only the status quo: nothing to choose
      const std::size_t m = q.size() + 1;
      table.assign(n * m, 0.0);
      for (std::size_t a = 0; a < n; ++a) {
        table[a * m] = wsq[a];
        for (std::size_t e = 0; e + 1 < m; ++e) table[a * m + e + 1] = wb[q[e] * n + a];
      }
      const auto pi = pce::condorcet(table, m, p_.cap, c_.pce);
      std::size_t pick = 0;
      if (!c_.stochastic) {
        double best = std::fabs(pi[0]);
        for (std::size_t e = 1; e < m; ++e)
          if (std::fabs(pi[e]) > best) {
            best = std::fabs(pi[e]);
            pick = e;
          }
      } else {
        // One stream per (turn, actor): reproducible whatever the thread count.
        Rng rng(seed_, (t << 32) ^ static_cast<std::uint64_t>(k));
        const double r = rng.uniform();
        double cum = 0.0;
        pick = m - 1;
        for (std::size_t e = 0; e < m; ++e) {
          cum = cum + pi[e];
          if (r <= cum) {
            pick = e;
            break;
          }
        }
      }
      if (ids) {
        Event ev{"choice", {{"actor", (*ids)[k]}}};
        if (pick == 0) {
          ev.fields.emplace_back("initiator", std::string{});
          ev.fields.emplace_back("receiver", std::string{});
        } else {
          ev.fields.emplace_back("initiator", (*ids)[bargains[q[pick - 1]].init]);
          ev.fields.emplace_back("receiver", (*ids)[bargains[q[pick - 1]].rcvr]);
        }
        ev.fields.emplace_back("prob", pi[pick]);
        events.push_back(std::move(ev));
      }
      if (pick == 0) continue;
      const Bargain& g = bargains[q[pick - 1]];
      const auto& nx = g.init == k ? g.bi : g.bj;
      std::copy(nx.begin(), nx.end(), next.x.begin() + static_cast<std::ptrdiff_t>(k * d));
    }
    // 6.7: ideals.
    if (p_.accom.empty()) {
      next.y = next.x;
    } else {
      next.y.assign(n * d, 0.0);
      for (std::size_t i = 0; i < n; ++i) {
        double rowtot = 0.0;
        for (std::size_t j = 0; j < n; ++j) rowtot = rowtot + p_.accom[i * n + j];
        const double a = std::min(1.0, rowtot);
        for (std::size_t k = 0; k < d; ++k) {
          double v = 0.0;
          for (std::size_t j = 0; j < n; ++j) v = v + (p_.accom[i * n + j] * next.x[j * d + k]);
          next.y[i * d + k] = v + (1.0 - a) * s.y[i * d + k];
        }
      }
    }
  }
};

// ---- Parameters -------------------------------------------------------------------------------

ParamSpec choice(std::string name, std::string def, std::vector<std::string> choices, std::string desc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamSpec::Type::choice;
  p.default_value = std::move(def);
  p.choices = std::move(choices);
  p.description = std::move(desc);
  return p;
}

// Declared in snake_case; KTAB's own spellings (VictoryProbModel=Linear, ...) are accepted as
// they are (resolve_params), so KTAB XML files and KTAB users' habits keep working.
std::vector<ParamSpec> make_specs() {
  std::vector<ParamSpec> s;
  s.push_back(choice("victory_prob_model", "linear", {"linear", "square", "quartic", "octic", "binary"},
                     "KTAB VictoryProbModel: coalition strengths -> pairwise victory probability (strengths raised to 1, 2, 4, 8; binary: 1.1 ratio threshold)"));
  s.push_back(choice("pce_model", "conditional", {"conditional", "markov_incentive", "markov_uniform"},
                     "KTAB PCEModel: pairwise victory probabilities -> distribution over options"));
  s.push_back(choice("state_transitions", "deterministic", {"deterministic", "stochastic"},
                     "KTAB StateTransitions: each actor adopts the likeliest bargain in its queue, or draws one (seeded, reproducible)"));
  s.push_back(choice("voting_rule", "prop", {"binary", "prop_bin", "prop", "prop_cbc", "cubic", "asym_prosp", "proportional"},
                     "KTAB VotingRule: utility difference -> vote (proportional = prop, the XML schema's name)"));
  s.push_back(choice("big_r_adjust", "one_third", {"none", "one_third", "half", "two_thirds", "full", "no"},
                     "KTAB BigRAdjust: how far actor h's estimate of i's risk attitude moves from R_h to R_i (no = none)"));
  s.push_back(choice("big_r_range", "mid", {"min", "mid", "max"}, "KTAB BigRRange: range of risk attitudes: [0,1], [-1/2,1], [-1,1]"));
  s.push_back(choice("third_party_commit", "semi_commit", {"no_commit", "semi_commit", "full_commit"},
                     "KTAB ThirdPartyCommit: how third parties value joining a side (no_commit = full_commit in KTAB, see third_party_vote)"));
  s.push_back(choice("inter_vec_brgn", "s2p2", {"s1p1", "s2p2", "s2pmax"},
                     "KTAB InterVecBrgn: bargain position: weights s^2 P^2 or s P (rounded to 0.01 on 0-100), or s2pmax shifts"));
  s.push_back(choice("bargn_model", "init_only_interp", {"init_only_interp", "init_rcvr_interp", "pw_comp_interp"},
                     "KTAB BargnModel: whose view of the challenge shapes the bargain"));
  s.push_back({"max_turns", ParamSpec::Type::integer, "100", "stop after this many turns (KTAB: 100, hard-coded)", {}, 1, 100000});
  s.push_back({"stop_ratio", ParamSpec::Type::real, "0.02",
               "stop from turn 2 on when a turn's movement / (first turn's + 1e-4) is below this (KTAB: 0.02, hard-coded)", {}, 0, 1e6});
  s.push_back(choice("third_party_vote", "ktab", {"ktab", "distinct"},
                     "ktab: one victory probability for both coalitions, so no_commit and full_commit ignore third parties; "
                     "distinct: a third party's weight goes to the side it joins"));
  s.push_back(choice("pw_comp_weights", "ktab", {"ktab", "own"},
                     "pw_comp_interp weights: ktab weighs the receiver's bargain with the initiator's capability; own uses the receiver's"));
  s.push_back(choice("receiver_estimate", "gain", {"gain", "probability"},
                     "init_rcvr_interp/pw_comp_interp: the receiver's estimate of i's utility gain (KTAB) or of i's victory probability"));
  ParamSpec ia;
  ia.name = "ideal_adjustment";
  ia.type = ParamSpec::Type::text;
  ia.default_value = "";
  ia.description = "KTAB IdealAdjustment: accommodation matrix entries 'adjusting:reference=value;...' (actor ids or names; filled from KTAB XML <IdealAdjustment>); "
                   "empty = identity (ideal = position)";
  s.push_back(ia);
  return s;
}

Config make_config(const Params& pr) {
  Config c;
  c.pce.victory = pce::parse_victory_model(pr.text("victory_prob_model"));
  c.pce.model = pce::parse_pce_model(pr.text("pce_model"));
  c.pce.voting = pce::parse_voting_rule(pr.text("voting_rule"));
  c.stochastic = pr.text("state_transitions") == "stochastic";
  const auto adj = pr.text("big_r_adjust");
  c.adjust = adj == "one_third"   ? BigRAdj::OneThird
             : adj == "half"      ? BigRAdj::Half
             : adj == "two_thirds" ? BigRAdj::TwoThirds
             : adj == "full"      ? BigRAdj::Full
                                  : BigRAdj::None;
  const auto rr = pr.text("big_r_range");
  c.range = rr == "min" ? BigRRng::Min : rr == "max" ? BigRRng::Max : BigRRng::Mid;
  const auto tc = pr.text("third_party_commit");
  c.commit = tc == "no_commit" ? Commit::No : tc == "full_commit" ? Commit::Full : Commit::Semi;
  const auto iv = pr.text("inter_vec_brgn");
  c.interp = iv == "s1p1" ? Interp::S1P1 : iv == "s2pmax" ? Interp::S2PMax : Interp::S2P2;
  const auto bm = pr.text("bargn_model");
  c.bargain = bm == "init_rcvr_interp" ? Bargn::InitRcvr : bm == "pw_comp_interp" ? Bargn::PWComp : Bargn::InitOnly;
  c.max_turns = pr.integer("max_turns");
  c.stop_ratio = pr.real("stop_ratio");
  c.distinct_third_party = pr.text("third_party_vote") == "distinct";
  c.pwcomp_own_capability = pr.text("pw_comp_weights") == "own";
  c.receiver_probability = pr.text("receiver_estimate") == "probability";
  return c;
}

Diagnostic param_diag(std::string expected, std::string found, std::string msg = {}) {
  return Diagnostic{{"<parameters>", 0, 0}, "param.ideal_adjustment", std::move(expected), std::move(found), std::move(msg)};
}

// "adjusting:reference=value;..." -> A (identity, with the listed entries set), checked as KTAB does.
std::vector<double> parse_accommodation(const std::string& text, const Scenario& sc) {
  const std::size_t n = sc.actors.size();
  std::vector<double> a(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) a[i * n + i] = 1.0;
  auto find_actor = [&](const std::string& key) -> std::size_t {
    for (std::size_t i = 0; i < n; ++i)
      if (sc.actors[i].id == key) return i;
    for (std::size_t i = 0; i < n; ++i)
      if (sc.actors[i].name == key) return i;
    throw InputError(param_diag("an actor id or name", fmt::format("'{}'", key)));
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    start = end + 1;
    item.erase(0, item.find_first_not_of(" \t\n"));
    item.erase(item.find_last_not_of(" \t\n") + 1);
    if (item.empty()) continue;
    // "adjusting:reference=value" (as the KTAB XML importer writes it) or "adjusting:reference:value".
    const auto eq = item.rfind('=');
    const auto c1 = item.find(':');
    const auto c2 = eq != std::string::npos ? eq : item.rfind(':');
    if (c1 == std::string::npos || c2 == std::string::npos || c1 >= c2)
      throw InputError(param_diag("entries 'adjusting:reference=value' separated by ';'", fmt::format("'{}'", item)));
    const std::size_t i = find_actor(item.substr(0, c1));
    const std::size_t j = find_actor(item.substr(c1 + 1, c2 - c1 - 1));
    const std::string num = item.substr(c2 + 1);
    double v = 0;
    try {
      std::size_t used = 0;
      v = std::stod(num, &used);
      if (used != num.size()) throw std::invalid_argument(num);
    } catch (const std::exception&) {
      throw InputError(param_diag("a number in [0, 1]", fmt::format("'{}'", num)));
    }
    if (!(v >= 0.0 && v <= 1.0)) throw InputError(param_diag("a number in [0, 1]", fmt::format("'{}'", num)));
    a[i * n + j] = v;
  }
  for (std::size_t i = 0; i < n; ++i) {
    double tot = 0.0;
    for (std::size_t j = 0; j < n; ++j) tot = tot + a[i * n + j];
    if (tot > 1.0 + 1e-10)
      throw InputError(param_diag("row totals at most 1", fmt::format("{} for actor '{}'", tot, sc.actors[i].id),
                                  "an unlisted own entry stays 1: list 'X:X=value' to lower it"));
  }
  return a;
}

class SmpModel final : public Model {
 public:
  SmpModel() {
    info_.name = "smp";
    info_.title = "KTAB spatial model of politics with probabilistic Condorcet elections";
    info_.description =
        "KTAB's SMP (Wise, KAPSARC): actors on several dimensions at once, utility (1-d)(1+dR) of the "
        "salience-weighted distance d, risk attitudes R from a probabilistic Condorcet election (PCE) over "
        "the current positions; each turn every actor challenges the rival that most raises its expected "
        "utility (third parties join by expected-utility votes), challenges become bargains (interpolated "
        "positions), and each actor adopts the bargain winning a PCE among those involving it. Stops when "
        "a turn's movement falls below 2% of the first turn's. Forecast per dimension: capability-weighted "
        "mean of the final positions, with the position most likely to win (win_position, win_prob); "
        "categorical issues: PCE over the options. Reproduces KTAB's trajectories; see docs/models/smp.md.";
    info_.params = make_specs();
    info_.has_rounds = true;
    info_.stochastic = true;  // only with StateTransitions=Stochastic
    info_.categorical = true;
    info_.trace_layout = ModelInfo::TraceLayout::long_form;
    info_.round_label = "turn";
  }
  const ModelInfo& info() const override { return info_; }

  Result run(const Scenario& sc, const Params& params, std::uint64_t seed, const RunContext& context) const override {
    const Config cfg = make_config(params);
    Result res;
    const std::size_t n = sc.actors.size();
    const std::size_t ni = sc.issues.size();
    res.forecasts.resize(ni);

    std::vector<std::size_t> dims;  // numeric issues
    for (std::size_t k = 0; k < ni; ++k)
      if (sc.issues[k].kind == Issue::Kind::numeric) dims.push_back(k);

    // Categorical issues: a static PCE over the options, voters weighted by capability x salience.
    for (std::size_t k = 0; k < ni; ++k) {
      const Issue& is = sc.issues[k];
      if (is.kind != Issue::Kind::categorical) continue;
      Forecast& f = res.forecasts[k];
      const std::size_t m = is.options.size();
      std::vector<double> u, w;
      for (std::size_t a = 0; a < n; ++a) {
        const Stance* st = sc.stance(a, k);
        if (!st) continue;
        for (std::size_t o = 0; o < m; ++o) u.push_back(o < st->utilities.size() ? st->utilities[o].value : 0.0);
        w.push_back(sc.capability(a, k) * st->salience.value);
      }
      if (m == 0 || w.empty()) {
        f.defined = false;
        f.note = m == 0 ? "no options" : "no actor takes a stance";
        continue;
      }
      f.option_probabilities = pce::condorcet(u, m, w, cfg.pce);
      const auto best = std::max_element(f.option_probabilities.begin(), f.option_probabilities.end());
      f.value = static_cast<double>(best - f.option_probabilities.begin());
      f.extras = {{"win_prob", *best}};
    }
    if (dims.empty() || n == 0) return res;
    // Six n x n matrices of doubles (distances, their transpose, utilities, own-utility table, ...)
    // live at once; checked before any is allocated.
    detail::check_memory("smp", 6.0 * 8.0 * static_cast<double>(n) * static_cast<double>(n),
                         fmt::format("{} actors", n), "fewer actors need less: the memory grows with their square");

    Problem pb;
    pb.n = n;
    pb.d = dims.size();
    const std::size_t d = pb.d;
    pb.cap.resize(n);
    for (std::size_t a = 0; a < n; ++a) pb.cap[a] = sc.actors[a].capability.value;
    pb.sal.assign(n * d, 0.0);
    pb.x0.assign(n * d, 0.0);
    for (std::size_t k = 0; k < d; ++k) {
      const Issue& is = sc.issues[dims[k]];
      const double span = is.max - is.min;
      double cw = 0.0, cx = 0.0, plain = 0.0;
      std::size_t present = 0;
      for (std::size_t a = 0; a < n; ++a) {
        const Stance* st = sc.stance(a, dims[k]);
        if (!st) continue;
        const double x = (st->position.value - is.min) / span;
        pb.x0[a * d + k] = x;
        pb.sal[a * d + k] = st->salience.value;
        cw += pb.cap[a];
        cx += pb.cap[a] * x;
        plain += x;
        ++present;
      }
      // An absent actor cares nothing for the dimension (salience 0) and stands at the
      // capability-weighted mean of those present.
      const double fill = cw > 0 ? cx / cw : (present ? plain / static_cast<double>(present) : 0.5);
      for (std::size_t a = 0; a < n; ++a)
        if (!sc.stance(a, dims[k])) pb.x0[a * d + k] = fill;
    }
    pb.stot.resize(n);
    pb.ssq.resize(n);
    pb.wch.resize(n);
    for (std::size_t a = 0; a < n; ++a) {
      double tot = 0.0;
      for (std::size_t k = 0; k < d; ++k) tot = tot + pb.sal[a * d + k];
      if (tot > 1.0 + 1e-9) {  // KTAB requires total salience <= 1; rescale instead of refusing
        for (std::size_t k = 0; k < d; ++k) pb.sal[a * d + k] /= tot;
        tot = 0.0;
        for (std::size_t k = 0; k < d; ++k) tot = tot + pb.sal[a * d + k];
      }
      double sq = 0.0;
      for (std::size_t k = 0; k < d; ++k) sq = sq + pb.sal[a * d + k] * pb.sal[a * d + k];
      pb.stot[a] = tot;
      pb.ssq[a] = sq;
      pb.wch[a] = tot * pb.cap[a];
    }
    if (const auto ia = params.text("ideal_adjustment"); !ia.empty()) pb.accom = parse_accommodation(ia, sc);

    std::vector<std::string> ids(n);
    for (std::size_t a = 0; a < n; ++a) ids[a] = sc.actors[a].id;
    Engine eng(pb, cfg, seed);
    const bool want_events = context.record.event("offer") || context.record.event("choice");
    if (want_events) eng.ids = &ids;  // events are built only when asked for
    const double nan = std::numeric_limits<double>::quiet_NaN();
    State last;
    res.path.assign(ni, {});
    long long turns = 0;
    eng.run([&](const State& s, long long t, const std::vector<Event>& events) {
      context.check_cancel();
      last = s;
      turns = t;
      // The forecast after each turn: the capability-weighted mean position per dimension.
      for (std::size_t k = 0; k < d; ++k) {
        const Issue& is = sc.issues[dims[k]];
        double cw = 0.0, cx = 0.0, plain = 0.0;
        std::size_t present = 0;
        for (std::size_t a = 0; a < n; ++a) {
          if (!sc.stance(a, dims[k])) continue;
          const double x = is.min + s.x[a * d + k] * (is.max - is.min);
          cw += pb.cap[a];
          cx += pb.cap[a] * x;
          plain += x;
          ++present;
        }
        res.path[dims[k]].push_back(present == 0 ? nan : cw > 0 ? cx / cw : plain / static_cast<double>(present));
      }
      if (!context.record.rounds && !want_events) return;
      Round r;
      r.index = static_cast<int>(t);
      ActorSeries pos{"position", "x", std::vector<std::vector<double>>(ni, std::vector<double>(n, nan))};
      ActorSeries ide{"ideal", "i", std::vector<std::vector<double>>(ni, std::vector<double>(n, nan))};
      for (std::size_t k = 0; k < d; ++k) {
        const Issue& is = sc.issues[dims[k]];
        const double span = is.max - is.min;
        for (std::size_t a = 0; a < n; ++a) {
          if (!sc.stance(a, dims[k])) continue;
          pos.data[dims[k]][a] = is.min + s.x[a * d + k] * span;
          ide.data[dims[k]][a] = is.min + s.y[a * d + k] * span;
        }
      }
      if (context.record.rounds) {
        r.actor_series.push_back(std::move(pos));
        r.actor_series.push_back(std::move(ide));
        // One row only (not per issue): the win probability of each actor's whole position.
        ActorSeries win{"prob_of_position", "p", {s.win}};
        win.per_round = true;
        r.actor_series.push_back(std::move(win));
      }
      for (const auto& e : events)
        if (context.record.event(e.kind)) r.events.push_back(e);
      res.trace.rounds.push_back(std::move(r));
    });

    const std::size_t best =
        static_cast<std::size_t>(std::max_element(last.uq_prob.begin(), last.uq_prob.end()) - last.uq_prob.begin());
    for (std::size_t k = 0; k < d; ++k) {
      const Issue& is = sc.issues[dims[k]];
      const double span = is.max - is.min;
      double cw = 0.0, cx = 0.0, plain = 0.0;
      std::size_t present = 0;
      for (std::size_t a = 0; a < n; ++a) {
        if (!sc.stance(a, dims[k])) continue;
        const double x = is.min + last.x[a * d + k] * span;
        cw += pb.cap[a];
        cx += pb.cap[a] * x;
        plain += x;
        ++present;
      }
      Forecast& f = res.forecasts[dims[k]];
      if (present == 0) {
        f.defined = false;
        f.note = "no actor takes a position";
        continue;
      }
      f.value = cw > 0 ? cx / cw : plain / static_cast<double>(present);
      f.extras = {{"win_position", is.min + last.x[last.uq[best] * d + k] * span}, {"win_prob", last.uq_prob[best]}};
      // KTAB's stop rule (movement below stop_ratio of the first turn's) before the turn cap: settled.
      if (turns < cfg.max_turns) f.convergence.state = Convergence::State::settled;
    }
    res.diagnostics = {{"turns", static_cast<double>(turns)}};
    return res;
  }

 private:
  ModelInfo info_;
};

}  // namespace

ENTENTE_REGISTER_MODEL(SmpModel);

}  // namespace entente

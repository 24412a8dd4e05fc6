// Internal: Bueno de Mesquita's expected-utility ("challenge") model, one issue at a time.
// Spec: /work/shared/specs/bdm.md section 1 (Scholz, Calbert & Smith 2011 as implemented by jmckib);
// docs/models/bdm.md explains the equations and every option. The Model class (bdm.cpp) turns a
// Scenario into Problems and the rounds into a Trace; tests call these functions directly.
//
// Two implementations of a round compute the same thing:
//  - round_fast:    O(n*m) powers plus O(m^2 + n^2) work per round (m = number of distinct
//                   positions), bounded memory; the default.
//  - round_details: the spec transcribed literally, O(n^3) per round, every intermediate kept;
//                   used with algorithm=direct and by the tests to cross-check round_fast.
#pragma once
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <memory>
#include <vector>

namespace entente::bdm {

enum class Probability { global, pairwise };              // A1
enum class Perspective { receiver, own };                 // A2
enum class ChallengeSalience { target, challenger };      // A3
enum class Security { actors, positions };                // A4
enum class CompromiseChoice { key, least_move };          // A6
enum class CompromisePosition { proportional, weighted }; // A6 (eum uses the weighted position)
enum class Update { simultaneous, sequential };           // A7
enum class MedianRule { lower, midpoint };                // A8 (ties only)
enum class QForm { scholz, jmckib };                      // A9
enum class Range { initial, current, scale };             // A10
enum class Stop { fixed, median_shift };                  // A12
enum class OfferLog { all, selected, none };
enum class Algorithm { fast, direct };

struct Options {
  int rounds = 10;
  Probability probability = Probability::global;
  Perspective perspective = Perspective::receiver;
  ChallengeSalience salience = ChallengeSalience::target;
  Security security = Security::actors;
  bool capitulation = false;  // A5: off = the reference's disabled branch
  CompromiseChoice compromise = CompromiseChoice::key;
  CompromisePosition compromise_position = CompromisePosition::proportional;
  Update update = Update::simultaneous;
  MedianRule median = MedianRule::lower;
  double Q = 1.0;
  double T = -1.0;  // < 0: the rule T = 1 iff |x_a - mu| < |x_a - x_b|; else a fixed value in [0,1]
  QForm q_form = QForm::scholz;
  Range range = Range::initial;
  double tolerance = 0.0;  // A11: positions closer than this are equal (no contest)
  Stop stop = Stop::fixed;
  double epsilon = 0.01;  // median-shift stop: |mu_t - mu_{t-1}| <= epsilon * Delta ...
  int k = 2;              // ... for k consecutive rounds
  OfferLog offers = OfferLog::all;
  Algorithm algorithm = Algorithm::fast;
  // Doubles of prefix-sum storage round_fast may hold at once; beyond it, it works in tiles and
  // recomputes (tests lower it to exercise tiling).
  std::size_t tile_budget = std::size_t{1} << 25;
  // Distinct positions from which round_fast splits a round over the caller's TBB threads (and
  // sums the danger in 16 fixed chunks); below it, one thread and buffers reused across rounds.
  // Tests lower it to run the threaded path on small problems.
  std::size_t parallel_from = 384;
  // Polled before every round (RunContext::cancel): raised, run_issue throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // round_fast computes its powers with libmvec (models/vpow.hpp); false = one
  // std::pow per value, the reference the tests compare the vector path with (1e-12 relative).
  bool vector_pow = true;
};

// The actors of one issue (in input order) and the fixed position range of the run.
struct Problem {
  std::vector<double> c;  // capability >= 0
  std::vector<double> s;  // salience in [0,1]
};

enum class OfferType { confrontation, compromise, capitulation };
const char* to_string(OfferType t);

struct Offer {
  int to = 0;    // the receiver, who would move
  int from = 0;  // the proposer
  OfferType type = OfferType::confrontation;
  double new_position = 0;
  bool selected = false;
};

// What a round produces (both implementations).
struct RoundResult {
  std::vector<double> x;       // positions after the round
  std::vector<double> r;       // risk exponents used in the round
  std::vector<double> danger;  // D_i of the risk pass
  double z1 = 0;               // risk-pass normaliser
  double z = 0;                // main-pass normaliser
  std::vector<Offer> offers;   // sorted by (to, from); which ones per Options::offers
};

// Every intermediate of one round, straight from the spec (n x n matrices indexed by actor).
struct RoundDetails {
  double delta = 0, median = 0;
  double z1 = 0;
  std::vector<std::vector<double>> p1;   // p1[a][b] = P1(x_a beats x_b), risk pass
  std::vector<std::vector<double>> eu1;  // eu1[a][b] = EU1(a -> b), r = 1
  std::vector<double> danger, R, r;
  double z = 0;
  std::vector<std::vector<double>> p;   // main pass
  std::vector<std::vector<double>> e1;  // e1[i][j] = EU^i(i -> j)
  std::vector<std::vector<double>> e2;  // e2[i][j] = EU^i(j -> i) (EU^j with perspective=own)
  std::vector<Offer> offers;            // every classified offer, the selected ones flagged
  std::vector<double> x;                // positions after the round
};

// One round, simultaneous moves, from positions x with position range delta.
[[nodiscard]] RoundDetails round_details(const Problem& pb, const std::vector<double>& x, double delta,
                                         const Options& o);
// Buffers round_fast reuses from round to round (run_issue keeps one per run). The prefix-sum
// tile alone is up to tile_budget doubles; allocated afresh every round, zero-filling it and the
// page faults took a fifth of the time at 3000 actors.
struct PairScratch;  // bdm_fast.cpp
struct Workspace {
  Workspace();
  ~Workspace();
  Workspace(Workspace&&) noexcept;
  Workspace& operator=(Workspace&&) noexcept;
  std::vector<double> tile;
  std::unique_ptr<PairScratch> pairs;  // the pair walk's buffers when it runs on one thread
};
[[nodiscard]] RoundResult round_fast(const Problem& pb, const std::vector<double>& x, double delta,
                                     const Options& o, Workspace* ws = nullptr);
// One round with o.algorithm and o.update (sequential: actors move in input order, each after
// re-evaluating the current state).
[[nodiscard]] RoundResult play_round(const Problem& pb, const std::vector<double>& x, double delta,
                                     const Options& o, Workspace* ws = nullptr);

// Weighted median of the held positions with weights w (c*s); the lower one on exact ties, or the
// midpoint between the two candidates with MedianRule::midpoint. Unit weights if all are zero.
[[nodiscard]] double weighted_median(const std::vector<double>& x, const std::vector<double>& w,
                                     MedianRule rule);
// sum w x / sum w; the plain mean if all weights are zero.
[[nodiscard]] double weighted_mean(const std::vector<double>& x, const std::vector<double>& w);

// Risk exponents from danger sums (eq. 32-34): R in [-1,1], r = (1 - R/3)/(1 + R/3); R = 0 when
// max == min (up to rounding noise, see danger_spread).
[[nodiscard]] double risk_exponent(double d, double lo, double hi);
// Whether max and min danger differ by more than rounding noise.
[[nodiscard]] bool danger_spread(double lo, double hi);

// A whole run of one issue.
struct RoundRecord {
  std::vector<double> x, r;  // r empty in round 0
  double median = 0, mean = 0;
  std::vector<Offer> offers;
};
struct IssueRun {
  double delta = 0;
  std::vector<RoundRecord> rounds;  // [0] = initial state
};
// x0: initial positions; scale_range: the issue's nominal max - min (for Range::scale).
[[nodiscard]] IssueRun run_issue(const Problem& pb, const std::vector<double>& x0, double scale_range,
                                 const Options& o);

// ---- Shared formula pieces (header-only so both implementations read the same equations) -----

// Inline: they run O(n^2) times per round in round_fast's pair walk.
// pow(b, 1) == b exactly; the shortcut saves the call in the risk pass (r = 1 everywhere).
inline double power(double b, double r) { return r == 1.0 ? b : std::pow(b, r); }

// Scholz eqs. 15, 16, 24 with d in [0,1] and risk exponent r.
// Bases stay in [0,1] because d <= 1 and g <= 2; pow(0, r) = 0 for r > 0.
inline double u_success(double d, double r) { return 2 - 4 * power(0.5 - 0.5 * d, r); }
inline double u_failure(double d, double r) { return 2 - 4 * power(0.5 + 0.5 * d, r); }
inline double u_status_quo(double r) { return 2 - 4 * power(0.5, r); }
// Eqs. 22-23: g = (|x_a - mu| + |x_a - x_b|) / Delta in [0,2].
inline double u_better(double g, double r) { return 2 - 4 * power(0.5 - 0.25 * g, r); }
inline double u_worse(double g, double r) { return 2 - 4 * power(0.5 + 0.25 * g, r); }

// Distance on the unit scale, |a - b| / Delta clamped to [0,1] (0 when Delta = 0).
inline double unit_distance(double a, double b, double delta) {
  if (!(delta > 0)) return 0;
  // Positions stay in the initial hull, so d <= 1 up to rounding; the clamp keeps pow real.
  return std::min(1.0, std::fabs(a - b) / delta);
}
// Geometry of the (1-Q) term for a challenge by a (at xa) against b (at xb): g and T.
struct QGeometry {
  double g = 0;  // (|x_a - mu| + |x_a - x_b|) / Delta, clamped to [0,2]
  double T = 0;  // 1 if mu is nearer x_a than x_b is (the rule), or Options::T
};
inline QGeometry q_geometry(double xa, double xb, double mu, double delta, const Options& o) {
  QGeometry q;
  const double to_mu = std::fabs(xa - mu);
  const double to_b = std::fabs(xa - xb);
  q.g = delta > 0 ? std::min(2.0, (to_mu + to_b) / delta) : 0.0;
  q.T = o.T >= 0 ? o.T : (to_mu < to_b ? 1.0 : 0.0);
  return q;
}
// What EU subtracts: Q*U_sq + (1-Q)*[T*U_b + (1-T)*U_w] (Scholz), or Q*U_sq only (jmckib).
// usq = u_status_quo(r), passed in because callers cache it per actor.
inline double eu_subtracted(const QGeometry& q, double r, double usq, const Options& o) {
  if (o.Q >= 1 || o.q_form == QForm::jmckib) return o.Q * usq;
  return o.Q * usq + (1 - o.Q) * (q.T * u_better(q.g, r) + (1 - q.T) * u_worse(q.g, r));
}
// EU^p(a -> b) = s_b [P U_s + (1-P) U_f] + (1 - s_b) U_s - subtracted  (Scholz eq. 25a).
inline double expected_utility(double p, double s_target, double us, double uf, double subtracted) {
  return s_target * (p * us + (1 - p) * uf) + (1 - s_target) * us - subtracted;
}
// The receiver's classification of a dyad (jmckib's order); false if no offer.
inline bool classify(double e1, double e2, bool capitulation, OfferType& type) {
  if (e2 > e1 && e1 > 0) {
    type = OfferType::confrontation;  // i loses the confrontation: moves to x_j
    return true;
  }
  if (e2 > 0 && 0 > e1 && e2 > std::fabs(e1)) {
    type = OfferType::compromise;
    return true;
  }
  // The reference tests `e2 < abs(e2)` here, which is never true (A5).
  if (capitulation && e2 > 0 && 0 > e1 && e2 < std::fabs(e1)) {
    type = OfferType::capitulation;
    return true;
  }
  return false;
}
// New position of the receiver x_i for an offer from x_j.
inline double offer_position(OfferType type, double xi, double xj, double e1, double e2, const Options& o) {
  if (type != OfferType::compromise) return xj;
  if (o.compromise_position == CompromisePosition::weighted)
    return (std::fabs(e1) * xi + std::fabs(e2) * xj) / (std::fabs(e1) + std::fabs(e2));
  return xi + (xj - xi) * std::fabs(e1 / e2);  // eq. 36
}
// Selection key among offers of the same type (smaller wins, then the lower proposer index).
inline double offer_key(OfferType type, double xi, double xj, double e1, double e2, double new_position,
                        const Options& o) {
  if (type == OfferType::compromise && o.compromise == CompromiseChoice::key)
    return (std::fabs(e1) * xi + std::fabs(e2) * xj) / (std::fabs(e1) + std::fabs(e2));
  return std::fabs(new_position - xi);  // "move the least"
}

}  // namespace entente::bdm

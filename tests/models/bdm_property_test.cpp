// Properties of the bdm model on random inputs (rapidcheck): the fast round equals the
// straightforward one under every option, invariance under capability scaling and affine position
// maps, relabelling actors permutes the outputs, P >= 0, r in [0.5, 2], never NaN.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>

#include "models/bdm_core.hpp"

namespace {

using namespace entente::bdm;

struct Input {
  Problem pb;
  std::vector<double> x;
};

// Continuous random data (ties between distinct actors have probability zero), 1..n actors.
Input gen_input(int max_n, bool allow_zero) {
  Input in;
  const int n = *rc::gen::inRange(1, max_n + 1);
  for (int i = 0; i < n; ++i) {
    in.x.push_back(*rc::gen::inRange(0, 1000000) / 10000.0 + *rc::gen::inRange(0, 997) * 1e-7);
    const int cz = allow_zero ? *rc::gen::inRange(0, 10) : 1;
    in.pb.c.push_back(cz == 0 ? 0.0 : 0.01 + *rc::gen::inRange(0, 100000) / 10000.0);
    const int sz = allow_zero ? *rc::gen::inRange(0, 10) : 5;
    in.pb.s.push_back(sz == 0 ? 0.0 : sz == 1 ? 1.0 : 0.05 + *rc::gen::inRange(0, 9500) / 10000.0);
  }
  return in;
}

Options gen_options(bool allow_sequential) {
  Options o;
  o.rounds = *rc::gen::inRange(1, 5);
  o.probability = *rc::gen::element(Probability::global, Probability::pairwise);
  o.perspective = *rc::gen::element(Perspective::receiver, Perspective::own);
  o.salience = *rc::gen::element(ChallengeSalience::target, ChallengeSalience::challenger);
  o.security = *rc::gen::element(Security::actors, Security::positions);
  o.capitulation = *rc::gen::arbitrary<bool>();
  o.compromise = *rc::gen::element(CompromiseChoice::key, CompromiseChoice::least_move);
  o.compromise_position = *rc::gen::element(CompromisePosition::proportional, CompromisePosition::weighted);
  if (allow_sequential) o.update = *rc::gen::element(Update::simultaneous, Update::sequential);
  o.Q = *rc::gen::element(1.0, 0.5, 0.9);
  o.T = *rc::gen::element(-1.0, 0.0, 1.0, 0.3);
  o.q_form = *rc::gen::element(QForm::scholz, QForm::jmckib);
  o.range = *rc::gen::element(Range::initial, Range::current);
  o.offers = OfferLog::all;
  return o;
}

void log_case(const Input& in, const Options& o) {
  RC_LOG() << std::setprecision(17) << "x c s:";
  for (std::size_t i = 0; i < in.x.size(); ++i) RC_LOG() << " (" << in.x[i] << "," << in.pb.c[i] << "," << in.pb.s[i] << ")";
  RC_LOG() << "\noptions: rounds " << o.rounds << " prob " << int(o.probability) << " persp " << int(o.perspective)
           << " sal " << int(o.salience) << " sec " << int(o.security) << " cap " << o.capitulation << " comp "
           << int(o.compromise) << " cpos " << int(o.compromise_position) << " upd " << int(o.update) << " Q " << o.Q
           << " T " << o.T << " qform " << int(o.q_form) << " range " << int(o.range) << " tile " << o.tile_budget << " parallel_from " << o.parallel_from
           << "\n";
}

double scale_of(const std::vector<double>& x) {
  double m = 1;
  for (double v : x) m = std::max(m, std::fabs(v));
  return m;
}

void assert_runs_equal(const IssueRun& a, const IssueRun& b, double xscale) {
  RC_ASSERT(a.rounds.size() == b.rounds.size());
  for (std::size_t t = 0; t < a.rounds.size(); ++t) {
    const auto& p = a.rounds[t];
    const auto& q = b.rounds[t];
    RC_ASSERT(p.x.size() == q.x.size());
    for (std::size_t i = 0; i < p.x.size(); ++i) {
      RC_ASSERT(std::fabs(p.x[i] - q.x[i]) <= 1e-9 * xscale);
      if (!p.r.empty()) RC_ASSERT(std::fabs(p.r[i] - q.r[i]) <= 1e-9);
    }
    RC_ASSERT(std::fabs(p.median - q.median) <= 1e-9 * xscale);
    RC_ASSERT(std::fabs(p.mean - q.mean) <= 1e-9 * xscale);
    RC_ASSERT(p.offers.size() == q.offers.size());
    for (std::size_t k = 0; k < p.offers.size(); ++k) {
      RC_ASSERT(p.offers[k].to == q.offers[k].to);
      RC_ASSERT(p.offers[k].from == q.offers[k].from);
      RC_ASSERT(p.offers[k].type == q.offers[k].type);
      RC_ASSERT(p.offers[k].selected == q.offers[k].selected);
      RC_ASSERT(std::fabs(p.offers[k].new_position - q.offers[k].new_position) <= 1e-9 * xscale);
    }
  }
}

void assert_finite(const IssueRun& run) {
  for (const auto& rec : run.rounds) {
    for (double v : rec.x) RC_ASSERT(std::isfinite(v));
    for (double v : rec.r) RC_ASSERT(std::isfinite(v));
    RC_ASSERT(std::isfinite(rec.median));
    RC_ASSERT(std::isfinite(rec.mean));
    for (const auto& f : rec.offers) RC_ASSERT(std::isfinite(f.new_position));
  }
}

// Continuous data without zeros: exact ties (e.g. two salience-0 actors in mirror positions,
// where e1 == e2 in exact arithmetic) would let rounding noise, which differs between the two
// summation orders, decide a strict comparison. Zeros are covered by the finite-output property.
RC_GTEST_PROP(BdmProperties, FastEqualsDirectUnderEveryOption, ()) {
  const Input in = gen_input(10, false);
  Options o = gen_options(true);
  // Small tiles so the tiled path (several blocks, recomputed rows) is exercised too.
  o.tile_budget = *rc::gen::element<std::size_t>(1, 2 * (in.x.size() + 1) * 2, std::size_t{1} << 25);
  // The threaded path (per-thread selections merged, chunked danger sums) on small problems too.
  o.parallel_from = *rc::gen::element<std::size_t>(1, 3, 384);
  log_case(in, o);
  Options od = o;
  od.algorithm = Algorithm::direct;
  const auto fast = run_issue(in.pb, in.x, 100, o);
  const auto direct = run_issue(in.pb, in.x, 100, od);
  assert_finite(fast);
  assert_runs_equal(fast, direct, scale_of(in.x));
}

RC_GTEST_PROP(BdmProperties, FastEqualsDirectRoundDetails, ()) {
  const Input in = gen_input(12, true);
  Options o = gen_options(false);
  o.tile_budget = *rc::gen::element<std::size_t>(1, std::size_t{1} << 25);
  o.parallel_from = *rc::gen::element<std::size_t>(1, 3, 384);
  log_case(in, o);
  double lo = *std::min_element(in.x.begin(), in.x.end()), hi = *std::max_element(in.x.begin(), in.x.end());
  const auto d = round_details(in.pb, in.x, hi - lo, o);
  const auto f = round_fast(in.pb, in.x, hi - lo, o);
  RC_ASSERT(std::fabs(f.z1 - d.z1) <= 1e-12 * std::max(1.0, d.z1));
  RC_ASSERT(std::fabs(f.z - d.z) <= 1e-12 * std::max(1.0, d.z));
  for (std::size_t i = 0; i < in.x.size(); ++i) {
    RC_ASSERT(std::fabs(f.danger[i] - d.danger[i]) <= 1e-11 * std::max(1.0, std::fabs(d.danger[i])));
    RC_ASSERT(std::fabs(f.r[i] - d.r[i]) <= 1e-9);
  }
}

// The vectorised powers (libmvec, Options::vector_pow) against one std::pow per value: whole runs
// agree to 1e-12 relative (positions relative to the largest |x|, risk exponents, offers).
RC_GTEST_PROP(BdmProperties, VectorPowEqualsStdPowTo1e12, ()) {
  const Input in = gen_input(40, false);
  Options o = gen_options(true);
  o.tile_budget = *rc::gen::element<std::size_t>(1, std::size_t{1} << 25);
  log_case(in, o);
  Options os = o;
  os.vector_pow = false;
  const auto v = run_issue(in.pb, in.x, 100, o);
  const auto r = run_issue(in.pb, in.x, 100, os);
  const double xs = scale_of(in.x);
  RC_ASSERT(v.rounds.size() == r.rounds.size());
  for (std::size_t t = 0; t < v.rounds.size(); ++t) {
    const auto& p = v.rounds[t];
    const auto& q = r.rounds[t];
    for (std::size_t i = 0; i < p.x.size(); ++i) {
      RC_ASSERT(std::fabs(p.x[i] - q.x[i]) <= 1e-12 * xs);
      if (!p.r.empty()) RC_ASSERT(std::fabs(p.r[i] - q.r[i]) <= 1e-12 * q.r[i]);
    }
    RC_ASSERT(p.offers.size() == q.offers.size());
    for (std::size_t k = 0; k < p.offers.size(); ++k) {
      RC_ASSERT(p.offers[k].from == q.offers[k].from);
      RC_ASSERT(p.offers[k].type == q.offers[k].type);
      RC_ASSERT(p.offers[k].selected == q.offers[k].selected);
      RC_ASSERT(std::fabs(p.offers[k].new_position - q.offers[k].new_position) <= 1e-12 * xs);
    }
  }
}

// One round of the fast path (vector powers) against the spec transcribed literally
// (round_details, std::pow, O(n^3) sums): normalisers and new positions to 1e-12 relative.
RC_GTEST_PROP(BdmProperties, FastRoundEqualsDirectTo1e12, ()) {
  const Input in = gen_input(12, false);
  Options o = gen_options(false);
  log_case(in, o);
  const double lo = *std::min_element(in.x.begin(), in.x.end()), hi = *std::max_element(in.x.begin(), in.x.end());
  const auto d = round_details(in.pb, in.x, hi - lo, o);
  const auto f = round_fast(in.pb, in.x, hi - lo, o);
  RC_ASSERT(std::fabs(f.z1 - d.z1) <= 1e-12 * std::max(1.0, d.z1));
  RC_ASSERT(std::fabs(f.z - d.z) <= 1e-12 * std::max(1.0, d.z));
  for (std::size_t i = 0; i < in.x.size(); ++i) RC_ASSERT(std::fabs(f.x[i] - d.x[i]) <= 1e-12 * scale_of(in.x));
}

RC_GTEST_PROP(BdmProperties, DegenerateDataGiveFiniteResults, ()) {
  const Input in = gen_input(10, true);
  Options o = gen_options(true);
  o.algorithm = *rc::gen::element(Algorithm::fast, Algorithm::direct);
  assert_finite(run_issue(in.pb, in.x, 100, o));
}

RC_GTEST_PROP(BdmProperties, ProbabilitiesNonNegativeAndRiskInRange, ()) {
  const Input in = gen_input(12, true);
  const Options o = gen_options(false);
  double lo = *std::min_element(in.x.begin(), in.x.end()), hi = *std::max_element(in.x.begin(), in.x.end());
  const auto d = round_details(in.pb, in.x, hi - lo, o);
  for (const auto* P : {&d.p1, &d.p})
    for (const auto& row : *P)
      for (double p : row) {
        RC_ASSERT(p >= 0.0);
        RC_ASSERT(p <= 1.0);
      }
  for (double r : d.r) {
    RC_ASSERT(r >= 0.5);
    RC_ASSERT(r <= 2.0);
  }
  for (double R : d.R) RC_ASSERT(std::fabs(R) <= 1.0);
}

RC_GTEST_PROP(BdmProperties, InvariantUnderCapabilityScaling, ()) {
  const Input in = gen_input(10, false);
  const Options o = gen_options(true);
  const double lambda = *rc::gen::element(1e-3, 0.37, 3.0, 1000.0);
  Input scaled = in;
  for (double& c : scaled.pb.c) c *= lambda;
  const auto a = run_issue(in.pb, in.x, 100, o);
  const auto b = run_issue(scaled.pb, scaled.x, 100, o);
  assert_runs_equal(a, b, scale_of(in.x));
}

RC_GTEST_PROP(BdmProperties, EquivariantUnderAffinePositionMaps, ()) {
  const Input in = gen_input(10, false);
  Options o = gen_options(true);
  o.offers = OfferLog::selected;
  const double alpha = *rc::gen::element(0.01, 0.5, 3.0, 250.0);
  const double beta = *rc::gen::element(-1000.0, -3.5, 0.0, 42.0);
  std::vector<double> y(in.x);
  for (double& v : y) v = alpha * v + beta;
  const auto a = run_issue(in.pb, in.x, 100, o);
  const auto b = run_issue(in.pb, y, 100 * alpha, o);
  RC_ASSERT(a.rounds.size() == b.rounds.size());
  const double tol = 1e-9 * (std::fabs(beta) + alpha * scale_of(in.x));
  for (std::size_t t = 0; t < a.rounds.size(); ++t) {
    for (std::size_t i = 0; i < in.x.size(); ++i) {
      RC_ASSERT(std::fabs(alpha * a.rounds[t].x[i] + beta - b.rounds[t].x[i]) <= tol);
      if (t > 0) RC_ASSERT(std::fabs(a.rounds[t].r[i] - b.rounds[t].r[i]) <= 1e-9);
    }
    RC_ASSERT(std::fabs(alpha * a.rounds[t].median + beta - b.rounds[t].median) <= tol);
    RC_ASSERT(std::fabs(alpha * a.rounds[t].mean + beta - b.rounds[t].mean) <= tol);
  }
}

RC_GTEST_PROP(BdmProperties, RelabellingActorsPermutesOutputs, ()) {
  const Input in = gen_input(10, false);
  Options o = gen_options(false);  // sequential moves depend on the order by design
  o.offers = OfferLog::selected;
  const std::size_t n = in.x.size();
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[static_cast<std::size_t>(*rc::gen::inRange<int>(0, static_cast<int>(i)))]);
  Input p;  // actor k of p is actor perm[k] of in
  for (std::size_t k = 0; k < n; ++k) {
    p.x.push_back(in.x[perm[k]]);
    p.pb.c.push_back(in.pb.c[perm[k]]);
    p.pb.s.push_back(in.pb.s[perm[k]]);
  }
  const auto a = run_issue(in.pb, in.x, 100, o);
  const auto b = run_issue(p.pb, p.x, 100, o);
  RC_ASSERT(a.rounds.size() == b.rounds.size());
  const double tol = 1e-9 * scale_of(in.x);
  for (std::size_t t = 0; t < a.rounds.size(); ++t) {
    for (std::size_t k = 0; k < n; ++k) {
      RC_ASSERT(std::fabs(a.rounds[t].x[perm[k]] - b.rounds[t].x[k]) <= tol);
      if (t > 0) RC_ASSERT(std::fabs(a.rounds[t].r[perm[k]] - b.rounds[t].r[k]) <= 1e-9);
    }
    RC_ASSERT(std::fabs(a.rounds[t].median - b.rounds[t].median) <= tol);
    RC_ASSERT(std::fabs(a.rounds[t].mean - b.rounds[t].mean) <= tol);
  }
}

}  // namespace

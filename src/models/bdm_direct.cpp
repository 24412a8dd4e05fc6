// The straightforward round: specs/bdm.md section 1.3 transcribed loop by loop, O(n^3) per round
// (Z by its triple sum, every P by a sum over voters). Slow on purpose: it is the cross-check of
// round_fast and the source of the round details the tests compare with the spec's tables.
#include <algorithm>
#include <cmath>

#include "models/bdm_core.hpp"

namespace entente::bdm {

namespace {

using Matrix = std::vector<std::vector<double>>;

// n x n zeros. (Built row by row: g++ 12 -O2 gives a bogus -Wfree-nonheap-object on
// assign(n, std::vector<double>(n)).)
Matrix zeros(std::size_t n) {
  Matrix m(n);
  for (auto& row : m) row.resize(n, 0.0);
  return m;
}

struct Votes {
  const std::vector<double>& x;
  const std::vector<double>& w;
  double delta;

  double dk(std::size_t k, double y) const { return delta > 0 ? std::fabs(x[k] - y) / delta : 0.0; }
  // v_k(a, b; rho) = c_k s_k (d_k(b)^rho - d_k(a)^rho)
  double vote(std::size_t k, double a, double b, double rho) const {
    return w[k] * (std::pow(dk(k, b), rho) - std::pow(dk(k, a), rho));
  }
  // Z = sum_k sum_m sum_n |v_k(x_m, x_n; rho_k)|
  double z(const std::vector<double>& rho) const {
    const std::size_t n = x.size();
    double total = 0;
    for (std::size_t k = 0; k < n; ++k) {
      std::vector<double> a(n);
      for (std::size_t m = 0; m < n; ++m) a[m] = std::pow(dk(k, x[m]), rho[k]);
      for (std::size_t m = 0; m < n; ++m)
        for (std::size_t q = 0; q < n; ++q) total += std::fabs(w[k] * (a[q] - a[m]));
    }
    return total;
  }
};

}  // namespace

RoundDetails round_details(const Problem& pb, const std::vector<double>& x, double delta, const Options& o) {
  const std::size_t n = x.size();
  RoundDetails D;
  D.delta = delta;
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = pb.c[i] * pb.s[i];
  const double mu = weighted_median(x, w, o.median);
  D.median = mu;
  const Votes V{x, w, delta};
  auto same = [&](double a, double b) { return std::fabs(a - b) <= o.tolerance; };

  // P(a beats b) with exponents rho and normaliser z.
  auto prob = [&](double a, double b, const std::vector<double>& rho, double z) {
    if (same(a, b)) return 0.0;
    if (o.probability == Probability::pairwise) {  // eq. 31 as printed: linear votes
      double num = 0, den = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const double v = V.vote(k, a, b, 1.0);
        num += std::max(0.0, v);
        den += std::fabs(v);
      }
      return den > 0 ? num / den : 0.5;
    }
    if (!(z > 0)) return 0.0;
    double num = 0;
    for (std::size_t k = 0; k < n; ++k) num += std::max(0.0, V.vote(k, a, b, rho[k]));
    return num / z;
  };
  // EU^p(a -> b) with the perspective's exponent r, target salience st and probability p.
  auto eu = [&](double xa, double xb, double st, double r, double p) {
    if (same(xa, xb)) return 0.0;  // no contest
    const double d = unit_distance(xa, xb, delta);
    const QGeometry q = q_geometry(xa, xb, mu, delta, o);
    return expected_utility(p, st, u_success(d, r), u_failure(d, r), eu_subtracted(q, r, u_status_quo(r), o));
  };

  // 1. Risk pass: every exponent 1.
  const std::vector<double> ones(n, 1.0);
  D.z1 = V.z(ones);
  D.p1 = zeros(n);
  D.eu1 = zeros(n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      if (a != b) {
        D.p1[a][b] = prob(x[a], x[b], ones, D.z1);
        D.eu1[a][b] = eu(x[a], x[b], pb.s[b], 1.0, D.p1[a][b]);
      }
  D.danger.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) D.danger[i] += D.eu1[j][i];
  D.R.assign(n, 0.0);
  D.r.assign(n, 1.0);
  if (n > 0) {
    const auto [lo_it, hi_it] = std::minmax_element(D.danger.begin(), D.danger.end());
    for (std::size_t i = 0; i < n; ++i) {
      double lo = *lo_it, hi = *hi_it;
      if (o.security == Security::positions) {
        // A4: the best and worst danger i would face at any held position y.
        lo = hi = D.danger[i];
        for (std::size_t m = 0; m < n; ++m) {
          const double y = x[m];
          double dy = 0;
          for (std::size_t j = 0; j < n; ++j)
            if (j != i && !same(x[j], y)) dy += eu(x[j], y, pb.s[i], 1.0, prob(x[j], y, ones, D.z1));
          lo = std::min(lo, dy);
          hi = std::max(hi, dy);
        }
      }
      D.r[i] = risk_exponent(D.danger[i], lo, hi);
      D.R[i] = danger_spread(lo, hi) ? std::clamp((2 * D.danger[i] - hi - lo) / (hi - lo), -1.0, 1.0) : 0.0;
    }
  }

  // 2. Main pass: voters use their own exponents.
  D.z = V.z(D.r);
  D.p = zeros(n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      if (a != b) D.p[a][b] = prob(x[a], x[b], D.r, D.z);

  // 3. Offers seen by each receiver i; 4. selection; 5. simultaneous update.
  D.e1 = zeros(n);
  D.e2 = zeros(n);
  D.x = x;
  for (std::size_t i = 0; i < n; ++i) {
    struct Candidate {
      double key;
      std::size_t offer;
    };
    std::vector<Candidate> by_type[3];
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i || same(x[i], x[j])) continue;
      const double e1 = eu(x[i], x[j], pb.s[j], D.r[i], D.p[i][j]);
      const double st = o.salience == ChallengeSalience::target ? pb.s[i] : pb.s[j];
      const double rp = o.perspective == Perspective::receiver ? D.r[i] : D.r[j];
      const double e2 = eu(x[j], x[i], st, rp, D.p[j][i]);
      D.e1[i][j] = e1;
      D.e2[i][j] = e2;
      OfferType type{};
      if (!classify(e1, e2, o.capitulation, type)) continue;
      Offer f;
      f.to = static_cast<int>(i);
      f.from = static_cast<int>(j);
      f.type = type;
      f.new_position = offer_position(type, x[i], x[j], e1, e2, o);
      by_type[static_cast<int>(type)].push_back({offer_key(type, x[i], x[j], e1, e2, f.new_position, o),
                                                 D.offers.size()});
      D.offers.push_back(f);
    }
    // Confrontation first, then compromise, then capitulation; the first minimal key wins.
    for (const auto& list : by_type) {
      if (list.empty()) continue;
      const auto best = std::min_element(list.begin(), list.end(),
                                         [](const Candidate& a, const Candidate& b) { return a.key < b.key; });
      D.offers[best->offer].selected = true;
      D.x[i] = D.offers[best->offer].new_position;
      break;
    }
  }
  return D;
}

}  // namespace entente::bdm

// Small models and scenarios for the analysis and store tests, so they do not depend on the
// production models. Include from exactly one .cpp per test binary (it registers the models).
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <regex>
#include <string>

#include "entente/model.hpp"
#include "entente/random.hpp"
#include "entente/scenario.hpp"

namespace entente::testing {

// True when text shows a NaN or infinity as a word ("nan", "-inf", "NaN"), not inside a word
// such as "provenance".
inline bool shows_nan(const std::string& text) {
  static const std::regex word(R"((^|[^A-Za-z0-9_])-?(nan|NaN|NAN|inf|Inf|INF)([^A-Za-z0-9_]|$))");
  return std::regex_search(text, word);
}

// The compromise model written out: per issue, the mean of positions weighted by capability x
// salience; categorical issues: the option with the largest weighted utility.
class WeightedMean final : public Model {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i{"test_wmean", "test: capability x salience weighted mean", "", {}, false, false, true, {}, "round"};
    return i;
  }
  Result run(const Scenario& s, const Params&, std::uint64_t, const RunContext&) const override {
    Result r;
    for (std::size_t i = 0; i < s.issues.size(); ++i) {
      Forecast f;
      if (s.issues[i].kind == Issue::Kind::numeric) {
        double num = 0, den = 0;
        for (std::size_t a = 0; a < s.actors.size(); ++a)
          if (const Stance* st = s.stance(a, i)) {
            const double w = s.capability(a, i) * st->salience.value;
            num += w * st->position.value;
            den += w;
          }
        f.defined = den > 0;
        f.value = den > 0 ? num / den : 0;
      } else {
        std::vector<double> score(s.issues[i].options.size(), 0);
        for (std::size_t a = 0; a < s.actors.size(); ++a)
          if (const Stance* st = s.stance(a, i))
            for (std::size_t k = 0; k < st->utilities.size() && k < score.size(); ++k)
              score[k] += s.capability(a, i) * st->salience.value * st->utilities[k].value;
        const double total = std::accumulate(score.begin(), score.end(), 0.0);
        f.value = static_cast<double>(std::max_element(score.begin(), score.end()) - score.begin());
        for (double x : score) f.option_probabilities.push_back(total > 0 ? x / total : 1.0 / static_cast<double>(score.size()));
      }
      r.forecasts.push_back(f);
    }
    return r;
  }
};

// The position of the weighted median voter (a step function of every input).
class WeightedMedian final : public Model {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i{"test_wmedian", "test: weighted median", "", {}, false, false, false, {}, "round"};
    return i;
  }
  Result run(const Scenario& s, const Params&, std::uint64_t, const RunContext&) const override {
    Result r;
    for (std::size_t i = 0; i < s.issues.size(); ++i) {
      std::vector<std::pair<double, double>> pw;
      double total = 0;
      for (std::size_t a = 0; a < s.actors.size(); ++a)
        if (const Stance* st = s.stance(a, i)) {
          pw.emplace_back(st->position.value, s.capability(a, i) * st->salience.value);
          total += pw.back().second;
        }
      std::sort(pw.begin(), pw.end());
      Forecast f;
      double acc = 0;
      for (const auto& [x, w] : pw) {
        acc += w;
        if (acc >= total / 2) {
          f.value = x;
          break;
        }
      }
      r.forecasts.push_back(f);
    }
    return r;
  }
};

// A stochastic dynamic model: each round every actor moves halfway to the weighted mean plus a
// little noise from the seed. Records "mean" per round and the positions.
class NoisyRounds final : public Model {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i{"test_rounds",
                             "test: noisy convergence",
                             "",
                             {{"rounds", ParamSpec::Type::integer, "5", "rounds", {}, 0, 100}},
                             true,
                             true,
                             false,
                             {},
                             "round"};
    return i;
  }
  Result run(const Scenario& s, const Params& p, std::uint64_t seed, const RunContext&) const override {
    Rng rng(seed, 7);
    const auto n = s.actors.size();
    const auto m = s.issues.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::vector<double>> x(m, std::vector<double>(n, nan));
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t a = 0; a < n; ++a)
        if (const Stance* st = s.stance(a, i)) x[i][a] = st->position.value;
    Result r;
    const auto rounds = p.integer("rounds");
    auto record = [&](int k) {
      Round round;
      round.index = k;
      round.actor_series.push_back({"position", "x", x});
      IssueSeries mean{"mean", std::vector<double>(m, nan)};
      for (std::size_t i = 0; i < m; ++i) {
        double num = 0, den = 0;
        for (std::size_t a = 0; a < n; ++a)
          if (const Stance* st = s.stance(a, i)) {
            num += s.capability(a, i) * st->salience.value * x[i][a];
            den += s.capability(a, i) * st->salience.value;
          }
        mean.data[i] = den > 0 ? num / den : nan;
      }
      round.issue_series.push_back(mean);
      r.trace.rounds.push_back(round);
    };
    record(0);
    for (int k = 1; k <= rounds; ++k) {
      const auto& prev = r.trace.rounds.back().issue_series.front().data;
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t a = 0; a < n; ++a)
          if (!std::isnan(x[i][a]))
            x[i][a] = std::clamp(0.5 * (x[i][a] + prev[i]) + rng.uniform(-1, 1), s.issues[i].min, s.issues[i].max);
      record(k);
    }
    for (std::size_t i = 0; i < m; ++i) r.forecasts.push_back(Forecast{r.trace.rounds.back().issue_series.front().data[i], true, {}, {}, {}, {}});
    // The forecast path: the mean of every round (what simulate's per-round series summarise).
    r.path.assign(m, {});
    for (const auto& round : r.trace.rounds)
      for (std::size_t i = 0; i < m; ++i) r.path[i].push_back(round.issue_series.front().data[i]);
    return r;
  }
};

inline Quantity q(double v) {
  Quantity x;
  x.value = v;
  return x;
}
inline Quantity q(double v, Uncertainty u) {
  Quantity x;
  x.value = v;
  x.uncertainty = u;
  return x;
}
inline Uncertainty uniform(double lo, double hi) { return {Uncertainty::Kind::uniform, lo, hi, 0, 0, 0}; }
inline Uncertainty triangular(double lo, double mode, double hi) { return {Uncertainty::Kind::triangular, lo, hi, mode, 0, 0}; }
inline Uncertainty normal(double mean, double sd, double lo, double hi) { return {Uncertainty::Kind::normal, lo, hi, 0, mean, sd}; }

// Actors (capability, position, salience) on one 0-100 issue "x".
struct ActorSpec {
  std::string id;
  Quantity capability, position, salience;
};
inline Scenario one_issue(const std::vector<ActorSpec>& specs) {
  Scenario s;
  s.title = "test";
  Issue is;
  is.id = "x";
  is.name = "issue x";
  s.issues.push_back(is);
  for (const auto& sp : specs) {
    Actor a;
    a.id = sp.id;
    a.name = sp.id;
    a.capability = sp.capability;
    Stance st;
    st.position = sp.position;
    st.salience = sp.salience;
    a.stances.push_back(st);
    s.actors.push_back(a);
  }
  return s;
}

// Two numeric issues and one categorical issue, with uncertainty of every kind.
inline Scenario rich_scenario() {
  Scenario s;
  s.title = "rich";
  Issue a, b, c;
  a.id = "regions";
  b.id = "sanctions";
  b.min = -10;
  b.max = 10;
  c.id = "venue";
  c.kind = Issue::Kind::categorical;
  c.options = {"Istanbul", "Vatican", "Geneva"};
  s.issues = {a, b, c};
  auto actor = [&](std::string id, Quantity cap, Quantity pa, Quantity sa, Quantity pb, Quantity sb, std::vector<double> u) {
    Actor x;
    x.id = x.name = std::move(id);
    x.capability = cap;
    Stance s1{pa, sa, std::nullopt, {}};
    Stance s2{pb, sb, std::nullopt, {}};
    Stance s3;
    s3.salience = q(0.5, uniform(0.2, 0.8));
    for (double v : u) s3.utilities.push_back(q(v, uniform(std::max(0.0, v - 0.3), std::min(1.0, v + 0.3))));
    x.stances = {s1, s2, s3};
    s.actors.push_back(x);
  };
  actor("russia", q(100, uniform(80, 120)), q(100, triangular(80, 100, 100)), q(0.9, uniform(0.8, 1.0)), q(8),
        q(0.6, normal(0.6, 0.2, 0, 1)), {1.0, 0.2, 0.5});
  actor("ukraine", q(60, normal(60, 10, 30, 90)), q(0, uniform(0, 20)), q(1.0), q(-8, uniform(-10, -5)), q(0.7),
        {0.4, 0.9, 0.6});
  actor("usa", q(150), q(60, normal(60, 15, 0, 100)), q(0.5), q(0, triangular(-5, 0, 5)), q(0.4), {0.8, 0.5, 0.3});
  s.actors.back().stances[0]->capability = q(120, uniform(100, 140));
  return s;
}

}  // namespace entente::testing

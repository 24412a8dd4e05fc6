// Invariants of the deal analysis (rapidcheck), and bit-identical Monte Carlo on any number of
// threads.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <string>

#include "entente/deal.hpp"
#include "entente/output.hpp"
#include "entente/scenario.hpp"

using namespace entente;

namespace {

// A random valid scenario with veto players: 1-3 numeric issues on random scales, maybe one
// categorical issue, 2-4 actors holding every issue, 1-3 of them veto players (on everything or
// on some issues), no-deal points, status quos and costs at random.
rc::Gen<Scenario> gen_deal_scenario() {
  return rc::gen::exec([] {
    Scenario s;
    const auto n_numeric = *rc::gen::inRange<std::size_t>(1, 4);
    const bool with_categorical = *rc::gen::element(0, 1) == 1;
    for (std::size_t i = 0; i < n_numeric; ++i) {
      Issue is;
      is.id = "n" + std::to_string(i);
      is.name = is.id;
      is.min = *rc::gen::inRange(-100, 100);
      is.max = is.min + *rc::gen::inRange(1, 200);
      if (*rc::gen::element(0, 1)) is.status_quo = is.min + (is.max - is.min) * *rc::gen::inRange(0, 101) / 100.0;
      s.issues.push_back(is);
    }
    if (with_categorical) {
      Issue is;
      is.id = "c";
      is.name = "c";
      is.kind = Issue::Kind::categorical;
      const auto n_opt = *rc::gen::inRange<std::size_t>(2, 4);
      for (std::size_t o = 0; o < n_opt; ++o) is.options.push_back("o" + std::to_string(o));
      is.max = static_cast<double>(n_opt - 1);
      s.issues.push_back(is);
    }
    const auto n_actors = *rc::gen::inRange<std::size_t>(2, 5);
    const auto n_veto = *rc::gen::inRange<std::size_t>(1, std::min<std::size_t>(n_actors, 3) + 1);
    auto frac = [] { return *rc::gen::inRange(0, 1001) / 1000.0; };
    for (std::size_t a = 0; a < n_actors; ++a) {
      Actor ac;
      ac.id = "a" + std::to_string(a);
      ac.name = ac.id;
      ac.capability.value = 1 + *rc::gen::inRange(0, 100);
      for (const auto& is : s.issues) {
        Stance st;
        st.salience.value = frac();
        if (is.kind == Issue::Kind::numeric) {
          st.position.value = is.min + (is.max - is.min) * frac();
          if (!is.status_quo || *rc::gen::element(0, 1)) {
            Quantity q;
            q.value = is.min + (is.max - is.min) * frac();
            st.no_deal = q;
          }
        } else {
          for (std::size_t o = 0; o < is.options.size(); ++o) {
            Quantity u;
            u.value = frac();
            st.utilities.push_back(u);
          }
          if (*rc::gen::element(0, 1)) {
            Quantity q;
            q.value = static_cast<double>(*rc::gen::inRange<std::size_t>(0, is.options.size()));
            st.no_deal = q;
          }
        }
        ac.stances.push_back(st);
      }
      if (a < n_veto) {
        Veto v;
        v.all = *rc::gen::element(0, 1) == 1;
        if (!v.all) {
          for (const auto& is : s.issues)
            if (*rc::gen::element(0, 1)) v.issues.push_back(is.id);
          if (v.issues.empty()) v.issues.push_back(s.issues.front().id);
        }
        ac.veto = v;
        if (*rc::gen::element(0, 1)) {
          Quantity c;
          c.value = 0.5 * frac();
          ac.no_deal_cost = c;
        }
      }
      s.actors.push_back(ac);
    }
    validate(s);
    return s;
  });
}

bool near(double a, double b, double tol) { return std::fabs(a - b) <= tol || (std::isinf(a) && a == b); }

// Same zone, numeric within tol (in scale units), categorical the same options.
bool same_zone(const DealZone& a, const DealZone& b, double tol) {
  if (a.categorical) return a.options == b.options;
  if (a.interval.has_value() != b.interval.has_value()) {
    // A zone of (almost) a single point may come out empty on one side of a rounding error.
    const auto& z = a.interval ? a.interval : b.interval;
    return z->second - z->first <= tol;
  }
  return !a.interval || (near(a.interval->first, b.interval->first, tol) && near(a.interval->second, b.interval->second, tol));
}

double span(const Issue& is) { return is.kind == Issue::Kind::numeric ? is.max - is.min : 1.0; }

// Results are equal up to rounding; `map` sends a value of issue k in `a` to its value in `b`.
template <class Map>
void expect_same(const Scenario& sa, const DealResult& a, const DealResult& b, Map map) {
  RC_ASSERT(near(a.maximin_margin, b.maximin_margin, 1e-9));
  // `possible` may only differ when the best margin is zero up to rounding.
  if (std::fabs(a.maximin_margin) > 1e-8) RC_ASSERT(a.possible == b.possible);
  for (std::size_t k = 0; k < sa.issues.size(); ++k) {
    const double tol = 1e-7 * span(sa.issues[k]);
    DealZone za = a.zones[k], ra = a.ranges[k];
    for (auto* z : {&za, &ra})
      if (z->interval) {
        const double lo = map(k, z->interval->first), hi = map(k, z->interval->second);
        z->interval = std::make_pair(std::min(lo, hi), std::max(lo, hi));
      }
    if (std::fabs(a.maximin_margin) > 1e-8) {
      RC_ASSERT(same_zone(za, b.zones[k], tol));
      RC_ASSERT(same_zone(ra, b.ranges[k], tol));
    }
  }
}

}  // namespace

RC_GTEST_PROP(DealProperty, RelabellingActorsChangesNothing, ()) {
  const Scenario s = *gen_deal_scenario();
  Scenario t = s;
  // Reverse the actors and give them new names.
  std::reverse(t.actors.begin(), t.actors.end());
  for (auto& a : t.actors) a.id = "renamed_" + a.id;
  const DealResult a = analyse_deal(s), b = analyse_deal(t);
  expect_same(s, a, b, [](std::size_t, double v) { return v; });
  // The most acceptable package is unique (tie-breaks): the same one.
  if (std::fabs(a.maximin_margin) > 1e-8)
    for (std::size_t k = 0; k < s.issues.size(); ++k) RC_ASSERT(near(a.maximin[k], b.maximin[k], 1e-6 * span(s.issues[k])));
}

RC_GTEST_PROP(DealProperty, RescalingAnIssueChangesNothing, ()) {
  const Scenario s = *gen_deal_scenario();
  const auto k = *rc::gen::inRange<std::size_t>(0, s.issues.size());
  RC_PRE(s.issues[k].kind == Issue::Kind::numeric);
  const double f = *rc::gen::element(0.5, 2.0, 10.0, 0.1), shift = *rc::gen::element(-50.0, 0.0, 7.0);
  auto map = [&](double v) { return f * v + shift; };
  Scenario t = s;
  Issue& is = t.issues[k];
  is.min = map(is.min);
  is.max = map(is.max);
  if (is.status_quo) is.status_quo = map(*is.status_quo);
  for (auto& a : t.actors) {
    auto& st = a.stances[k];
    st->position.value = map(st->position.value);
    if (st->no_deal) st->no_deal->value = map(st->no_deal->value);
  }
  validate(t);
  const DealResult a = analyse_deal(s), b = analyse_deal(t);
  expect_same(s, a, b, [&](std::size_t i, double v) { return i == k ? map(v) : v; });
}

RC_GTEST_PROP(DealProperty, AddingAnActorWithoutVetoChangesNothing, ()) {
  const Scenario s = *gen_deal_scenario();
  Scenario t = s;
  Actor extra = s.actors.back();
  extra.id = "newcomer";
  extra.veto.reset();
  extra.no_deal_cost.reset();
  for (auto& st : extra.stances) st->salience.value = 1;  // a loud newcomer
  t.actors.insert(t.actors.begin() + static_cast<std::ptrdiff_t>(*rc::gen::inRange<std::size_t>(0, t.actors.size() + 1)),
                  extra);
  validate(t);
  const DealResult a = analyse_deal(s), b = analyse_deal(t);
  // Not only equal up to rounding: the newcomer does not enter the analysis at all.
  RC_ASSERT(a.maximin_margin == b.maximin_margin);
  RC_ASSERT(a.possible == b.possible);
  RC_ASSERT(a.maximin == b.maximin);
  for (std::size_t k = 0; k < s.issues.size(); ++k) {
    RC_ASSERT(a.zones[k].interval == b.zones[k].interval);
    RC_ASSERT(a.zones[k].options == b.zones[k].options);
    RC_ASSERT(a.ranges[k].interval == b.ranges[k].interval);
  }
}

// Raising a veto player's no-deal cost only loosens its own constraint: the best smallest margin
// cannot fall, and the zone at a fixed package and the range of acceptable packages cannot shrink.
RC_GTEST_PROP(DealProperty, RaisingAVetoPlayersCostNeverShrinksTheZone, ()) {
  const Scenario s = *gen_deal_scenario();
  Scenario t = s;
  std::vector<std::size_t> veto;
  for (std::size_t a = 0; a < s.actors.size(); ++a)
    if (s.actors[a].veto) veto.push_back(a);
  Actor& who = t.actors[*rc::gen::elementOf(veto)];
  Quantity cost = who.no_deal_cost.value_or(Quantity{});
  cost.value += 0.01 + *rc::gen::inRange(0, 100) / 100.0;
  who.no_deal_cost = cost;
  const DealResult a = analyse_deal(s), b = analyse_deal(t);
  RC_ASSERT(b.maximin_margin >= a.maximin_margin - 1e-9);
  RC_ASSERT(!a.possible || b.possible);
  // A fixed package: the first scenario's maximin package, as a forecast.
  Result fixed;
  fixed.model = "fixed";
  for (std::size_t k = 0; k < s.issues.size(); ++k) {
    Forecast f;
    f.value = a.maximin[k];
    fixed.forecasts.push_back(f);
  }
  const DealModel za = check_forecast(s, fixed), zb = check_forecast(t, fixed);
  for (std::size_t k = 0; k < s.issues.size(); ++k) {
    const double tol = 1e-9 * span(s.issues[k]);
    if (za.zones[k].categorical) {
      for (auto o : za.zones[k].options)
        RC_ASSERT(std::find(zb.zones[k].options.begin(), zb.zones[k].options.end(), o) != zb.zones[k].options.end());
    } else if (za.zones[k].interval) {
      RC_ASSERT(zb.zones[k].interval.has_value());
      RC_ASSERT(zb.zones[k].interval->first <= za.zones[k].interval->first + tol);
      RC_ASSERT(zb.zones[k].interval->second >= za.zones[k].interval->second - tol);
    }
    const double rtol = 1e-7 * span(s.issues[k]);
    if (a.ranges[k].categorical) {
      for (auto o : a.ranges[k].options)
        RC_ASSERT(std::find(b.ranges[k].options.begin(), b.ranges[k].options.end(), o) != b.ranges[k].options.end());
    } else if (a.ranges[k].interval) {
      RC_ASSERT(b.ranges[k].interval.has_value());
      RC_ASSERT(b.ranges[k].interval->first <= a.ranges[k].interval->first + rtol);
      RC_ASSERT(b.ranges[k].interval->second >= a.ranges[k].interval->second - rtol);
    }
  }
}

// Every veto player accepts the maximin package exactly when a deal is possible, and its margins
// there are the best smallest margin for the players that bind.
RC_GTEST_PROP(DealProperty, MaximinPackageAttainsTheMaximinMargin, ()) {
  const Scenario s = *gen_deal_scenario();
  const DealResult r = analyse_deal(s);
  const double smallest = *std::min_element(r.maximin_margins.begin(), r.maximin_margins.end());
  RC_ASSERT(near(smallest, r.maximin_margin, 1e-7));
  for (std::size_t k = 0; k < s.issues.size(); ++k)
    if (s.issues[k].kind == Issue::Kind::numeric) RC_ASSERT(r.maximin[k] >= s.issues[k].min && r.maximin[k] <= s.issues[k].max);
}

// ---- determinism -------------------------------------------------------------------------------

TEST(DealDeterminism, MonteCarloIsBitIdenticalOnAnyNumberOfThreads) {
  const Scenario s = load_scenario(ENTENTE_SOURCE_DIR "/scenarios/istanbul-2025.yaml");
  DealOptions o;
  o.models = {"compromise", "median"};
  o.draws = 300;
  o.seed = 7;
  std::vector<DealResult> runs;
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    o.threads = threads;
    runs.push_back(analyse_deal(s, o));
  }
  const auto same_dist = [](const Distribution& a, const Distribution& b) {
    return a.n == b.n && (a.n == 0 || (a.mean == b.mean && a.sd == b.sd && a.q05 == b.q05 && a.q50 == b.q50 && a.q95 == b.q95));
  };
  for (std::size_t r = 1; r < runs.size(); ++r) {
    const auto &a = runs[0], &b = runs[r];
    EXPECT_EQ(a.draws_completed, 300u);
    EXPECT_EQ(a.p_possible, b.p_possible);
    EXPECT_EQ(a.p_pivotal, b.p_pivotal);
    EXPECT_TRUE(same_dist(a.maximin_margin_distribution, b.maximin_margin_distribution));
    for (std::size_t m = 0; m < a.models.size(); ++m) {
      EXPECT_EQ(a.models[m].p_acceptable, b.models[m].p_acceptable);
      EXPECT_EQ(a.models[m].p_blocks, b.models[m].p_blocks);
      EXPECT_EQ(a.models[m].nearest_draws, b.models[m].nearest_draws);
      for (std::size_t k = 0; k < s.issues.size(); ++k) {
        EXPECT_TRUE(same_dist(a.models[m].nearest_distribution[k], b.models[m].nearest_distribution[k]));
        EXPECT_EQ(a.models[m].nearest_options[k], b.models[m].nearest_options[k]);
      }
    }
    // The rendered documents too (the presentation layer's render of a DealResponse).
    const auto doc = [&](const DealResult& r) {
      DealResponse rsp;
      rsp.scenario = s;
      rsp.result = r;
      return render(rsp, Format::json);
    };
    EXPECT_EQ(doc(a), doc(b));
  }
  // Draws [0, 150) and [150, 300) are the first and second half of the same draws.
  o.threads = 2;
  o.draws = 150;
  const DealResult first = analyse_deal(s, o);
  o.first_draw = 150;
  const DealResult second = analyse_deal(s, o);
  EXPECT_DOUBLE_EQ(0.5 * (first.p_possible + second.p_possible), runs[0].p_possible);
}

TEST(DealDeterminism, CancelStopsWithAPartialResult) {
  const Scenario s = load_scenario(ENTENTE_SOURCE_DIR "/scenarios/istanbul-2025.yaml");
  std::atomic<bool> cancel{true};
  DealOptions o;
  o.draws = 1000;
  o.cancel = &cancel;
  const DealResult r = analyse_deal(s, o);
  EXPECT_TRUE(r.partial);
  EXPECT_LT(r.draws_completed, 1000u);
}

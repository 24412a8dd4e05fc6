// to_yaml / to_json: loading what they write gives back an equal Scenario.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "entente/scenario.hpp"
#include "scenario/scenario_eq.hpp"

using namespace entente;
using entente::testing::scenario_diff;

namespace {

std::string data(const std::string& name) { return std::string(ENTENTE_TEST_DATA) + "/scenario/" + name; }

// ---- a generator of valid scenarios -------------------------------------------------------------

// Text with the characters that trouble YAML and JSON writers: quotes, colons, hashes,
// brackets, backslashes, newlines, tabs, leading/trailing spaces, keywords, UTF-8.
rc::Gen<std::string> gen_text() {
  static const std::vector<std::string> tokens = {
      "a", "Z", "word", " ", "  ", "0", "42", "-", "_", ":", ": ", "#", " #", "'", "\"", "\\", "{", "}", "[", "]",
      ",", "&", "*", "!", "|", ">", "%", "@", "`", "?", "\n", "\t", "\r", "é", "中", "—", "\u2028", "true", "null",
      "no", "~", ".nan", "1e3", "---", "..."};
  return rc::gen::map(rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, tokens.size())),
                      [](const std::vector<std::size_t>& ix) {
                        std::string s;
                        for (auto i : ix) s += tokens[i];
                        return s;
                      });
}

// Doubles in [lo, hi], including awkward binary fractions like 0.1 + 0.2.
double pick(double lo, double hi) {
  const int kind = *rc::gen::inRange(0, 4);
  const double t = kind == 0 ? 0.0 : kind == 1 ? 1.0 : static_cast<double>(*rc::gen::inRange(0, 1000001)) / 1e6;
  double v = lo + (hi - lo) * t;
  if (kind == 3) v = lo + (hi - lo) * (0.1 + 0.2) / 3.0;
  return std::clamp(v, lo, hi);
}

Quantity gen_quantity(double lo, double hi, const std::vector<Source>& sources, bool unbounded_high = false) {
  Quantity q;
  const double top = unbounded_high ? lo + 1000 : hi;
  q.value = pick(lo, top);
  switch (*rc::gen::inRange(0, 3)) {
    case 1: q.evidence.judgment = *gen_text(); break;
    case 2:
      if (!sources.empty()) {
        q.evidence.source = sources[*rc::gen::inRange<std::size_t>(0, sources.size())].id;
        q.evidence.quote = *gen_text();
      }
      break;
    default: break;
  }
  if (!q.evidence.present()) q.evidence.quote.clear();
  auto& u = q.uncertainty;
  switch (*rc::gen::inRange(0, 5)) {
    case 1: u.kind = Uncertainty::Kind::range; break;
    case 2: u.kind = Uncertainty::Kind::uniform; break;
    case 3: u.kind = Uncertainty::Kind::triangular; break;
    case 4: u.kind = Uncertainty::Kind::normal; break;
    default: return q;
  }
  u.low = pick(lo, q.value);
  u.high = pick(q.value, top);
  u.mode = pick(u.low, u.high);
  if (u.kind == Uncertainty::Kind::normal) {
    u.mean = *rc::gen::element(0, 1) ? q.value : u.mode;
    u.sd = pick(0.001, 10);
    if (unbounded_high && *rc::gen::element(0, 1)) u.high = std::numeric_limits<double>::infinity();
  }
  return q;
}

rc::Gen<Scenario> gen_scenario() {
  return rc::gen::exec([] {
    Scenario s;
    s.title = *gen_text();
    s.description = *gen_text();
    if (*rc::gen::element(0, 1)) s.as_of = "2025-05-28";
    const auto n_sources = *rc::gen::inRange<std::size_t>(0, 3);
    for (std::size_t k = 0; k < n_sources; ++k)
      s.sources.push_back(Source{fmt::format("src-{}", k), *gen_text(), *gen_text(), "2024-01-31", *gen_text(), "", {}});
    const auto n_issues = *rc::gen::inRange<std::size_t>(1, 4);
    for (std::size_t i = 0; i < n_issues; ++i) {
      Issue is;
      is.id = fmt::format("issue_{}", i);
      is.name = *gen_text();
      is.description = *gen_text();
      if (*rc::gen::inRange(0, 3) == 0) {
        is.kind = Issue::Kind::categorical;
        const auto n_opt = *rc::gen::inRange<std::size_t>(2, 5);
        for (std::size_t o = 0; o < n_opt; ++o) is.options.push_back(fmt::format("{}{}", *gen_text(), o));
        is.min = 0;
        is.max = static_cast<double>(n_opt - 1);
      } else {
        is.min = pick(-100, 100);
        is.max = is.min + pick(0.5, 1000);
        const auto n_pts = *rc::gen::inRange(0, 3);
        for (int p = 0; p < n_pts; ++p) is.points.push_back({pick(is.min, is.max), *gen_text()});
        std::stable_sort(is.points.begin(), is.points.end(),
                         [](const ScalePoint& a, const ScalePoint& b) { return a.value < b.value; });
        if (*rc::gen::element(0, 1)) is.status_quo = pick(is.min, is.max);
      }
      s.issues.push_back(is);
    }
    const auto n_actors = *rc::gen::inRange<std::size_t>(1, 4);
    for (std::size_t a = 0; a < n_actors; ++a) {
      Actor ac;
      ac.id = fmt::format("actor-{}", a);
      ac.name = *gen_text();
      ac.description = *gen_text();
      ac.capability = gen_quantity(0, 0, s.sources, true);
      for (std::size_t i = 0; i < n_issues; ++i) {
        // The first actor holds every issue, so none is unheld.
        if (a > 0 && *rc::gen::inRange(0, 4) == 0) {
          ac.stances.emplace_back();
          continue;
        }
        const Issue& is = s.issues[i];
        Stance st;
        if (is.kind == Issue::Kind::numeric) {
          st.position = gen_quantity(is.min, is.max, s.sources);
        } else {
          for (std::size_t o = 0; o < is.options.size(); ++o) st.utilities.push_back(gen_quantity(0, 1, s.sources));
        }
        st.salience = gen_quantity(0, 1, s.sources);
        if (*rc::gen::element(0, 1)) st.capability = gen_quantity(0, 0, s.sources, true);
        // No-deal points (issue 13): numeric ones are numbers like positions; a categorical one
        // names an option and takes evidence but no uncertainty.
        if (*rc::gen::inRange(0, 3) == 0) {
          if (is.kind == Issue::Kind::numeric) {
            st.no_deal = gen_quantity(is.min, is.max, s.sources);
          } else {
            Quantity q = gen_quantity(0, 0, s.sources);
            q.uncertainty = {};
            q.value = static_cast<double>(*rc::gen::inRange<std::size_t>(0, is.options.size()));
            st.no_deal = q;
          }
        }
        ac.stances.push_back(st);
      }
      // Veto players: on everything, or on the issues they hold (ids in a random order); a
      // numeric issue without a status quo needs their no-deal point.
      switch (*rc::gen::inRange(0, 3)) {
        case 1: ac.veto = Veto{true, {}, {}}; break;
        case 2: {
          Veto v;
          for (std::size_t i = 0; i < n_issues; ++i)
            if (ac.stances[i] && *rc::gen::element(0, 1)) v.issues.push_back(s.issues[i].id);
          if (!v.issues.empty()) {
            std::reverse(v.issues.begin(), v.issues.end());
            ac.veto = v;
          }
          break;
        }
        default: break;
      }
      if (ac.veto)
        for (std::size_t i = 0; i < n_issues; ++i) {
          const Issue& is = s.issues[i];
          const bool vetoed = ac.veto->all || std::count(ac.veto->issues.begin(), ac.veto->issues.end(), is.id);
          if (vetoed && ac.stances[i] && is.kind == Issue::Kind::numeric && !is.status_quo && !ac.stances[i]->no_deal)
            ac.stances[i]->no_deal = gen_quantity(is.min, is.max, s.sources);
        }
      if (*rc::gen::inRange(0, 3) == 0) ac.no_deal_cost = gen_quantity(0, 0, s.sources, true);
      s.actors.push_back(ac);
    }
    if (*rc::gen::element(0, 1)) s.model_params["bdm"] = {{"rounds", "10"}, {"note", *gen_text()}};
    if (*rc::gen::element(0, 1)) s.seed = *rc::gen::arbitrary<std::uint64_t>();
    return s;
  });
}

}  // namespace

TEST(Writer, YamlRoundTripOfTheExample) {
  const Scenario s = load_scenario(data("istanbul.yaml"));
  const std::string yaml = to_yaml(s);
  const Scenario back = parse_scenario(yaml, "out.yaml");
  EXPECT_EQ(scenario_diff(s, back), "") << yaml;
  EXPECT_EQ(back.format, "yaml");
  EXPECT_EQ(to_yaml(back), yaml);  // stable
}

TEST(Writer, JsonRoundTripOfTheExample) {
  const Scenario s = load_scenario(data("istanbul.yaml"));
  const std::string json = to_json(s);
  EXPECT_TRUE(nlohmann::json::accept(json)) << json;  // strict JSON
  const Scenario back = parse_scenario(json, "out.json");
  EXPECT_EQ(back.format, "json");
  EXPECT_EQ(scenario_diff(s, back), "") << json;
}

TEST(Writer, ShortestRoundTripNumbers) {
  Scenario s = load_scenario(data("evidenced.yaml"));
  s.actors[0].stances[0]->salience.value = 0.1 + 0.2;  // 0.30000000000000004
  s.actors[1].capability.value = 1e-7;
  const std::string yaml = to_yaml(s);
  EXPECT_NE(yaml.find("value: 0.30000000000000004"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("value: 1e-07"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("value: 0.6,"), std::string::npos) << yaml;  // not 0.59999999999999998
  const Scenario back = parse_scenario(yaml, "out.yaml");
  EXPECT_EQ(back.actors[0].stances[0]->salience.value, 0.1 + 0.2);
  EXPECT_EQ(back.actors[1].capability.value, 1e-7);
}

TEST(Writer, YamlLooksLikeTheSchema) {
  const std::string yaml = to_yaml(load_scenario(data("istanbul.yaml")));
  EXPECT_NE(yaml.find("issues:\n  - id: regions\n    name: The four regions\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    options: [Istanbul, Vatican, Geneva]\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("capability: {value: 100, evidence: {judgment: largest army in the conflict}, "
                      "uncertainty: {range: [80, 120]}}"),
            std::string::npos)
      << yaml;
  // Saliences are written on the 0-1 scale, without salience_scale.
  EXPECT_EQ(yaml.find("salience_scale"), std::string::npos);
  EXPECT_NE(yaml.find("salience: 0.3\n"), std::string::npos) << yaml;
}

RC_GTEST_PROP(WriterProperty, YamlRoundTrip, ()) {
  const Scenario s = *gen_scenario();
  validate(s);  // the generator makes valid scenarios
  const std::string yaml = to_yaml(s);
  Scenario back;
  try {
    back = parse_scenario(yaml, "gen.yaml");
  } catch (const InputError& e) {
    RC_FAIL(std::string(e.what()) + "\n" + yaml);
  }
  RC_ASSERT(scenario_diff(s, back) == "");
  RC_ASSERT(to_yaml(back) == yaml);
}

RC_GTEST_PROP(WriterProperty, JsonRoundTrip, ()) {
  const Scenario s = *gen_scenario();
  const std::string json = to_json(s);
  Scenario back;
  try {
    back = parse_scenario(json, "gen.json");
  } catch (const InputError& e) {
    RC_FAIL(std::string(e.what()) + "\n" + json);
  }
  RC_ASSERT(scenario_diff(s, back) == "");
  RC_ASSERT(nlohmann::json::accept(json));
}

TEST(Writer, InvalidUtf8IsWrittenAsLatin1) {
  // An imported Latin-1 table can carry bytes that are not UTF-8; JSON must stay valid.
  Scenario s = load_scenario(data("evidenced.yaml"));
  s.actors[0].name = "Fran\xe7ois \x85 end";  // Latin-1 c-cedilla and a C1 byte
  const std::string json = to_json(s);
  EXPECT_TRUE(nlohmann::json::accept(json)) << json;
  const Scenario back = parse_scenario(to_yaml(s), "out.yaml");
  EXPECT_EQ(back.actors[0].name, "Fran\xc3\xa7ois \xc2\x85 end");
}

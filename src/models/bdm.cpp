// Model "bdm": Bueno de Mesquita's expected-utility ("challenge") model, Scholz et al. (2011) as
// implemented by jmckib (the replication that reproduces the published numbers). Each numeric
// issue is an independent run; the algorithm lives in bdm_core.hpp / bdm_fast.cpp / bdm_direct.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "entente/model.hpp"
#include "models/bdm_core.hpp"
#include "models/budget.hpp"

namespace entente {
namespace {

using bdm::Options;
using PT = ParamSpec::Type;

ParamSpec choice(std::string name, std::vector<std::string> choices, std::string description) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = PT::choice;
  p.default_value = choices.front();
  p.choices = std::move(choices);
  p.description = std::move(description);
  return p;
}
ParamSpec number(std::string name, PT type, std::string def, double lo, double hi, std::string description) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(def);
  p.min = lo;
  p.max = hi;
  p.description = std::move(description);
  return p;
}

ModelInfo make_info() {
  ModelInfo m;
  m.name = "bdm";
  m.title = "Bueno de Mesquita's expected-utility (challenge) model (Scholz et al. 2011, jmckib)";
  m.description =
      "Each round every actor weighs, for every other actor, the expected utility of challenging it "
      "against that of being challenged by it (Scholz, Calbert & Smith 2011, eqs. 14-36); the "
      "probability of winning comes from the capability- and salience-weighted votes of all actors, "
      "risk exponents from each actor's danger sum. Actors accept the best offer (confrontation, "
      "compromise, capitulation) and move simultaneously. Defaults reproduce jmckib's replication, "
      "which matches BDM (1994) and Scholz's Table 2. Forecast: the c*s-weighted median after the "
      "last round. See docs/models/bdm.md.";
  m.params = {
      number("rounds", PT::integer, "10", 0, 100000, "number of rounds (maximum with stop=median_shift)"),
      choice("probability", {"global", "pairwise"},
             "A1: global = one normaliser Z over all pairs and voters, votes use d^r (jmckib); "
             "pairwise = Scholz eq. 31 as printed (per pair, linear, P_ab + P_ba = 1)"),
      choice("perspective", {"receiver", "own"},
             "A2: e2 = EU(j->i) with the receiver's risk exponent (jmckib) or j's own (Scholz fig. 6, eum)"),
      choice("salience", {"target", "challenger"},
             "A3: salience in e2 = EU(j->i): the target's s_i (eq. 6, jmckib) or s_j as printed in eq. 25b (eum)"),
      choice("security", {"actors", "positions"},
             "A4: R_i normalised by the max/min danger over actors (eq. 34, jmckib) or over the held "
             "positions i could take (BDM 1985's own best and worst portfolios)"),
      choice("capitulation", {"off", "on"}, "A5: off = the reference's typo disables the capitulation branch"),
      choice("compromise", {"key", "least_move"},
             "A6: choose the compromise with the smallest weighted position (jmckib) or the smallest move (Scholz, eum)"),
      choice("compromise_position", {"proportional", "weighted"},
             "A6: new position x_i + (x_j - x_i)|e1/e2| (eq. 36) or the weighted position (eum)"),
      choice("update", {"simultaneous", "sequential"},
             "A7: all actors move at once (Scholz, jmckib) or in input order, each re-evaluating (Masad); sequential costs n times more"),
      choice("median", {"lower", "midpoint"},
             "A8: on an exact tie of the weighted median take the lower position or the midpoint"),
      number("q", PT::real, "1", 0, 1, "A9: probability of no challenge (Scholz used 1; BDM 1986/2009 used 0.5)"),
      [] {
        ParamSpec p;
        p.name = "t";
        p.type = PT::text;
        p.default_value = "rule";
        p.description = "A9 (Q < 1): 'rule' = T is 1 iff |x_i - median| < |x_i - x_j| (Scholz figs. 1-4), or a number in [0,1]";
        return p;
      }(),
      choice("q_form", {"scholz", "jmckib"},
             "A9 (Q < 1): subtract Q*U_sq + (1-Q)[T*U_b + (1-T)*U_w] (Scholz eq. 25a) or Q*U_sq only (jmckib)"),
      choice("range", {"initial", "current", "scale"},
             "A10: Delta = range of the initial positions (jmckib, eum), of the current ones, or the issue's scale"),
      number("tolerance", PT::real, "0", 0, 1e308,
             "A11: positions closer than this (issue units) count as equal: no contest (eum uses 1e-4)"),
      choice("stop", {"fixed", "median_shift"},
             "A12: run all rounds (Scholz) or stop when the median moves by at most epsilon*Delta for k rounds (BDM's informal rule)"),
      number("epsilon", PT::real, "0.01", 0, 1e308, "median_shift stop: threshold as a fraction of Delta"),
      number("k", PT::integer, "2", 1, 100000, "median_shift stop: consecutive calm rounds"),
      choice("offers", {"all", "selected", "none"}, "when offers are recorded (trace --offers): all classified offers or only the selected ones; none = never"),
      choice("algorithm", {"fast", "direct"},
             "fast = O(n^2)-per-round rearrangement; direct = the spec's sums, O(n^3) per round (a cross-check)"),
  };
  m.has_rounds = true;
  m.stochastic = false;
  m.categorical = false;
  m.trace_layout = ModelInfo::TraceLayout::per_issue_wide;
  m.round_label = "round";
  return m;
}

Diagnostic param_error(std::string_view key, std::string expected, std::string found) {
  return Diagnostic{{"<parameters>", 0, 0}, fmt::format("param.{}", key), std::move(expected), std::move(found), {}};
}

Options options_from(const Params& p) {
  Options o;
  o.rounds = static_cast<int>(p.integer("rounds"));
  o.probability = p.text("probability") == "pairwise" ? bdm::Probability::pairwise : bdm::Probability::global;
  o.perspective = p.text("perspective") == "own" ? bdm::Perspective::own : bdm::Perspective::receiver;
  o.salience = p.text("salience") == "challenger" ? bdm::ChallengeSalience::challenger : bdm::ChallengeSalience::target;
  o.security = p.text("security") == "positions" ? bdm::Security::positions : bdm::Security::actors;
  o.capitulation = p.text("capitulation") == "on";
  o.compromise = p.text("compromise") == "least_move" ? bdm::CompromiseChoice::least_move : bdm::CompromiseChoice::key;
  o.compromise_position = p.text("compromise_position") == "weighted" ? bdm::CompromisePosition::weighted
                                                                      : bdm::CompromisePosition::proportional;
  o.update = p.text("update") == "sequential" ? bdm::Update::sequential : bdm::Update::simultaneous;
  o.median = p.text("median") == "midpoint" ? bdm::MedianRule::midpoint : bdm::MedianRule::lower;
  o.Q = p.real("q");
  const std::string t = p.text("t");
  if (t == "rule") {
    o.T = -1;
  } else {
    double v = 0;
    const char* b = t.data();
    const char* e = t.data() + t.size();
    auto [ptr, ec] = std::from_chars(b, e, v);
    if (t.empty() || ec != std::errc() || ptr != e || !(v >= 0 && v <= 1))
      throw InputError(param_error("t", "'rule' or a number in [0, 1]", fmt::format("'{}'", t)));
    o.T = v;
  }
  o.q_form = p.text("q_form") == "jmckib" ? bdm::QForm::jmckib : bdm::QForm::scholz;
  const std::string range = p.text("range");
  o.range = range == "current" ? bdm::Range::current : range == "scale" ? bdm::Range::scale : bdm::Range::initial;
  o.tolerance = p.real("tolerance");
  o.stop = p.text("stop") == "median_shift" ? bdm::Stop::median_shift : bdm::Stop::fixed;
  o.epsilon = p.real("epsilon");
  o.k = static_cast<int>(p.integer("k"));
  const std::string offers = p.text("offers");
  o.offers = offers == "none" ? bdm::OfferLog::none : offers == "selected" ? bdm::OfferLog::selected : bdm::OfferLog::all;
  o.algorithm = p.text("algorithm") == "direct" ? bdm::Algorithm::direct : bdm::Algorithm::fast;
  return o;
}

class BdmModel final : public Model {
 public:
  [[nodiscard]] const ModelInfo& info() const override {
    static const ModelInfo info = make_info();
    return info;
  }

  [[nodiscard]] Result run(const Scenario& sc, const Params& params, std::uint64_t /*seed*/,
                           const RunContext& context) const override {
    Options o = options_from(params);
    if (!context.record.event("offer")) o.offers = bdm::OfferLog::none;  // nobody reads them: never built
    o.cancel = context.cancel;
    const std::size_t ni = sc.issues.size(), na = sc.actors.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Result res;
    res.forecasts.resize(ni);

    // Inputs per issue; bad numbers are the user's (InputError), listed all at once.
    struct IssueInput {
      std::vector<std::size_t> actors;  // scenario indices of the actors present
      bdm::Problem pb;
      std::vector<double> x0;
      bool numeric = true;
    };
    std::vector<IssueInput> in(ni);
    DiagnosticSink sink;
    for (std::size_t q = 0; q < ni; ++q) {
      const Issue& issue = sc.issues[q];
      in[q].numeric = issue.kind == Issue::Kind::numeric;
      if (!in[q].numeric) continue;
      for (std::size_t a = 0; a < na; ++a) {
        const Stance* st = sc.stance(a, q);
        if (!st) continue;
        const double x = st->position.value, s = st->salience.value, c = sc.capability(a, q);
        const std::string field = fmt::format("actors.{}.issues.{}", sc.actors[a].id, issue.id);
        if (!std::isfinite(x)) sink.add(st->position.where, field + ".position", "a finite number", fmt::format("{}", x));
        if (!(s >= 0 && s <= 1))
          sink.add(st->salience.where, field + ".salience", "a salience in [0, 1]", fmt::format("{}", s));
        if (!(c >= 0 && std::isfinite(c)))
          sink.add(sc.actors[a].capability.where, field + ".capability", "a finite capability >= 0", fmt::format("{}", c));
        in[q].actors.push_back(a);
        in[q].pb.c.push_back(c);
        in[q].pb.s.push_back(s);
        in[q].x0.push_back(x);
      }
    }
    sink.throw_if_any();

    // Memory before the run (docs/limits.md): every issue keeps positions and risks (2 doubles per
    // actor) for every round until the end; one round works in 5 n x n matrices and n^2 offers
    // (direct) or in tiles of at most tile_budget doubles (fast).
    {
      std::size_t largest = 0;
      for (const auto& q : in) largest = std::max(largest, q.actors.size());
      const double n = static_cast<double>(largest);
      const double kept = static_cast<double>(ni) * (o.rounds + 1.0) * static_cast<double>(na) * 16.0;
      const double round = o.algorithm == bdm::Algorithm::direct
                               ? 72.0 * n * n
                               : std::min(8.0 * static_cast<double>(o.tile_budget), 16.0 * n * n);
      detail::check_memory("bdm", kept + round, fmt::format("{} actors, {} issues and {} rounds", na, ni, o.rounds),
                           "fewer rounds, issues or actors need less");
    }
    std::vector<bdm::IssueRun> runs(ni);
    std::size_t nrounds = 1;
    for (std::size_t q = 0; q < ni; ++q) {
      Forecast& f = res.forecasts[q];
      if (!in[q].numeric) {
        f.defined = false;
        f.note = "bdm forecasts numeric issues only";
        continue;
      }
      if (in[q].actors.empty()) {
        f.defined = false;
        f.note = "no actor takes a position on this issue";
        continue;
      }
      context.check_cancel();
      runs[q] = bdm::run_issue(in[q].pb, in[q].x0, sc.issues[q].max - sc.issues[q].min, o);
      const auto& last = runs[q].rounds.back();
      f.value = last.median;
      f.extras = {{"median", last.median}, {"mean", last.mean}};
      nrounds = std::max(nrounds, runs[q].rounds.size());
    }

    // The forecast (the median) after each round; an issue stopped by the median_shift rule has
    // settled by that rule.
    res.path.assign(ni, {});
    for (std::size_t q = 0; q < ni; ++q) {
      if (!res.forecasts[q].defined) continue;
      for (const auto& rec : runs[q].rounds) res.path[q].push_back(rec.median);
      if (o.stop == bdm::Stop::median_shift && static_cast<int>(runs[q].rounds.size()) - 1 < o.rounds)
        res.forecasts[q].convergence.state = Convergence::State::settled;
    }
    res.diagnostics.emplace_back("rounds", static_cast<double>(nrounds - 1));
    if (!context.record.rounds && !context.record.any_event()) return res;

    // The trace: per round, positions and risk exponents [issue][actor] (NaN = absent, round 0's
    // risk, or rounds after an issue stopped early), median and mean per issue, and the offers.
    res.trace.rounds.resize(nrounds);
    for (std::size_t t = 0; t < nrounds; ++t) {
      Round& R = res.trace.rounds[t];
      R.index = static_cast<int>(t);
      ActorSeries pos{"position", "x", std::vector<std::vector<double>>(ni, std::vector<double>(na, nan))};
      ActorSeries risk{"risk", "r", std::vector<std::vector<double>>(ni, std::vector<double>(na, nan))};
      IssueSeries med{"median", std::vector<double>(ni, nan)};
      IssueSeries mean{"mean", std::vector<double>(ni, nan)};
      for (std::size_t q = 0; q < ni; ++q) {
        if (t >= runs[q].rounds.size()) continue;
        const auto& rec = runs[q].rounds[t];
        const auto& ids = in[q].actors;
        for (std::size_t k = 0; k < ids.size(); ++k) {
          pos.data[q][ids[k]] = rec.x[k];
          if (!rec.r.empty()) risk.data[q][ids[k]] = rec.r[k];
        }
        med.data[q] = rec.median;
        mean.data[q] = rec.mean;
        for (const auto& f : rec.offers) {
          Event e;
          e.kind = "offer";
          e.fields = {{"issue", sc.issues[q].id},
                      {"from", sc.actors[ids[static_cast<std::size_t>(f.from)]].id},
                      {"to", sc.actors[ids[static_cast<std::size_t>(f.to)]].id},
                      {"type", std::string(bdm::to_string(f.type))},
                      {"new_position", f.new_position},
                      {"selected", static_cast<long long>(f.selected ? 1 : 0)}};
          R.events.push_back(std::move(e));
        }
      }
      if (!context.record.rounds) continue;
      R.actor_series.push_back(std::move(pos));
      R.actor_series.push_back(std::move(risk));
      R.issue_series.push_back(std::move(med));
      R.issue_series.push_back(std::move(mean));
    }
    return res;
  }
};

}  // namespace
ENTENTE_REGISTER_MODEL(BdmModel);
}  // namespace entente

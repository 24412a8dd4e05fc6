// Expert panels (include/entente/merge.hpp, docs/importers.md "Expert panels").
//
// Why the median and a triangular distribution over the experts' range: panels are small (three
// to seven experts), so a mean and a standard deviation would rest on too few values and one
// expert who misread a scale would drag the mean; the median ignores a lone outlier. The
// triangular distribution keeps every draw inside what some expert actually said (never outside
// the issue's scale) and puts the most weight on the panel's centre. With two experts the median
// is their mean and the triangle is symmetric.
#include "entente/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "scenario/import_util.hpp"

namespace entente {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string num(double v) { return fmt::format("{:.6g}", v); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The interval an expert's own uncertainty spans (a normal: mean +- 2 sd, within its bounds).
std::pair<double, double> own_bounds(const Quantity& q, double scale, double lo, double hi) {
  const auto& u = q.uncertainty;
  double a = q.value, b = q.value;
  switch (u.kind) {
    case Uncertainty::Kind::none: break;
    case Uncertainty::Kind::range:
    case Uncertainty::Kind::uniform:
    case Uncertainty::Kind::triangular:
      a = u.low;
      b = u.high;
      break;
    case Uncertainty::Kind::normal:
      a = std::max(u.low, u.mean - 2 * u.sd);
      b = std::min(u.high, u.mean + 2 * u.sd);
      break;
  }
  return {std::max(lo, std::min(a, q.value) * scale), std::min(hi, std::max(b, q.value) * scale)};
}

std::string brief(const Evidence& e, const Scenario& s) {
  std::string out;
  if (!e.source.empty()) {
    std::string title = e.source;
    for (const auto& src : s.sources)
      if (src.id == e.source && !src.title.empty()) title = src.title;
    out = "source: " + title;
    if (!e.quote.empty()) out += fmt::format(" \"{}\"", e.quote);
  }
  if (!e.judgment.empty()) out += (out.empty() ? "" : "; ") + e.judgment;
  if (out.size() > 160) out = out.substr(0, 157) + "...";
  return out;
}

struct Value {
  std::size_t expert;
  const Quantity* q;
  double scale = 1;  // capability: the expert's factor to the first expert's units
};

class Merger {
 public:
  explicit Merger(const std::vector<Expert>& experts) : ex_(experts) {}

  PanelResult run() {
    if (ex_.size() < 2)
      throw InputError(Diagnostic{SourceLocation{ex_.empty() ? std::string("<panel>") : ex_[0].file}, "experts",
                                  "two or more experts' files", fmt::format("{}", ex_.size()), {}});
    names_unique();
    collect();
    capability_factors();
    PanelResult r;
    for (const auto& e : ex_) r.experts.emplace_back(e.name, e.file);
    Scenario& s = r.scenario;
    const auto& first = ex_[0].scenario;
    const bool one_title = std::all_of(ex_.begin(), ex_.end(), [&](const Expert& e) { return e.scenario.title == first.title; });
    std::string names;
    for (const auto& e : ex_) names += (names.empty() ? "" : ", ") + e.name;
    s.title = one_title && !first.title.empty() ? first.title : "Expert panel: " + names;
    s.as_of = first.as_of;
    s.model_params = first.model_params;
    s.format = "panel";
    s.origin = "<panel>";
    std::string who;
    for (const auto& e : ex_) who += (who.empty() ? "" : ", ") + fmt::format("{} ({})", e.name, e.file);
    s.description = fmt::format(
        "Merged by entente merge from {} experts: {}. Each number is the median of the experts who gave it; its "
        "uncertainty is triangular over their range with the mode at the median.",
        ex_.size(), who);
    for (const auto& e : ex_) {
      Source src;
      src.id = ids_.take("expert-" + detail::slug(e.name, "expert"));
      src.title = fmt::format("Estimates of expert {}", e.name);
      src.file = e.file;
      s.sources.push_back(src);
    }
    merge_issues(s);
    merge_actors(s);
    gaps(r);
    std::stable_sort(spreads_.begin(), spreads_.end(),
                     [](const PanelSpread& a, const PanelSpread& b) { return a.relative > b.relative; });
    r.spreads = std::move(spreads_);
    r.notes = std::move(notes_);
    s.warnings.clear();
    validate(s);
    return r;
  }

 private:
  const std::vector<Expert>& ex_;
  std::vector<std::string> issue_ids_, actor_ids_;                // panel order: first appearance
  std::vector<std::map<std::string, std::size_t>> issue_at_, actor_at_;  // per expert: id -> index
  std::vector<double> factor_;
  std::vector<PanelSpread> spreads_;
  std::vector<std::string> notes_;
  detail::IdAllocator ids_;

  [[noreturn]] void fail(const std::string& field, std::string expected, std::string found, std::string message = {}) {
    throw InputError(Diagnostic{SourceLocation{"<panel>"}, field, std::move(expected), std::move(found), std::move(message)});
  }

  void names_unique() {
    std::set<std::string> seen;
    for (const auto& e : ex_)
      if (!seen.insert(e.name).second)
        fail("experts", "a different name for each expert", fmt::format("'{}' twice", e.name),
             "files with the same name in different folders: rename one");
  }

  void collect() {
    issue_at_.resize(ex_.size());
    actor_at_.resize(ex_.size());
    for (std::size_t e = 0; e < ex_.size(); ++e) {
      const Scenario& s = ex_[e].scenario;
      for (std::size_t i = 0; i < s.issues.size(); ++i) {
        issue_at_[e][s.issues[i].id] = i;
        if (std::find(issue_ids_.begin(), issue_ids_.end(), s.issues[i].id) == issue_ids_.end())
          issue_ids_.push_back(s.issues[i].id);
      }
      for (std::size_t a = 0; a < s.actors.size(); ++a) {
        actor_at_[e][s.actors[a].id] = a;
        if (std::find(actor_ids_.begin(), actor_ids_.end(), s.actors[a].id) == actor_ids_.end())
          actor_ids_.push_back(s.actors[a].id);
      }
    }
  }

  std::optional<std::size_t> issue_in(std::size_t e, const std::string& id) const {
    const auto it = issue_at_[e].find(id);
    return it == issue_at_[e].end() ? std::nullopt : std::optional<std::size_t>(it->second);
  }
  std::optional<std::size_t> actor_in(std::size_t e, const std::string& id) const {
    const auto it = actor_at_[e].find(id);
    return it == actor_at_[e].end() ? std::nullopt : std::optional<std::size_t>(it->second);
  }

  // Capabilities are ratios: each expert's are put on the first expert's units, so that the
  // actors every expert rated have the same total capability in every file.
  void capability_factors() {
    std::vector<std::string> common;
    for (const auto& id : actor_ids_) {
      bool all = true;
      for (std::size_t e = 0; e < ex_.size(); ++e) all = all && actor_in(e, id).has_value();
      if (all) common.push_back(id);
    }
    if (common.empty())
      fail("actors", "at least one actor that every expert rated (capabilities are compared through them)", "none");
    std::vector<double> total(ex_.size(), 0.0);
    for (std::size_t e = 0; e < ex_.size(); ++e)
      for (const auto& id : common) total[e] += ex_[e].scenario.actors[*actor_in(e, id)].capability.value;
    factor_.assign(ex_.size(), 1.0);
    for (std::size_t e = 1; e < ex_.size(); ++e) {
      if (total[e] == total[0]) continue;
      if (total[e] == 0 || total[0] == 0)
        fail("capability", "capabilities that can be compared (a positive total over the actors every expert rated)",
             fmt::format("a total of {} for {} and {} for {}", num(total[0]), ex_[0].name, num(total[e]), ex_[e].name));
      factor_[e] = total[0] / total[e];
      notes_.push_back(fmt::format(
          "{}'s capabilities are multiplied by {} to {}'s units (the actors every expert rated total {} in both)",
          ex_[e].name, num(factor_[e]), ex_[0].name, num(total[0])));
    }
  }

  // The panel's quantity from the experts' values; records the spread when two or more gave it.
  Quantity combine(const std::vector<Value>& vs, double lo, double hi, double range, PanelSpread spread) {
    std::vector<double> values;
    double a = kInf, b = -kInf;
    std::string judgment;
    for (const auto& v : vs) {
      const double x = v.q->value * v.scale;
      values.push_back(x);
      const auto [ol, oh] = own_bounds(*v.q, v.scale, lo, hi);
      a = std::min(a, ol);
      b = std::max(b, oh);
      spread.values.emplace_back(ex_[v.expert].name, x);
      std::string ev = brief(v.q->evidence, ex_[v.expert].scenario);
      judgment += fmt::format("{}{} {}{}", judgment.empty() ? "" : ", ", ex_[v.expert].name, num(x),
                              ev.empty() ? "" : " [" + ev + "]");
    }
    Quantity q;
    q.value = median(values);
    a = std::min(a, q.value);
    b = std::max(b, q.value);
    if (a < b) {
      q.uncertainty.kind = Uncertainty::Kind::triangular;
      q.uncertainty.low = a;
      q.uncertainty.high = b;
      q.uncertainty.mode = q.value;
    }
    q.evidence.judgment = vs.size() == 1 ? fmt::format("only {} gave it: {}", ex_[vs[0].expert].name, judgment)
                                         : fmt::format("median of {} experts: {}", vs.size(), judgment);
    if (vs.size() >= 2) {
      const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
      spread.low = *mn;
      spread.high = *mx;
      spread.centre = q.value;
      const double r = range > 0 ? range : std::abs(*mx);
      spread.relative = r > 0 ? (*mx - *mn) / r : 0;
      spreads_.push_back(std::move(spread));
    }
    return q;
  }

  void merge_issues(Scenario& s) {
    for (const auto& id : issue_ids_) {
      std::vector<std::size_t> have;
      for (std::size_t e = 0; e < ex_.size(); ++e)
        if (issue_in(e, id)) have.push_back(e);
      const Issue& ref = ex_[have[0]].scenario.issues[*issue_in(have[0], id)];
      Issue is = ref;
      is.where = {};
      is.scale_from_data = false;
      for (std::size_t e : have) {
        const Issue& other = ex_[e].scenario.issues[*issue_in(e, id)];
        if (other.kind != ref.kind)
          fail(fmt::format("issues.{}", id), fmt::format("the same kind of issue for every expert ({} has it {})",
                                                         ex_[have[0]].name, kind(ref)),
               fmt::format("{} for {} ({})", kind(other), ex_[e].name, ex_[e].file));
        if (ref.kind == Issue::Kind::categorical && !same_options(ref, other))
          fail(fmt::format("issues.{}.options", id),
               fmt::format("the same options for every expert ({}: {})", ex_[have[0]].name, fmt::join(ref.options, ", ")),
               fmt::format("{} for {} ({})", fmt::join(other.options, ", "), ex_[e].name, ex_[e].file));
      }
      if (ref.kind == Issue::Kind::numeric) panel_scale(id, have, is);
      // The status quo, where experts give one: their median.
      std::vector<double> sq;
      for (std::size_t e : have)
        if (const auto& v = ex_[e].scenario.issues[*issue_in(e, id)].status_quo) sq.push_back(*v);
      if (!sq.empty()) is.status_quo = median(sq);
      s.issues.push_back(std::move(is));
    }
  }

  static const char* kind(const Issue& is) { return is.kind == Issue::Kind::numeric ? "numeric" : "categorical"; }

  static bool same_options(const Issue& a, const Issue& b) {
    std::set<std::string> x(a.options.begin(), a.options.end()), y(b.options.begin(), b.options.end());
    return x == y;
  }

  // Declared scales must agree; scales taken from data ranges are joined (noted); the panel's
  // scale is the declared one if any, else the union.
  void panel_scale(const std::string& id, const std::vector<std::size_t>& have, Issue& is) {
    std::optional<std::size_t> declared;
    double lo = kInf, hi = -kInf;
    for (std::size_t e : have) {
      const Issue& other = ex_[e].scenario.issues[*issue_in(e, id)];
      if (!other.scale_from_data) {
        if (declared) {
          const Issue& d = ex_[*declared].scenario.issues[*issue_in(*declared, id)];
          if (d.min != other.min || d.max != other.max)
            fail(fmt::format("issues.{}.scale", id),
                 fmt::format("one scale for every expert ({} uses [{}, {}])", ex_[*declared].name, num(d.min),
                             num(d.max)),
                 fmt::format("[{}, {}] for {} ({})", num(other.min), num(other.max), ex_[e].name, ex_[e].file),
                 "put every expert's positions on the same scale (Min and Max columns)");
        } else {
          declared = e;
        }
      }
      lo = std::min(lo, other.min);
      hi = std::max(hi, other.max);
    }
    if (declared) {
      const Issue& d = ex_[*declared].scenario.issues[*issue_in(*declared, id)];
      is.min = d.min;
      is.max = d.max;
      is.points = d.points;
    } else {
      is.min = lo;
      is.max = hi;
      notes_.push_back(fmt::format("issue '{}': no expert gave a scale; the panel's is [{}, {}], the range of all "
                                     "their positions (give Min and Max columns to set it)",
                                     id, num(lo), num(hi)));
    }
    // Every expert's positions must lie on the panel's scale (a declared scale and another
    // expert's data range may disagree).
    for (std::size_t e : have) {
      const auto i = *issue_in(e, id);
      for (const auto& a : ex_[e].scenario.actors)
        if (const auto& st = a.stances[i]; st && (st->position.value < is.min || st->position.value > is.max))
          throw InputError(Diagnostic{st->position.where.file.empty() ? SourceLocation{ex_[e].file} : st->position.where,
                                      fmt::format("actors.{}.issues.{}.position", a.id, id),
                                      fmt::format("a position on the panel's scale [{}, {}]", num(is.min), num(is.max)),
                                      num(st->position.value), fmt::format("expert {}", ex_[e].name)});
    }
  }

  void merge_actors(Scenario& s) {
    for (const auto& id : actor_ids_) {
      std::vector<std::size_t> have;
      for (std::size_t e = 0; e < ex_.size(); ++e)
        if (actor_in(e, id)) have.push_back(e);
      const Actor& ref = ex_[have[0]].scenario.actors[*actor_in(have[0], id)];
      Actor a;
      a.id = id;
      a.name = ref.name;
      for (std::size_t e : have)
        if (a.description.empty()) a.description = ex_[e].scenario.actors[*actor_in(e, id)].description;
      std::vector<Value> caps;
      for (std::size_t e : have) caps.push_back({e, &ex_[e].scenario.actors[*actor_in(e, id)].capability, factor_[e]});
      a.capability = combine(caps, 0, kInf, 0, spread(id, "", "capability", fmt::format("actors.{}.capability", id)));
      a.stances.resize(s.issues.size());
      for (std::size_t i = 0; i < s.issues.size(); ++i) a.stances[i] = stance(id, s.issues[i]);
      s.actors.push_back(std::move(a));
    }
  }

  static PanelSpread spread(std::string actor, std::string issue, std::string quantity, std::string field) {
    PanelSpread p;
    p.actor = std::move(actor);
    p.issue = std::move(issue);
    p.quantity = std::move(quantity);
    p.field = std::move(field);
    return p;
  }

  std::optional<Stance> stance(const std::string& actor, const Issue& is) {
    struct Given {
      std::size_t e;
      const Scenario* s;
      std::size_t a, i;
      const Stance* st;
    };
    std::vector<Given> given;
    for (std::size_t e = 0; e < ex_.size(); ++e) {
      const auto a = actor_in(e, actor);
      const auto i = issue_in(e, is.id);
      if (!a || !i) continue;
      const Stance* st = ex_[e].scenario.stance(*a, *i);
      if (st != nullptr) given.push_back({e, &ex_[e].scenario, *a, *i, st});
    }
    if (given.empty()) return std::nullopt;
    const std::string base = fmt::format("actors.{}.issues.{}", actor, is.id);
    Stance out;
    if (is.kind == Issue::Kind::numeric) {
      std::vector<Value> vs;
      for (const auto& g : given) vs.push_back({g.e, &g.st->position, 1.0});
      out.position = combine(vs, is.min, is.max, is.max - is.min, spread(actor, is.id, "position", base + ".position"));
    } else {
      // Utilities option by option, in the panel's option order (experts may list them in another).
      for (const auto& option : is.options) {
        std::vector<Value> vs;
        for (const auto& g : given) {
          const Issue& own = g.s->issues[g.i];
          const auto k = static_cast<std::size_t>(std::find(own.options.begin(), own.options.end(), option) -
                                                  own.options.begin());
          if (k < g.st->utilities.size()) vs.push_back({g.e, &g.st->utilities[k], 1.0});
        }
        out.utilities.push_back(combine(vs, 0, 1, 1,
                                        spread(actor, is.id, "utility of " + option,
                                               fmt::format("{}.utilities.{}", base, option))));
      }
    }
    std::vector<Value> sal;
    for (const auto& g : given) sal.push_back({g.e, &g.st->salience, 1.0});
    out.salience = combine(sal, 0, 1, 1, spread(actor, is.id, "salience", base + ".salience"));
    // A per-issue capability if any expert gives one; the others count with their actor capability.
    const bool per_issue = std::any_of(given.begin(), given.end(), [](const Given& g) { return g.st->capability.has_value(); });
    if (per_issue) {
      std::vector<Value> cs;
      for (const auto& g : given)
        cs.push_back({g.e, g.st->capability ? &*g.st->capability : &g.s->actors[g.a].capability, factor_[g.e]});
      out.capability = combine(cs, 0, kInf, 0, spread(actor, is.id, "issue capability", base + ".capability"));
    }
    return out;
  }

  void gaps(PanelResult& r) {
    const auto list = [&](const std::function<bool(std::size_t)>& has, PanelGap g) {
      for (std::size_t e = 0; e < ex_.size(); ++e) (has(e) ? g.have : g.lack).push_back(ex_[e].name);
      if (!g.lack.empty() && !g.have.empty()) r.gaps.push_back(std::move(g));
    };
    for (const auto& id : actor_ids_) list([&](std::size_t e) { return actor_in(e, id).has_value(); }, {"actor", id, "", {}, {}});
    for (const auto& id : issue_ids_) list([&](std::size_t e) { return issue_in(e, id).has_value(); }, {"issue", "", id, {}, {}});
    // Stances an expert left out although it rated both the actor and the issue.
    for (const auto& a : actor_ids_)
      for (const auto& i : issue_ids_) {
        PanelGap g{"stance", a, i, {}, {}};
        for (std::size_t e = 0; e < ex_.size(); ++e) {
          const auto ai = actor_in(e, a);
          const auto ii = issue_in(e, i);
          if (!ai || !ii) continue;
          (ex_[e].scenario.stance(*ai, *ii) != nullptr ? g.have : g.lack).push_back(ex_[e].name);
        }
        if (!g.lack.empty() && !g.have.empty()) r.gaps.push_back(std::move(g));
      }
  }
};

}  // namespace

PanelResult merge_experts(const std::vector<Expert>& experts) { return Merger(experts).run(); }

}  // namespace entente

// Invariants of a built Scenario. Used after parsing (native and imported formats) and after
// what-if edits, so every problem is checked on the data itself, not on one file syntax.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "entente/scenario.hpp"
#include "scenario/native_util.hpp"

namespace entente {
namespace detail {

std::string entry_path(std::string_view list, std::string_view id, std::size_t index) {
  if (!id.empty()) return fmt::format("{}.{}", list, id);
  return fmt::format("{}[{}]", list, index);
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 200) return {};  // no typo is that long; keeps the cost bounded
  std::string best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, std::min(word.size(), best.size()) / 3);
  return best_d <= limit && best_d < std::max(word.size(), best.size()) ? best : std::string{};
}

bool valid_issue_id(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

std::string interval(double lo, double hi) {
  if (std::isinf(hi)) return fmt::format("a number >= {}", num(lo));
  return fmt::format("a number in [{}, {}]", num(lo), num(hi));
}

class Checker {
 public:
  Checker(const Scenario& s, DiagnosticSink& sink) : s_(s), sink_(sink) {
    for (const auto& src : s.sources) {
      source_ids_.insert(src.id);
      if (after_as_of(src)) late_sources_.insert(src.id);
    }
  }

  void run() {
    const SourceLocation top{s_.origin, 0, 0};
    if (s_.issues.empty()) sink_.add(top, "issues", "at least one issue", "none", "an empty scenario");
    if (s_.actors.empty()) sink_.add(top, "actors", "at least one actor", "none", "an empty scenario");
    check_sources();
    check_issues();
    check_actors();
  }

 private:
  SourceLocation at(const SourceLocation& w) const {
    if (w.file.empty()) return SourceLocation{s_.origin, w.line, w.column};
    return w;
  }

  void check_sources() {
    std::set<std::string> seen;
    for (std::size_t k = 0; k < s_.sources.size(); ++k) {
      const auto& src = s_.sources[k];
      const std::string path = entry_path("sources", src.id, k);
      if (src.id.empty()) sink_.add(at({}), path + ".id", "a non-empty id", "an empty id");
      else if (!seen.insert(src.id).second)
        sink_.add(at({}), path + ".id", "a unique source id", fmt::format("a second source '{}'", src.id));
      // No look-ahead: a forecast as of a date may only use what was published by then.
      if (after_as_of(src))
        sink_.add(at(src.where), path + ".date", fmt::format("a date on or before as_of {}", s_.as_of), src.date,
                  "a source dated after the scenario's as_of (look-ahead)");
    }
  }

  // ISO dates (YYYY-MM-DD, checked by the parser) compare as text.
  bool after_as_of(const Source& src) const {
    return !s_.as_of.empty() && src.date.size() == 10 && s_.as_of.size() == 10 && src.date > s_.as_of;
  }

  void check_issues() {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < s_.issues.size(); ++i) {
      const auto& is = s_.issues[i];
      const std::string path = entry_path("issues", is.id, i);
      const auto w = at(is.where);
      if (is.id.empty()) sink_.add(w, path + ".id", "a non-empty id", "an empty id");
      else if (!seen.insert(is.id).second)
        sink_.add(w, path + ".id", "a unique issue id", fmt::format("a second issue '{}'", is.id));
      if (is.decision_rule) check_rule(*is.decision_rule, is, path + ".decision_rule");
      if (is.kind == Issue::Kind::categorical) {
        if (is.options.size() < 2)
          sink_.add(w, path + ".options", "at least 2 options", fmt::format("{}", is.options.size()));
        std::set<std::string> opts;
        for (std::size_t o = 0; o < is.options.size(); ++o) {
          if (is.options[o].empty())
            sink_.add(w, fmt::format("{}.options[{}]", path, o), "a non-empty option name", "an empty name");
          else if (!opts.insert(is.options[o]).second)
            sink_.add(w, fmt::format("{}.options[{}]", path, o), "unique option names",
                      fmt::format("a second option '{}'", is.options[o]));
        }
        continue;
      }
      if (!std::isfinite(is.min) || !std::isfinite(is.max)) {
        sink_.add(w, path + ".scale", "finite bounds", fmt::format("[{}, {}]", num(is.min), num(is.max)));
        continue;
      }
      if (!(is.min < is.max))
        sink_.add(w, path + ".scale", "min < max", fmt::format("min {}, max {}", num(is.min), num(is.max)));
      for (std::size_t p = 0; p < is.points.size(); ++p) {
        const double v = is.points[p].value;
        if (!(v >= is.min && v <= is.max))
          sink_.add(w, fmt::format("{}.points[{}].value", path, p), interval(is.min, is.max), num(v),
                    "a labelled point must lie on the issue's scale");
      }
      if (is.status_quo && !(*is.status_quo >= is.min && *is.status_quo <= is.max))
        sink_.add(w, path + ".status_quo", interval(is.min, is.max), num(*is.status_quo));
    }
  }

  // A decision rule: weights and quota that make sense, each voter once. Ids may name members
  // without a position on the issue, so they are not required to be actors.
  void check_rule(const DecisionRule& r, const Issue& is, const std::string& path) {
    const auto w = at(r.where.line ? r.where : is.where);
    if (is.kind == Issue::Kind::categorical)
      sink_.add(w, path, "a decision rule on numeric issues only", "a categorical issue");
    if (r.voters.empty()) sink_.add(w, path + ".voters", "at least one voter", "none");
    std::set<std::string> ids;
    double total = 0;
    for (std::size_t v = 0; v < r.voters.size(); ++v) {
      const auto& vo = r.voters[v];
      const std::string vp = fmt::format("{}.voters[{}]", path, v);
      if (vo.actor.empty()) sink_.add(w, vp + ".actor", "an actor id", "an empty id");
      else if (!ids.insert(vo.actor).second) sink_.add(w, vp + ".actor", "each voter once", fmt::format("a second '{}'", vo.actor));
      if (!(std::isfinite(vo.weight) && vo.weight >= 0)) sink_.add(w, vp + ".weight", "a finite weight >= 0", num(vo.weight));
      else total += vo.weight;
    }
    if (!(std::isfinite(r.quota) && r.quota > 0)) sink_.add(w, path + ".quota", "a quota > 0", num(r.quota));
    else if (r.quota > total && r.voters_suffice == 0 && !r.voters.empty())
      sink_.add(w, path + ".quota", fmt::format("a quota <= the voters' total weight {}", num(total)), num(r.quota));
    const auto n = static_cast<int>(r.voters.size());
    if (r.min_voters > n) sink_.add(w, path + ".min_voters", fmt::format("at most the number of voters ({})", n), fmt::format("{}", r.min_voters));
    if (r.voters_suffice > n) sink_.add(w, path + ".voters_suffice", fmt::format("at most the number of voters ({})", n), fmt::format("{}", r.voters_suffice));
    for (std::size_t v = 0; v < r.veto_players.size(); ++v)
      if (r.veto_players[v].empty()) sink_.add(w, fmt::format("{}.veto_players[{}]", path, v), "an actor id", "an empty id");
    if (r.unanimous_amendment && r.agenda_setter.empty())
      sink_.add(w, path + ".unanimous_amendment", "an agenda_setter whose proposal is amended", "none");
  }

  void check_actors() {
    std::set<std::string> seen;
    std::vector<bool> held(s_.issues.size(), false);
    for (std::size_t a = 0; a < s_.actors.size(); ++a) {
      const auto& ac = s_.actors[a];
      const std::string path = entry_path("actors", ac.id, a);
      const auto w = at(ac.where);
      if (ac.id.empty()) sink_.add(w, path + ".id", "a non-empty id", "an empty id");
      else if (!seen.insert(ac.id).second)
        sink_.add(w, path + ".id", "a unique actor id", fmt::format("a second actor '{}'", ac.id));
      quantity(ac.capability, path + ".capability", 0, kInf);
      if (ac.no_deal_cost) quantity(*ac.no_deal_cost, path + ".no_deal_cost", 0, kInf);
      if (ac.stances.size() != s_.issues.size()) {
        sink_.add(w, path + ".issues", fmt::format("one stance slot per issue ({})", s_.issues.size()),
                  fmt::format("{}", ac.stances.size()));
        continue;
      }
      check_veto(ac, path);
      for (std::size_t i = 0; i < s_.issues.size(); ++i) {
        const auto& st = ac.stances[i];
        if (!st) continue;
        held[i] = true;
        const auto& is = s_.issues[i];
        const std::string sp = fmt::format("{}.issues.{}", path, is.id);
        if (is.kind == Issue::Kind::numeric) {
          quantity(st->position, sp + ".position", is.min, is.max);
          if (!st->utilities.empty())
            sink_.add(at(st->position.where), sp + ".utilities", "no utilities on a numeric issue",
                      fmt::format("{} utilities", st->utilities.size()));
        } else if (st->utilities.size() != is.options.size()) {
          sink_.add(at(st->salience.where), sp + ".utilities",
                    fmt::format("one utility per option ({})", is.options.size()),
                    fmt::format("{}", st->utilities.size()));
        } else {
          for (std::size_t o = 0; o < is.options.size(); ++o)
            quantity(st->utilities[o], fmt::format("{}.utilities.{}", sp, is.options[o]), 0, 1);
        }
        quantity(st->salience, sp + ".salience", 0, 1);
        if (st->capability) quantity(*st->capability, sp + ".capability", 0, kInf);
        if (st->no_deal) {
          if (is.kind == Issue::Kind::numeric) {
            quantity(*st->no_deal, sp + ".no_deal", is.min, is.max);
          } else {
            const double v = st->no_deal->value;
            const auto n = static_cast<double>(is.options.size());
            if (!(v >= 0 && v < n && v == std::floor(v)))
              sink_.add(at(st->no_deal->where), sp + ".no_deal", fmt::format("an option of issue '{}'", is.id),
                        fmt::format("option index {}", num(v)));
            if (st->no_deal->uncertainty.present())
              sink_.add(at(st->no_deal->where), sp + ".no_deal.uncertainty",
                        "no uncertainty on a categorical no_deal (it names one option)", "an uncertainty");
            if (!st->no_deal->evidence.source.empty() && !source_ids_.count(st->no_deal->evidence.source))
              sink_.add(at(st->no_deal->where), sp + ".no_deal.evidence.source", "the id of an entry in sources",
                        fmt::format("'{}'", st->no_deal->evidence.source));
          }
        }
      }
    }
    std::set<std::string> named;
    for (std::size_t i = 0; i < s_.issues.size(); ++i)
      // A second issue with the same id is reported as a duplicate, not as unheld.
      if (named.insert(s_.issues[i].id).second && !held[i] && !s_.actors.empty())
        sink_.add(at(s_.issues[i].where), entry_path("issues", s_.issues[i].id, i), "at least one actor with a stance",
                  "no actor holds a position on this issue");
  }

  // A veto player's issues exist and carry its stance; on a numeric issue it vetoes, its no-deal
  // point is given or the issue has a status quo (docs/models/deal.md).
  void check_veto(const Actor& ac, const std::string& path) {
    if (!ac.veto) return;
    const auto w = at(ac.veto->where);
    std::vector<bool> vetoed(s_.issues.size(), ac.veto->all);
    if (!ac.veto->all) {
      if (ac.veto->issues.empty())
        sink_.add(w, path + ".veto", "at least one issue id (or true, or leave veto out)", "an empty list");
      for (std::size_t k = 0; k < ac.veto->issues.size(); ++k) {
        const std::string& id = ac.veto->issues[k];
        const std::string field = fmt::format("{}.veto[{}]", path, k);
        const auto it = std::find_if(s_.issues.begin(), s_.issues.end(), [&](const Issue& is) { return is.id == id; });
        if (it == s_.issues.end()) {
          sink_.add(w, field, "the id of an issue", fmt::format("unknown issue '{}'", id));
          continue;
        }
        const auto i = static_cast<std::size_t>(it - s_.issues.begin());
        if (!ac.stances[i])
          sink_.add(w, field, fmt::format("an issue on which '{}' holds a stance (a veto needs its position)", ac.id),
                    fmt::format("no stance on '{}'", id));
        vetoed[i] = true;
      }
    }
    for (std::size_t i = 0; i < s_.issues.size(); ++i) {
      const auto& is = s_.issues[i];
      const auto& st = ac.stances[i];
      if (!vetoed[i] || !st || is.kind != Issue::Kind::numeric || st->no_deal || is.status_quo) continue;
      sink_.add(at(st->position.where), fmt::format("{}.issues.{}.no_deal", path, is.id),
                fmt::format("a no_deal point on [{}, {}], since '{}' is a veto player and issue '{}' has no status_quo",
                            num(is.min), num(is.max), ac.id, is.id),
                "nothing");
    }
  }

  // A number on [lo, hi] with its evidence and uncertainty.
  void quantity(const Quantity& q, const std::string& field, double lo, double hi) {
    const auto w = at(q.where);
    const double v = q.value;
    if (!std::isfinite(v)) {
      sink_.add(w, field, "a finite number", num(v));
      return;
    }
    if (!(v >= lo && v <= hi)) sink_.add(w, field, interval(lo, hi), num(v));
    if (!q.evidence.source.empty() && !source_ids_.count(q.evidence.source))
      sink_.add(w, field + ".evidence.source", "the id of an entry in sources",
                fmt::format("'{}'", q.evidence.source));
    if (late_sources_.count(q.evidence.source))
      sink_.add(w, field + ".evidence.source", fmt::format("a source dated on or before as_of {}", s_.as_of),
                fmt::format("'{}', dated after it", q.evidence.source), "evidence from after the scenario's as_of (look-ahead)");
    const auto& u = q.uncertainty;
    if (!u.present()) return;
    const std::string uf = field + ".uncertainty";
    const bool normal = u.kind == Uncertainty::Kind::normal;
    // A normal's upper truncation bound may stay unbounded where the field is (capability).
    const bool high_ok = std::isfinite(u.high) || (normal && std::isinf(hi) && u.high > 0);
    if (!std::isfinite(u.low) || !high_ok) {
      sink_.add(w, uf, "finite bounds", fmt::format("[{}, {}]", num(u.low), num(u.high)));
      return;
    }
    if (!(u.low >= lo && u.high <= hi))
      sink_.add(w, uf, fmt::format("bounds within the field's bounds [{}, {}]", num(lo), num(hi)),
                fmt::format("[{}, {}]", num(u.low), num(u.high)));
    if (!(u.low <= v && v <= u.high))
      sink_.add(w, uf, fmt::format("bounds that contain the value {}", num(v)),
                fmt::format("[{}, {}]", num(u.low), num(u.high)));
    if (u.kind == Uncertainty::Kind::triangular && !(u.mode >= u.low && u.mode <= u.high))
      sink_.add(w, uf + ".mode", interval(u.low, u.high), num(u.mode));
    if (normal) {
      if (!(std::isfinite(u.sd) && u.sd > 0)) sink_.add(w, uf + ".sd", "a number > 0", num(u.sd));
      if (!(std::isfinite(u.mean) && u.mean >= u.low && u.mean <= u.high))
        sink_.add(w, uf + ".mean", interval(u.low, u.high), num(u.mean));
    }
  }

  const Scenario& s_;
  DiagnosticSink& sink_;
  std::set<std::string> source_ids_, late_sources_;
};

}  // namespace

void check_scenario(const Scenario& scenario, DiagnosticSink& sink) { Checker(scenario, sink).run(); }

}  // namespace detail

void validate(const Scenario& scenario) {
  DiagnosticSink sink;
  detail::check_scenario(scenario, sink);
  sink.throw_if_any();
}

std::vector<MissingEvidence> missing_evidence(const Scenario& scenario) {
  std::vector<MissingEvidence> out;
  auto check = [&](const Quantity& q, std::string field) {
    if (q.evidence.present()) return;
    SourceLocation w = q.where;
    if (w.file.empty()) w.file = scenario.origin;
    out.push_back({std::move(field), std::move(w)});
  };
  for (std::size_t a = 0; a < scenario.actors.size(); ++a) {
    const auto& ac = scenario.actors[a];
    const std::string path = detail::entry_path("actors", ac.id, a);
    check(ac.capability, path + ".capability");
    if (ac.no_deal_cost) check(*ac.no_deal_cost, path + ".no_deal_cost");
    for (std::size_t i = 0; i < ac.stances.size() && i < scenario.issues.size(); ++i) {
      const auto& st = ac.stances[i];
      if (!st) continue;
      const auto& is = scenario.issues[i];
      const std::string sp = fmt::format("{}.issues.{}", path, is.id);
      if (is.kind == Issue::Kind::numeric) {
        check(st->position, sp + ".position");
      } else {
        for (std::size_t o = 0; o < st->utilities.size() && o < is.options.size(); ++o)
          check(st->utilities[o], fmt::format("{}.utilities.{}", sp, is.options[o]));
      }
      check(st->salience, sp + ".salience");
      if (st->capability) check(*st->capability, sp + ".capability");
      if (st->no_deal) check(*st->no_deal, sp + ".no_deal");
    }
  }
  return out;
}

}  // namespace entente

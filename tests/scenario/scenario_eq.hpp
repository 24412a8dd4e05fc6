// Test helper: semantic equality of Scenarios (ignores where a number was written, the origin
// file and the format name), with a readable description of the first difference.
#pragma once
#include <fmt/format.h>

#include <cmath>
#include <string>

#include "entente/scenario.hpp"

namespace entente::testing {

inline bool same_double(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

inline std::string diff_quantity(const Quantity& a, const Quantity& b, const std::string& f) {
  if (!same_double(a.value, b.value)) return fmt::format("{}: value {} vs {}", f, a.value, b.value);
  if (a.evidence.source != b.evidence.source || a.evidence.quote != b.evidence.quote ||
      a.evidence.judgment != b.evidence.judgment)
    return f + ": evidence differs";
  const auto &u = a.uncertainty, &v = b.uncertainty;
  if (u.kind != v.kind) return f + ": uncertainty kind differs";
  if (u.kind == Uncertainty::Kind::none) return {};
  if (!same_double(u.low, v.low) || !same_double(u.high, v.high))
    return fmt::format("{}: uncertainty bounds [{}, {}] vs [{}, {}]", f, u.low, u.high, v.low, v.high);
  if (u.kind == Uncertainty::Kind::triangular && !same_double(u.mode, v.mode)) return f + ": mode differs";
  if (u.kind == Uncertainty::Kind::normal && (!same_double(u.mean, v.mean) || !same_double(u.sd, v.sd)))
    return f + ": normal mean/sd differ";
  return {};
}

// "" if equal, else the first difference.
inline std::string scenario_diff(const Scenario& a, const Scenario& b) {
  if (a.title != b.title || a.as_of != b.as_of || a.description != b.description) return "header differs";
  if (a.seed != b.seed) return "seed differs";
  if (a.model_params != b.model_params) return "model_params differ";
  if (a.sources.size() != b.sources.size()) return "source count differs";
  for (std::size_t k = 0; k < a.sources.size(); ++k) {
    const auto &x = a.sources[k], &y = b.sources[k];
    if (x.id != y.id || x.title != y.title || x.publisher != y.publisher || x.date != y.date || x.url != y.url ||
        x.file != y.file)
      return fmt::format("sources[{}] differs", k);
  }
  if (a.issues.size() != b.issues.size()) return "issue count differs";
  for (std::size_t i = 0; i < a.issues.size(); ++i) {
    const auto &x = a.issues[i], &y = b.issues[i];
    if (x.id != y.id || x.name != y.name || x.description != y.description || x.kind != y.kind)
      return fmt::format("issues[{}] header differs", i);
    if (x.kind == Issue::Kind::categorical) {
      if (x.options != y.options) return fmt::format("issues[{}] options differ", i);
      continue;
    }
    if (x.min != y.min || x.max != y.max) return fmt::format("issues[{}] scale differs", i);
    if (x.status_quo != y.status_quo) return fmt::format("issues[{}] status_quo differs", i);
    if (x.decision_rule.has_value() != y.decision_rule.has_value()) return fmt::format("issues[{}] decision_rule presence differs", i);
    if (const auto &r = x.decision_rule, &t = y.decision_rule; r) {
      if (r->name != t->name || r->quota != t->quota || r->min_voters != t->min_voters || r->voters_suffice != t->voters_suffice ||
          r->veto_players != t->veto_players || r->agenda_setter != t->agenda_setter ||
          r->unanimous_amendment != t->unanimous_amendment || r->voters.size() != t->voters.size())
        return fmt::format("issues[{}].decision_rule differs", i);
      for (std::size_t v = 0; v < r->voters.size(); ++v)
        if (r->voters[v].actor != t->voters[v].actor || r->voters[v].weight != t->voters[v].weight)
          return fmt::format("issues[{}].decision_rule.voters[{}] differs", i, v);
    }
    if (x.points.size() != y.points.size()) return fmt::format("issues[{}] points differ", i);
    for (std::size_t p = 0; p < x.points.size(); ++p)
      if (x.points[p].value != y.points[p].value || x.points[p].label != y.points[p].label)
        return fmt::format("issues[{}].points[{}] differs", i, p);
  }
  if (a.actors.size() != b.actors.size()) return "actor count differs";
  for (std::size_t k = 0; k < a.actors.size(); ++k) {
    const auto &x = a.actors[k], &y = b.actors[k];
    const std::string f = "actors." + x.id;
    if (x.id != y.id || x.name != y.name || x.description != y.description) return f + " header differs";
    if (auto d = diff_quantity(x.capability, y.capability, f + ".capability"); !d.empty()) return d;
    if (x.veto.has_value() != y.veto.has_value()) return f + ".veto presence differs";
    if (x.veto && (x.veto->all != y.veto->all || x.veto->issues != y.veto->issues)) return f + ".veto differs";
    if (x.no_deal_cost.has_value() != y.no_deal_cost.has_value()) return f + ".no_deal_cost presence differs";
    if (x.no_deal_cost)
      if (auto d = diff_quantity(*x.no_deal_cost, *y.no_deal_cost, f + ".no_deal_cost"); !d.empty()) return d;
    if (x.stances.size() != y.stances.size()) return f + " stance count differs";
    for (std::size_t i = 0; i < x.stances.size(); ++i) {
      const auto &s = x.stances[i], &t = y.stances[i];
      const std::string sf = fmt::format("{}.issues[{}]", f, i);
      if (s.has_value() != t.has_value()) return sf + " presence differs";
      if (!s) continue;
      if (a.issues[i].kind == Issue::Kind::numeric)
        if (auto d = diff_quantity(s->position, t->position, sf + ".position"); !d.empty()) return d;
      if (auto d = diff_quantity(s->salience, t->salience, sf + ".salience"); !d.empty()) return d;
      if (s->capability.has_value() != t->capability.has_value()) return sf + ".capability presence differs";
      if (s->capability)
        if (auto d = diff_quantity(*s->capability, *t->capability, sf + ".capability"); !d.empty()) return d;
      if (s->no_deal.has_value() != t->no_deal.has_value()) return sf + ".no_deal presence differs";
      if (s->no_deal)
        if (auto d = diff_quantity(*s->no_deal, *t->no_deal, sf + ".no_deal"); !d.empty()) return d;
      if (s->utilities.size() != t->utilities.size()) return sf + ".utilities size differs";
      for (std::size_t o = 0; o < s->utilities.size(); ++o)
        if (auto d = diff_quantity(s->utilities[o], t->utilities[o], fmt::format("{}.utilities[{}]", sf, o));
            !d.empty())
          return d;
    }
  }
  return {};
}

}  // namespace entente::testing

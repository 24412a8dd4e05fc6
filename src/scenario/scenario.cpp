#include <fmt/format.h>

#include <cmath>

#include "entente/scenario.hpp"

namespace entente {

std::size_t Scenario::issue_index(std::string_view id) const {
  for (std::size_t i = 0; i < issues.size(); ++i)
    if (issues[i].id == id) return i;
  std::string ids;
  for (const auto& is : issues) ids += (ids.empty() ? "" : ", ") + is.id;
  throw InputError(Diagnostic{{origin, 0, 0}, "issue", "one of: " + ids, fmt::format("'{}'", id), {}});
}

std::size_t Scenario::actor_index(std::string_view id) const {
  for (std::size_t i = 0; i < actors.size(); ++i)
    if (actors[i].id == id) return i;
  std::string ids;
  for (const auto& a : actors) ids += (ids.empty() ? "" : ", ") + a.id;
  throw InputError(Diagnostic{{origin, 0, 0}, "actor", "one of: " + ids, fmt::format("'{}'", id), {}});
}

double Scenario::capability(std::size_t actor, std::size_t issue) const {
  const auto& st = actors[actor].stances[issue];
  if (st && st->capability) return st->capability->value;
  return actors[actor].capability.value;
}

std::string describe_position(const Issue& issue, double value) {
  if (issue.kind == Issue::Kind::categorical) {
    const auto k = static_cast<std::size_t>(std::lround(value));
    return k < issue.options.size() ? issue.options[k] : std::string{};
  }
  const auto& pts = issue.points;
  if (pts.empty()) return {};
  const double span = issue.max - issue.min;
  const double tol = 0.005 * (span > 0 ? span : 1.0);
  for (const auto& p : pts)
    if (std::fabs(p.value - value) <= tol) return fmt::format("at \"{}\"", p.label);
  if (value < pts.front().value) return fmt::format("below \"{}\" ({})", pts.front().label, pts.front().value);
  if (value > pts.back().value) return fmt::format("beyond \"{}\" ({})", pts.back().label, pts.back().value);
  for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
    const auto& a = pts[k];
    const auto& b = pts[k + 1];
    if (value > a.value && value < b.value) {
      const double t = (value - a.value) / (b.value - a.value);
      const char* where = t < 0.4 ? ", nearer the first" : t > 0.6 ? ", nearer the second" : ", about midway";
      return fmt::format("between \"{}\" ({}) and \"{}\" ({}){}", a.label, a.value, b.label, b.value, where);
    }
  }
  return {};
}

}  // namespace entente

// Internal: the numbers of one numeric issue as the per-issue models need them.
#pragma once
#include <vector>

#include "entente/scenario.hpp"

namespace entente::detail {

struct IssueData {
  std::vector<std::size_t> actor;  // scenario actor index of each entry
  std::vector<double> x, c, s;     // position, capability (per-issue if given), salience
  [[nodiscard]] std::size_t size() const noexcept { return x.size(); }
};

// The actors holding a position on a numeric issue, in scenario order, written into `d` (cleared
// first; its vectors keep their capacity, so a caller reusing `d` across draws allocates nothing).
inline void issue_data_into(const Scenario& sc, std::size_t issue, IssueData& d) {
  d.actor.clear();
  d.x.clear();
  d.c.clear();
  d.s.clear();
  for (std::size_t a = 0; a < sc.actors.size(); ++a) {
    const Stance* st = sc.stance(a, issue);
    if (!st) continue;
    d.actor.push_back(a);
    d.x.push_back(st->position.value);
    d.c.push_back(sc.capability(a, issue));
    d.s.push_back(st->salience.value);
  }
}

inline IssueData issue_data(const Scenario& sc, std::size_t issue) {
  IssueData d;
  issue_data_into(sc, issue, d);
  return d;
}

}  // namespace entente::detail

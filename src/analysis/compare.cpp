// Two scenarios' forecasts side by side, matched by issue id.
#include "analysis/internal.hpp"

namespace entente {

Comparison compare(const Scenario& a, const Scenario& b, const std::vector<std::string>& models,
                   const std::vector<Params>& params, std::uint64_t seed) {
  Comparison c;
  c.title_a = a.title.empty() ? a.origin : a.title;
  c.title_b = b.title.empty() ? b.origin : b.title;
  std::vector<std::vector<double>> fa, fb;
  for (std::size_t m = 0; m < models.size(); ++m) {
    const Params p = m < params.size() ? params[m] : Params{};
    const auto ra = run_model(a, models[m], p, seed);
    const auto rb = run_model(b, models[m], p, seed);
    c.models.push_back(ra.model);
    fa.push_back(detail::forecast_values(ra));
    fb.push_back(detail::forecast_values(rb));
  }
  auto value = [](const std::vector<double>& v, std::size_t i) -> std::optional<double> {
    if (i >= v.size() || std::isnan(v[i])) return std::nullopt;
    return v[i];
  };
  auto find = [](const Scenario& s, const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < s.issues.size(); ++i)
      if (s.issues[i].id == id) return i;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < a.issues.size(); ++i) {
    Comparison::Row row{a.issues[i].id, a.issues[i].name, {}, {}};
    const auto j = find(b, a.issues[i].id);
    for (std::size_t m = 0; m < models.size(); ++m) {
      row.a.push_back(value(fa[m], i));
      row.b.push_back(j ? value(fb[m], *j) : std::nullopt);
    }
    c.rows.push_back(std::move(row));
  }
  for (std::size_t j = 0; j < b.issues.size(); ++j) {
    if (find(a, b.issues[j].id)) continue;
    Comparison::Row row{b.issues[j].id, b.issues[j].name, {}, {}};
    for (std::size_t m = 0; m < models.size(); ++m) {
      row.a.push_back(std::nullopt);
      row.b.push_back(value(fb[m], j));
    }
    c.rows.push_back(std::move(row));
  }
  return c;
}

}  // namespace entente

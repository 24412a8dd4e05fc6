// Two scenarios' forecasts side by side, matched by issue id.
#include "analysis/internal.hpp"

namespace entente {

Comparison compare(const Scenario& a, const Scenario& b, const std::vector<std::string>& models,
                   const std::vector<Params>& params, std::uint64_t seed) {
  Comparison c;
  c.title_a = a.title.empty() ? a.origin : a.title;
  c.title_b = b.title.empty() ? b.origin : b.title;
  std::vector<Result> ra, rb;
  for (std::size_t m = 0; m < models.size(); ++m) {
    const Params p = m < params.size() ? params[m] : Params{};
    ra.push_back(run_model(a, models[m], detail::quiet_run(p, seed, Settle::last)));
    rb.push_back(run_model(b, models[m], detail::quiet_run(p, seed, Settle::last)));
    c.models.push_back(ra.back().model);
  }
  auto forecast = [](const Result& r, std::size_t i) -> std::optional<Forecast> {
    if (i >= r.forecasts.size() || !r.forecasts[i].defined || std::isnan(r.forecasts[i].value)) return std::nullopt;
    return r.forecasts[i];
  };
  auto find = [](const Scenario& s, const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < s.issues.size(); ++i)
      if (s.issues[i].id == id) return i;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < a.issues.size(); ++i) {
    Comparison::Row row{a.issues[i], {}, {}};
    const auto j = find(b, a.issues[i].id);
    for (std::size_t m = 0; m < models.size(); ++m) {
      row.a.push_back(forecast(ra[m], i));
      row.b.push_back(j ? forecast(rb[m], *j) : std::nullopt);
    }
    c.rows.push_back(std::move(row));
  }
  for (std::size_t j = 0; j < b.issues.size(); ++j) {
    if (find(a, b.issues[j].id)) continue;
    Comparison::Row row{b.issues[j], {}, {}};
    for (std::size_t m = 0; m < models.size(); ++m) {
      row.a.push_back(std::nullopt);
      row.b.push_back(forecast(rb[m], j));
    }
    c.rows.push_back(std::move(row));
  }
  return c;
}

}  // namespace entente

// `entente compare`: two scenarios' forecasts side by side. Categorical issues show the option
// each side forecasts and its probability, never a difference of option numbers.
#include <fmt/format.h>

#include "output/internal.hpp"

namespace entente {

namespace {
using out::json;

bool numeric(const Comparison::Row& r) { return r.issue.kind == Issue::Kind::numeric; }

std::optional<double> diff(const std::optional<Forecast>& a, const std::optional<Forecast>& b) {
  if (a && b) return b->value - a->value;
  return std::nullopt;
}

json side_json(const Issue& is, const std::optional<Forecast>& f) {
  if (!f) return nullptr;
  return out::forecast_json(is, *f);
}

Table long_table(const CompareResponse& rsp) {
  const Comparison& c = rsp.comparison;
  Table t;
  t.name = "compare";
  t.header = {"issue", "model", "a", "b", "difference", "a_option", "b_option"};
  for (const auto& r : c.rows)
    for (std::size_t m = 0; m < c.models.size(); ++m) {
      if (numeric(r)) {
        const auto d = diff(r.a[m], r.b[m]);
        t.rows.push_back({r.issue.id, c.models[m], r.a[m] ? Cell::num(r.a[m]->value) : Cell{},
                          r.b[m] ? Cell::num(r.b[m]->value) : Cell{}, d ? Cell::num(*d) : Cell{}, {}, {}});
      } else {
        t.rows.push_back({r.issue.id, c.models[m], {}, {}, {}, r.a[m] ? Cell{describe_forecast(r.issue, *r.a[m])} : Cell{},
                          r.b[m] ? Cell{describe_forecast(r.issue, *r.b[m])} : Cell{}});
      }
    }
  return t;
}
}  // namespace

std::string render(const CompareResponse& rsp, Format format) {
  const Comparison& c = rsp.comparison;
  switch (format) {
    case Format::json: {
      json j;
      j["a"] = c.title_a;
      j["b"] = c.title_b;
      j["models"] = c.models;
      j["provenance"] = out::provenance_json(rsp.provenance);
      {
        json w = out::warnings_json(rsp.a);
        if (rsp.b.origin != rsp.a.origin)  // B = A with what-ifs carries A's warnings again
          for (auto& d : out::warnings_json(rsp.b)) w.push_back(std::move(d));
        j["warnings"] = std::move(w);
      }
      j["issues"] = json::array();
      for (const auto& r : c.rows) {
        json ji{{"id", r.issue.id}, {"name", r.issue.name}, {"kind", numeric(r) ? "numeric" : "categorical"}};
        json fm = json::object();
        for (std::size_t m = 0; m < c.models.size(); ++m) {
          json e{{"a", r.a[m] ? out::jnum(r.a[m]->value) : json(nullptr)},
                 {"b", r.b[m] ? out::jnum(r.b[m]->value) : json(nullptr)}};
          if (numeric(r)) {
            const auto d = diff(r.a[m], r.b[m]);
            e["difference"] = d ? out::jnum(*d) : json(nullptr);
          }
          e["forecast_a"] = side_json(r.issue, r.a[m]);
          e["forecast_b"] = side_json(r.issue, r.b[m]);
          fm[c.models[m]] = e;
        }
        ji["forecasts"] = fm;
        j["issues"].push_back(ji);
      }
      return out::dump(j);
    }
    case Format::csv: return render(long_table(rsp), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{long_table(rsp)}, Format::xlsx);
    case Format::table: break;
  }
  Table t;
  t.header = {"issue", "model", "A", "B", "B - A"};
  for (const auto& r : c.rows)
    for (std::size_t m = 0; m < c.models.size(); ++m) {
      const auto& a = r.a[m];
      const auto& b = r.b[m];
      if (!a && !b) continue;  // models that forecast the issue on neither side are left out
      std::string d = "-";
      if (numeric(r)) {
        if (const auto x = diff(a, b)) d = fmt::format("{}{}", *x > 0 ? "+" : "", display_number(*x));
      } else if (a && b) {
        d = std::lround(a->value) == std::lround(b->value) ? "same option" : "other option";
      }
      t.rows.push_back({r.issue.id, c.models[m], a ? describe_forecast(r.issue, *a) : "-", b ? describe_forecast(r.issue, *b) : "-", d});
    }
  return fmt::format("A: {}\nB: {}\n\n", terminal_safe(c.title_a), terminal_safe(c.title_b)) + render(t, Format::table) +
         out::footer(rsp.provenance, true);
}

}  // namespace entente

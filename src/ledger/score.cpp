// Scores of ledger entries against a resolution (absolute error, CRPS, Brier), each version counted
// for the time it was in force; baselines scored the same way; the timeline of forecasts.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "entente/diagnostics.hpp"
#include "entente/ledger.hpp"

namespace entente {

double crps_sample(std::vector<double> x, double y) {
  std::erase_if(x, [](double v) { return !std::isfinite(v); });
  if (x.empty()) return std::nan("");
  std::sort(x.begin(), x.end());
  const double k = static_cast<double>(x.size());
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double rank = static_cast<double>(i + 1);
    sum += (x[i] - y) * (k * (y < x[i] ? 1.0 : 0.0) - rank + 0.5);
  }
  return 2 * sum / (k * k);
}

double brier(const std::vector<double>& p, std::size_t outcome) {
  double s = 0;
  for (std::size_t o = 0; o < p.size(); ++o) {
    const double d = p[o] - (o == outcome ? 1.0 : 0.0);
    s += d * d;
  }
  if (outcome >= p.size()) s += 1;  // the outcome had no probability at all
  return s;
}

long days_between(std::string_view a, std::string_view b) {
  auto parse = [](std::string_view d) {
    if (d.size() < 10) return std::chrono::sys_days{};
    const int y = std::stoi(std::string(d.substr(0, 4)));
    const unsigned m = static_cast<unsigned>(std::stoi(std::string(d.substr(5, 2))));
    const unsigned dd = static_cast<unsigned>(std::stoi(std::string(d.substr(8, 2))));
    return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{dd}};
  };
  return static_cast<long>((parse(b) - parse(a)).count());
}

namespace {

const LedgerIssue* find_issue(const LedgerEntry& e, const std::string& id) {
  for (const auto& is : e.issues)
    if (is.id == id) return &is;
  return nullptr;
}
const LedgerForecast* find_forecast(const LedgerEntry& e, const std::string& model, const std::string& issue) {
  for (const auto& f : e.forecasts)
    if (f.model == model && f.issue == issue) return &f;
  return nullptr;
}

// Entries of the series a title names, by as_of (then order of addition).
std::vector<const LedgerEntry*> series(const std::vector<LedgerEntry>& entries, const std::string& title) {
  std::vector<const LedgerEntry*> out;
  for (const auto& e : entries)
    if (title.empty() || e.title == title) out.push_back(&e);
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->as_of < b->as_of; });
  return out;
}

// Quantile at level q of the stored atoms (levels (k - 0.5) / K), by linear interpolation.
double quantile_at(const std::vector<double>& atoms, double q) {
  const double k = static_cast<double>(atoms.size());
  const double pos = q * k - 0.5;  // index in 0..K-1
  if (pos <= 0) return atoms.front();
  if (pos >= k - 1) return atoms.back();
  const auto i = static_cast<std::size_t>(pos);
  const double t = pos - static_cast<double>(i);
  return atoms[i] * (1 - t) + atoms[i + 1] * t;
}

}  // namespace

LedgerScores score(const std::vector<LedgerEntry>& entries, const Resolution& res) {
  LedgerScores out;
  out.title = res.title;
  out.resolution_date = res.date;
  std::vector<const LedgerEntry*> all = series(entries, res.title);
  std::vector<const LedgerEntry*> in;
  for (const auto* e : all) {
    if (!res.date.empty() && e->as_of > res.date)
      out.notes.push_back(fmt::format("entry {} (as of {}) is dated after the resolution ({}): not scored", e->seq,
                                      e->as_of, res.date));
    else
      in.push_back(e);
  }
  if (in.empty()) {
    out.notes.push_back(res.title.empty() ? "no ledger entries to score"
                                          : fmt::format("no ledger entries titled \"{}\"", res.title));
    return out;
  }
  // Time in force: from a version's as_of to the next version's (or to the resolution date).
  std::vector<double> days(in.size()), weight(in.size());
  double total = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::string& end = i + 1 < in.size() ? in[i + 1]->as_of : res.date;
    days[i] = static_cast<double>(std::max(0L, days_between(in[i]->as_of, end)));
    total += days[i];
  }
  for (std::size_t i = 0; i < in.size(); ++i) weight[i] = total > 0 ? days[i] / total : (i + 1 == in.size() ? 1.0 : 0.0);
  if (total <= 0) out.notes.push_back("every version is dated on the resolution date: the last one counts alone");

  // Outcomes per issue (categorical options checked against the entries' options).
  DiagnosticSink sink;
  struct Outcome {
    const IssueResolution* r;
    double value;
  };
  std::map<std::string, Outcome> outcomes;
  for (const auto& ir : res.issues) {
    if (!ir.resolved) continue;
    const LedgerIssue* is = nullptr;
    for (const auto* e : in)
      if ((is = find_issue(*e, ir.issue))) break;
    if (!is) {
      out.notes.push_back(fmt::format("issue '{}' of the resolution is in no scored entry", ir.issue));
      continue;
    }
    double y = ir.value;
    if (is->categorical) {
      auto it = std::find(is->options.begin(), is->options.end(), ir.option);
      if (it == is->options.end()) {
        std::string list;
        for (const auto& o : is->options) list += (list.empty() ? "" : ", ") + o;
        sink.add(ir.where, "issues." + ir.issue + ".outcome", "one of the options " + list,
                 ir.option.empty() ? fmt::format("{}", ir.value) : "'" + ir.option + "'");
        continue;
      }
      y = static_cast<double>(it - is->options.begin());
    } else if (!ir.option.empty() || y < is->min || y > is->max) {
      sink.add(ir.where, "issues." + ir.issue + ".outcome", fmt::format("a number in [{}, {}]", is->min, is->max),
               ir.option.empty() ? fmt::format("{}", y) : "'" + ir.option + "'");
      continue;
    }
    outcomes.emplace(ir.issue, Outcome{&ir, y});
  }
  sink.throw_if_any();

  for (std::size_t i = 0; i < in.size(); ++i) {
    const LedgerEntry& e = *in[i];
    auto row = [&](std::string who, const std::string& issue, double point, double y) {
      ScoreRow r;
      r.seq = e.seq;
      r.as_of = e.as_of;
      r.days = days[i];
      r.weight = weight[i];
      r.forecaster = std::move(who);
      r.issue = issue;
      r.forecast = point;
      r.outcome = y;
      return r;
    };
    // A numeric forecast: AE of the point, CRPS of the atoms (a point is one atom: CRPS = AE).
    auto numeric = [&](std::string who, const std::string& issue, double point, const std::vector<double>& atoms, double y) {
      ScoreRow r = row(std::move(who), issue, point, y);
      if (std::isfinite(point)) r.abs_error = std::fabs(point - y);
      const double c = atoms.empty() ? (std::isfinite(point) ? std::fabs(point - y) : std::nan("")) : crps_sample(atoms, y);
      if (std::isfinite(c)) r.crps = c;
      out.rows.push_back(std::move(r));
    };
    auto categorical = [&](std::string who, const std::string& issue, double point, std::vector<double> p,
                           std::size_t n_options, double y) {
      if (p.empty()) {  // a point forecast: all probability on one option
        p.assign(n_options, 0);
        if (std::isfinite(point) && point >= 0 && static_cast<std::size_t>(point) < n_options) p[static_cast<std::size_t>(point)] = 1;
      }
      ScoreRow r = row(std::move(who), issue, point, y);
      r.brier = brier(p, static_cast<std::size_t>(y));
      out.rows.push_back(std::move(r));
    };
    for (const auto& [id, oc] : outcomes) {
      const LedgerIssue* is = find_issue(e, id);
      if (!is) continue;
      const double y = oc.value;
      for (const auto& m : e.models) {
        const LedgerForecast* f = find_forecast(e, m, id);
        if (!f || !f->defined) continue;
        if (is->categorical) categorical(m, id, f->point, f->probabilities, is->options.size(), y);
        else numeric(m, id, f->point, f->quantiles, y);
        // The previous version's forecast by the same model, held over this version's time.
        if (i > 0)
          if (const LedgerForecast* pf = find_forecast(*in[i - 1], m, id); pf && pf->defined) {
            if (is->categorical) categorical("previous:" + m, id, pf->point, pf->probabilities, is->options.size(), y);
            else numeric("previous:" + m, id, pf->point, pf->quantiles, y);
          }
      }
      if (!is->categorical && is->status_quo) numeric("status_quo", id, *is->status_quo, {}, y);
      for (const auto& [actor, pos] : is->positions) {
        if (!std::isfinite(pos)) continue;
        if (is->categorical) categorical("actor:" + actor, id, pos, {}, is->options.size(), y);
        else numeric("actor:" + actor, id, pos, {}, y);
      }
    }
    if (res.deal) {
      const double y = *res.deal ? 1.0 : 0.0;
      if (e.p_deal) {
        ScoreRow r = row("p_deal", "deal", *e.p_deal, y);
        r.brier = (*e.p_deal - y) * (*e.p_deal - y);
        out.rows.push_back(std::move(r));
      }
      ScoreRow r = row("status_quo", "deal", 0, y);  // the status quo: no deal (P = 0)
      r.brier = y;
      out.rows.push_back(std::move(r));
    }
  }
  if (res.deal && std::none_of(in.begin(), in.end(), [](const auto* e) { return e->p_deal.has_value(); }))
    out.notes.push_back("no entry has a P(deal) (the deal analysis does not fill it yet): only the status quo is scored on the deal");

  // Time-weighted means per forecaster and issue, over the versions that have the score.
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::pair<std::string, std::string>, std::vector<const ScoreRow*>> groups;
  for (const auto& r : out.rows) {
    auto key = std::make_pair(r.forecaster, r.issue);
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(&r);
  }
  auto mean = [](const std::vector<const ScoreRow*>& rows, auto field) -> std::optional<double> {
    double w = 0, s = 0;
    bool any = false;
    for (const auto* r : rows)
      if (const auto& v = r->*field) {
        s += r->weight * *v;
        w += r->weight;
        any = true;
      }
    if (!any) return std::nullopt;
    if (w <= 0) return std::nullopt;
    return s / w;
  };
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  for (const auto& key : order) {
    const auto& rows = groups[key];
    ScoreSummary s;
    s.forecaster = key.first;
    s.issue = key.second;
    s.versions = rows.size();
    s.abs_error = mean(rows, &ScoreRow::abs_error);
    s.crps = mean(rows, &ScoreRow::crps);
    s.brier = mean(rows, &ScoreRow::brier);
    out.summary.push_back(std::move(s));
  }
  return out;
}

Timeline timeline(const std::vector<LedgerEntry>& entries, const std::string& title,
                  const std::optional<Resolution>& resolution) {
  Timeline t;
  t.title = title;
  if (t.title.empty() && resolution) t.title = resolution->title;
  if (t.title.empty() && !entries.empty()) t.title = entries.back().title;
  const auto in = series(entries, t.title);
  if (!in.empty()) t.issues = in.back()->issues;
  for (const auto* e : in)
    for (const auto& f : e->forecasts) {
      TimelinePoint p;
      p.seq = e->seq;
      p.as_of = e->as_of;
      p.model = f.model;
      p.issue = f.issue;
      p.point = f.defined ? f.point : std::nan("");
      if (!f.quantiles.empty()) {
        p.low = quantile_at(f.quantiles, 0.05);
        p.high = quantile_at(f.quantiles, 0.95);
      }
      p.p_deal = e->p_deal;
      t.points.push_back(std::move(p));
    }
  t.resolution = resolution;
  return t;
}

}  // namespace entente

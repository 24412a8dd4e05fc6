// DEU backtest (docs/accuracy.md): candidates run on the DEU scenarios, become predictive
// distributions (fitted on the fit split only), are scored against the outcomes and compared with
// the baseline on the same issues; with select_on, one candidate is chosen on the named splits and
// scored once on the rest.
#include "entente/backtest.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "analysis/deu.hpp"
#include "entente/model.hpp"

namespace entente {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

InputError candidate_error(std::string_view spec, std::string field, std::string expected, std::string found) {
  return InputError(Diagnostic{{"<candidate>", 0, 0}, std::move(field), std::move(expected), std::move(found),
                               fmt::format("in candidate '{}'", spec)});
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

}  // namespace

bool Candidate::fitted() const { return spread != "none" || p0 == "base" || p0.ends_with("-fit"); }

Candidate parse_candidate(std::string_view text) {
  Candidate c;
  c.name = std::string(text);
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t k = 0; k <= text.size(); ++k)
    if (k == text.size() || text[k] == '/') {
      parts.emplace_back(text.substr(start, k - start));
      start = k + 1;
    }
  if (parts.empty() || parts[0].empty()) throw candidate_error(text, "model", "MODEL[/KEY=VALUE]...", "no model name");
  c.model = parts[0];
  (void)find_model(c.model);  // unknown model: InputError listing the names
  std::set<std::string> seen;
  for (std::size_t k = 1; k < parts.size(); ++k) {
    const auto eq = parts[k].find('=');
    if (eq == std::string::npos || eq == 0)
      throw candidate_error(text, parts[k], "KEY=VALUE", fmt::format("'{}'", parts[k]));
    const std::string key = parts[k].substr(0, eq), value = parts[k].substr(eq + 1);
    if (!seen.insert(key).second) throw candidate_error(text, key, "each key once", fmt::format("a second '{}'", key));
    auto one_of = [&](std::initializer_list<const char*> choices) {
      std::string list;
      for (const char* ch : choices) {  // any spelling up to case, '-' and '_' (vote_weights)
        if (spelling_key(value) == spelling_key(ch)) return std::string(ch);
        list += (list.empty() ? "" : ", ") + std::string(ch);
      }
      throw candidate_error(text, key, "one of " + list, fmt::format("'{}'", value));
    };
    if (key == "cap") c.capability = one_of({"equal", "vote-weights", "shapley-shubik", "banzhaf"});
    else if (key == "spread") c.spread = one_of({"none", "normal", "laplace", "residuals"});
    else if (key == "p0") c.p0 = one_of({"none", "base", "model", "procedural", "procedural-fit", "at-sq-fit"});
    else if (key == "scope") c.scope = one_of({"issue", "proposal"});
    else if (key.starts_with("p0.")) c.p0_params.set(key.substr(3), value);
    else c.params.set(key, value);
  }
  // Check the parameters now, so a typo fails before any model runs.
  (void)resolve_params(c.model, find_model(c.model).info().params, c.params);
  (void)resolve_params("procedural", find_model("procedural").info().params, c.p0_params);
  if (!c.p0_params.values().empty() && c.p0 != "procedural" && c.p0 != "procedural-fit")
    throw candidate_error(text, "p0", "procedural or procedural-fit (p0.KEY parameters are the procedural model's)", c.p0);
  return c;
}

namespace {

// One candidate's raw output on one issue, before anything is fitted.
struct Raw {
  bool defined = true;
  double value = 0;     // the model's point forecast
  double location = 0;  // where it goes if it changes (the "location" extra, else the value)
  double p_model = kNaN;  // the model's own p_no_change
  double p_proc = kNaN;   // the procedural model's (p0=procedural, procedural-fit)
  double share_at_sq = kNaN;  // share of capability at the status quo (p0=at-sq-fit)
};

// The data of one backtest call: rows read once, scenarios per (capability, scope) on demand.
class Bench {
 public:
  Bench(const std::string& path, const BacktestOptions& opt) : data_(path, opt), opt_(opt) {}
  const detail::DeuData& data() const { return data_; }

  const std::vector<DeuCase>& cases(const std::string& cap) {
    auto it = cases_.find(cap);
    if (it == cases_.end()) it = cases_.emplace(cap, data_.cases(cap)).first;
    return it->second;
  }
  const std::vector<DeuProposal>& proposals(const std::string& cap) {
    auto it = proposals_.find(cap);
    if (it == proposals_.end()) it = proposals_.emplace(cap, data_.proposals(cap)).first;
    return it->second;
  }

  // Forecasts only: the runs record no trace (RunOptions' default).
  RunOptions options(const Params& params) const {
    RunOptions o;
    o.params = params;
    o.seed = opt_.seed;
    return o;
  }

  std::vector<Raw> run(const Candidate& c) {
    const std::string cap = c.capability.empty() ? opt_.capability : c.capability;
    const auto& rows = data_.rows();
    std::vector<Raw> raw(rows.size());
    if ((c.model == "procedural" || c.p0 == "procedural" || c.p0 == "procedural-fit") && !data_.has_rules())
      throw InputError(Diagnostic{{opt_.vote_weights_file.empty() ? "eu-council-vote-weights.csv" : opt_.vote_weights_file, 0, 0},
                                  "", "the Council vote-weight table (decision rules need it)", "no such file", {}});
    auto take = [](const Forecast& f, Raw& r) {
      r.defined = f.defined;
      r.value = f.value;
      const double* loc = f.extra("location");
      r.location = loc ? *loc : f.value;
      if (const double* p = f.extra("p_no_change")) r.p_model = *p;
    };
    if (c.scope == "proposal") {
      const auto& props = proposals(cap);
      const auto& members = data_.members();
      tbb::parallel_for(std::size_t{0}, props.size(), [&](std::size_t p) {
        const Result res = run_model(props[p].scenario, c.model, options(c.params));
        for (std::size_t k = 0; k < members[p].size(); ++k) take(res.forecasts[k], raw[members[p][k]]);
      });
    } else {
      const auto& cs = cases(cap);
      tbb::parallel_for(std::size_t{0}, cs.size(), [&](std::size_t k) {
        take(run_model(cs[k].scenario, c.model, options(c.params)).forecasts[0], raw[k]);
      });
    }
    if (c.p0 == "procedural" || c.p0 == "procedural-fit") {
      const auto& cs = cases(cap);
      tbb::parallel_for(std::size_t{0}, cs.size(), [&](std::size_t k) {
        const Forecast f = run_model(cs[k].scenario, "procedural", options(c.p0_params)).forecasts[0];
        if (const double* p = f.extra("p_no_change")) raw[k].p_proc = *p;
      });
    }
    if (c.p0 == "at-sq-fit") {
      const auto& cs = cases(cap);
      for (std::size_t k = 0; k < cs.size(); ++k) {
        const Scenario& sc = cs[k].scenario;
        if (!sc.issues[0].status_quo) continue;
        const double q = *sc.issues[0].status_quo;
        double at = 0, all = 0, n_at = 0, n = 0;
        for (std::size_t a = 0; a < sc.actors.size(); ++a) {
          const Stance* st = sc.stance(a, 0);
          if (!st) continue;
          const double cap_a = sc.capability(a, 0);
          const bool here = std::fabs(st->position.value - q) < 1e-9;
          all += cap_a;
          at += here ? cap_a : 0;
          n += 1;
          n_at += here ? 1 : 0;
        }
        raw[k].share_at_sq = all > 0 ? at / all : (n > 0 ? n_at / n : 0);
      }
    }
    if (c.p0 == "model")
      for (std::size_t k = 0; k < raw.size(); ++k)
        if (raw[k].defined && rows[k].status_quo && std::isnan(raw[k].p_model))
          throw candidate_error(c.name, "p0", fmt::format("a model that gives p_no_change ({} gives none)", c.model), "model");
    return raw;
  }

 private:
  detail::DeuData data_;
  const BacktestOptions& opt_;
  std::map<std::string, std::vector<DeuCase>> cases_;
  std::map<std::string, std::vector<DeuProposal>> proposals_;
};

// The centre of the forecast distribution: with P(no change), the model's location if it changes
// (the procedural model's "location"); without, the model's point forecast.
double centre(const Candidate& c, const Raw& r) { return c.p0 == "none" ? r.value : r.location; }

// ---- fitting (on the fit split only) ---------------------------------------------------------

// An issue whose outcome a fit may read.
struct FitItem {
  std::size_t index;  // row index
  double y;
  std::optional<double> q;
  double feature;     // of the P(no change) rule
  double location;
};

double logistic(double z) { return 1 / (1 + std::exp(-z)); }
double logit(double p) {
  p = std::clamp(p, 0.01, 0.99);
  return std::log(p / (1 - p));
}

// Logistic regression of "no change" on one feature (Newton-Raphson, a tiny ridge against separation).
std::pair<double, double> fit_logistic(const std::vector<std::pair<double, double>>& xy) {
  double a = 0, b = 0;
  for (int it = 0; it < 100; ++it) {
    double g0 = -1e-6 * a, g1 = -1e-6 * b, h00 = 1e-6, h01 = 0, h11 = 1e-6;
    for (const auto& [x, y] : xy) {
      const double p = logistic(a + b * x), w = p * (1 - p);
      g0 += y - p;
      g1 += (y - p) * x;
      h00 += w;
      h01 += w * x;
      h11 += w * x * x;
    }
    const double det = h00 * h11 - h01 * h01;
    if (!(std::fabs(det) > 0)) break;
    const double da = (h11 * g0 - h01 * g1) / det, db = (h00 * g1 - h01 * g0) / det;
    a += da;
    b += db;
    if (std::fabs(da) + std::fabs(db) < 1e-12) break;
  }
  return {a, b};
}

scores::Spread make_spread(const std::string& kind, double location, double scale, const std::vector<double>& residuals) {
  if (kind == "normal") return scores::Spread::normal(location, scale);
  if (kind == "laplace") return scores::Spread::laplace(location, scale);
  if (kind == "residuals") {
    std::vector<double> v;
    v.reserve(residuals.size());
    for (double r : residuals) v.push_back(std::clamp(location + r, 0.0, 100.0));
    return scores::Spread::empirical(std::move(v));
  }
  return scores::Spread::point(location);
}

// What a fit learned: P(no change) per issue (NaN: none) and the spread's parameters.
struct Fit {
  std::vector<std::pair<std::string, double>> values;
  double base = kNaN, a = kNaN, b = kNaN;  // base rate, or the logistic coefficients
  double scale = 0;
  std::vector<double> residuals;
};

double p_of(const Candidate& c, const Fit& f, const Raw& r, bool has_sq) {
  if (!has_sq || c.p0 == "none") return kNaN;
  if (c.p0 == "base") return f.base;
  if (c.p0 == "model") return std::clamp(r.p_model, 0.0, 1.0);
  if (c.p0 == "procedural") return std::clamp(r.p_proc, 0.0, 1.0);
  if (c.p0 == "procedural-fit") return logistic(f.a + f.b * logit(r.p_proc));
  if (c.p0 == "at-sq-fit") return logistic(f.a + f.b * r.share_at_sq);
  return kNaN;
}

scores::Predictive predictive(const Candidate& c, const Fit& f, double location, double p, std::optional<double> q) {
  scores::Predictive pr;
  pr.rest = make_spread(c.spread, location, f.scale, f.residuals);
  if (q && !std::isnan(p)) {
    pr.p_atom = std::clamp(p, 0.0, 1.0);
    pr.atom = *q;
  }
  return pr;
}

Fit fit(const Candidate& c, const std::vector<FitItem>& items, const std::vector<Raw>& raw) {
  Fit f;
  if (!c.fitted()) return f;
  if (items.empty())
    throw candidate_error(c.name, "fit split", "issues with outcomes in the fit split", "none");
  auto no_change = [](const FitItem& it) { return it.q && std::fabs(it.y - *it.q) < 1e-9; };
  if (c.p0 == "base") {
    double n = 0, k = 0;
    for (const auto& it : items)
      if (it.q) {
        n += 1;
        k += no_change(it) ? 1 : 0;
      }
    f.base = n > 0 ? k / n : 0;
    f.values.emplace_back("p0_base_rate", f.base);
  } else if (c.p0.ends_with("-fit")) {
    std::vector<std::pair<double, double>> xy;
    for (const auto& it : items)
      if (it.q) xy.emplace_back(it.feature, no_change(it) ? 1.0 : 0.0);
    std::tie(f.a, f.b) = fit_logistic(xy);
    f.values.emplace_back("p0_intercept", f.a);
    f.values.emplace_back("p0_slope", f.b);
  }
  if (c.spread == "residuals") {
    // The spread describes the outcome if it changes: with P(no change), residuals of the issues that changed.
    for (const auto& it : items)
      if (c.p0 == "none" || !no_change(it)) f.residuals.push_back(it.y - it.location);
    if (f.residuals.empty()) throw candidate_error(c.name, "spread", "issues that changed in the fit split", "none");
    f.values.emplace_back("residuals", static_cast<double>(f.residuals.size()));
  } else if (c.spread == "normal" || c.spread == "laplace") {
    auto mean_crps = [&](double scale) {
      Fit g = f;
      g.scale = scale;
      double t = 0;
      for (const auto& it : items) {
        const double p = p_of(c, g, raw[it.index], it.q.has_value());
        t += scores::crps(predictive(c, g, it.location, p, it.q), it.y);
      }
      return t / static_cast<double>(items.size());
    };
    // A coarse grid on log scale, then golden-section search around the best point.
    const double lo = std::log(0.5), hi = std::log(100.0);
    const int grid = 48;
    int best = 0;
    double best_v = std::numeric_limits<double>::infinity();
    for (int k = 0; k <= grid; ++k) {
      const double v = mean_crps(std::exp(lo + (hi - lo) * k / grid));
      if (v < best_v) {
        best_v = v;
        best = k;
      }
    }
    double a = lo + (hi - lo) * std::max(0, best - 1) / grid, b = lo + (hi - lo) * std::min(grid, best + 1) / grid;
    const double r = (std::sqrt(5.0) - 1) / 2;
    double x1 = b - r * (b - a), x2 = a + r * (b - a);
    double f1 = mean_crps(std::exp(x1)), f2 = mean_crps(std::exp(x2));
    for (int it = 0; it < 60; ++it) {
      if (f1 < f2) {
        b = x2;
        x2 = x1;
        f2 = f1;
        x1 = b - r * (b - a);
        f1 = mean_crps(std::exp(x1));
      } else {
        a = x1;
        x1 = x2;
        f1 = f2;
        x2 = a + r * (b - a);
        f2 = mean_crps(std::exp(x2));
      }
    }
    f.scale = std::exp((a + b) / 2);
    f.values.emplace_back("scale", f.scale);
  }
  return f;
}

// ---- scoring ---------------------------------------------------------------------------------

struct Evaluated {
  Candidate candidate;
  Fit fit;
  std::vector<BacktestIssue> issues;  // every row (defined or not)
  std::set<std::string> consulted;    // splits whose outcomes the fit read
};

Evaluated evaluate(Bench& bench, const Candidate& c, const std::string& fit_split) {
  const auto& rows = bench.data().rows();
  const std::vector<Raw> raw = bench.run(c);
  Evaluated ev;
  ev.candidate = c;
  std::vector<FitItem> items;
  if (c.fitted()) {
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (rows[k].split != fit_split || !raw[k].defined) continue;
      const double feature = c.p0 == "procedural-fit" ? logit(raw[k].p_proc) : raw[k].share_at_sq;
      items.push_back({k, rows[k].outcome, rows[k].status_quo, feature, centre(c, raw[k])});
      ev.consulted.insert(rows[k].split);
    }
    if (items.empty())
      throw candidate_error(c.name, "split", fmt::format("issues in the fit split '{}' (fitted spreads and P(no change) learn there only)", fit_split),
                            "none");
  }
  ev.fit = fit(c, items, raw);
  ev.issues.resize(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& row = rows[k];
    BacktestIssue& bi = ev.issues[k];
    bi.id = row.id;
    bi.split = row.split;
    bi.proposal = row.proposal;
    bi.actors = static_cast<int>(row.positions.size());
    bi.outcome = row.outcome;
    bi.status_quo = row.status_quo;
    bi.defined = raw[k].defined;
    bi.location = centre(c, raw[k]);
    if (!bi.defined) {
      bi.forecast = kNaN;
      continue;
    }
    const double p = p_of(c, ev.fit, raw[k], row.status_quo.has_value());
    const auto pr = predictive(c, ev.fit, bi.location, p, row.status_quo);
    bi.forecast = scores::median(pr);
    bi.crps = scores::crps(pr, row.outcome);
    // P(no change) is everything the distribution puts exactly on the status quo: the atom, plus
    // what the spread puts there (a point at q, clamped residuals), so the Brier score and the CRPS
    // judge the same distribution.
    if (!std::isnan(p)) bi.p_no_change = scores::mass_at(pr, *row.status_quo);
    // Its own mass at q, kept here for when this candidate serves as a baseline (replaced below by
    // the baseline's in the reported issues).
    if (row.status_quo) bi.baseline_p_no_change = scores::mass_at(pr, *row.status_quo);
  }
  return ev;
}

bool changed_nothing(const BacktestIssue& i) { return i.status_quo && std::fabs(i.outcome - *i.status_quo) < 1e-9; }

BacktestScore score(const std::string& split, const std::vector<std::size_t>& idx, const Evaluated& ev,
                    const Evaluated& base, bool gives_p, int resamples, std::uint64_t seed) {
  BacktestScore s;
  s.split = split;
  std::vector<double> err, berr, cr, bcr, hit, bhit, br, bbr, pv, ov;
  for (std::size_t k : idx) {
    const auto& i = ev.issues[k];
    const auto& b = base.issues[k];
    if (!i.defined || !b.defined) continue;
    err.push_back(std::fabs(i.forecast - i.outcome));
    berr.push_back(std::fabs(b.forecast - b.outcome));
    cr.push_back(i.crps);
    bcr.push_back(b.crps);
    hit.push_back(err.back() <= 10 ? 1.0 : 0.0);
    bhit.push_back(berr.back() <= 10 ? 1.0 : 0.0);
    if (i.status_quo) {
      const double o = changed_nothing(i) ? 1.0 : 0.0;
      if (gives_p) {
        br.push_back((i.p_no_change - o) * (i.p_no_change - o));
        pv.push_back(i.p_no_change);
        ov.push_back(o);
      }
      bbr.push_back((b.baseline_p_no_change - o) * (b.baseline_p_no_change - o));
    }
  }
  s.n = static_cast<int>(err.size());
  s.n_status_quo = static_cast<int>(bbr.size());
  if (s.n == 0) return s;
  const double n = s.n;
  auto mean = [](const std::vector<double>& v) { return v.empty() ? kNaN : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); };
  s.mae = mean(err);
  std::vector<double> sorted_err = err;
  std::sort(sorted_err.begin(), sorted_err.end());
  s.median_ae = sorted_err.size() % 2 ? sorted_err[sorted_err.size() / 2]
                                      : (sorted_err[sorted_err.size() / 2 - 1] + sorted_err[sorted_err.size() / 2]) / 2;
  for (double e : err) {
    s.within5 += e <= 5;
    s.within10 += e <= 10;
    s.within20 += e <= 20;
  }
  s.within5 /= n;
  s.within10 /= n;
  s.within20 /= n;
  s.hit10 = s.within10;
  s.crps = mean(cr);
  s.baseline_mae = mean(berr);
  s.baseline_crps = mean(bcr);
  s.baseline_hit10 = mean(bhit);
  s.baseline_brier = mean(bbr);
  s.vs_mae = scores::paired_bootstrap(err, berr, resamples, seed);
  s.vs_crps = scores::paired_bootstrap(cr, bcr, resamples, seed);
  s.vs_hit10 = scores::paired_bootstrap(hit, bhit, resamples, seed);
  s.diff_mae = s.vs_mae.diff;
  s.diff_lo = s.vs_mae.low;
  s.diff_hi = s.vs_mae.high;
  if (gives_p) {
    s.brier = mean(br);
    s.vs_brier = scores::paired_bootstrap(br, bbr, resamples, seed);
    s.reliability = scores::reliability(pv, ov, 5);
  }
  return s;
}

std::vector<std::string> splits_of(const std::vector<detail::DeuRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows)
    if (!r.split.empty() && std::find(out.begin(), out.end(), r.split) == out.end()) out.push_back(r.split);
  return out;
}

std::vector<std::size_t> indices(const std::vector<detail::DeuRow>& rows, const std::set<std::string>& splits) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < rows.size(); ++k)
    if (splits.count(rows[k].split)) out.push_back(k);
  return out;
}

}  // namespace

BacktestReport backtest(const std::string& path, const BacktestOptions& opt) {
  detail::check_capability(opt.capability);
  if (opt.criterion != "crps" && opt.criterion != "mae")
    throw InputError(Diagnostic{{}, "criterion", "crps or mae", fmt::format("'{}'", opt.criterion), {}});
  for (const auto& s : opt.select_on)
    if (iequals(s, "test") || s.empty())
      throw InputError(Diagnostic{{}, "select_on", "names of the splits to select on, never 'test'",
                                  fmt::format("'{}'", s), "the test split is held out: nothing may be chosen or fitted on it"});
  // Candidates.
  std::vector<Candidate> cands;
  if (opt.candidates.empty()) {
    (void)find_model(opt.model);
    Candidate c;
    c.name = opt.model;
    c.model = opt.model;
    c.params = opt.params;
    cands.push_back(std::move(c));
  } else {
    for (const auto& s : opt.candidates) cands.push_back(parse_candidate(s));
  }

  Bench bench(path, opt);
  const auto& rows = bench.data().rows();
  const auto splits = splits_of(rows);
  for (const auto& s : opt.select_on)
    if (std::find(splits.begin(), splits.end(), s) == splits.end()) {
      std::string list;
      for (const auto& x : splits) list += (list.empty() ? "" : ", ") + x;
      throw InputError(Diagnostic{{path, 1, 0}, "select_on", fmt::format("a split of the file ({})", list.empty() ? "none" : list),
                                  fmt::format("'{}'", s), {}});
    }
  // The fit split: "train" (with selection: "train" if selected on, else the first selection split).
  std::string fit_split = "train";
  if (!opt.select_on.empty() && std::find(opt.select_on.begin(), opt.select_on.end(), "train") == opt.select_on.end())
    fit_split = opt.select_on.front();
  if (iequals(fit_split, "test"))
    throw InputError(Diagnostic{{path, 0, 0}, "split", "a fit split other than 'test'", fit_split, {}});

  std::vector<Evaluated> evs;
  for (const auto& c : cands) evs.push_back(evaluate(bench, c, fit_split));
  // Baselines, one per distinct spec.
  std::map<std::string, Evaluated> baselines;
  auto baseline_spec = [&](const Candidate& c) {
    if (!opt.baseline.empty()) return opt.baseline;
    const std::string cap = c.capability.empty() ? opt.capability : c.capability;
    return cap == opt.capability ? std::string("compromise") : "compromise/cap=" + cap;
  };
  for (const auto& c : cands) {
    const std::string spec = baseline_spec(c);
    if (baselines.count(spec)) continue;
    Evaluated b = evaluate(bench, parse_candidate(spec), fit_split);
    baselines.emplace(spec, std::move(b));
  }

  BacktestReport rep;
  std::set<std::string> select_set(opt.select_on.begin(), opt.select_on.end());
  std::optional<Selection> sel;
  std::size_t primary = 0;
  if (!opt.select_on.empty()) {
    sel.emplace();
    sel->select_on = opt.select_on;
    sel->fit_split = fit_split;
    sel->criterion = opt.criterion;
    // The criterion on the selection splits, over the issues where every candidate is defined.
    const auto idx = indices(rows, select_set);
    std::set<std::string> consulted;
    for (const auto& ev : evs) consulted.insert(ev.consulted.begin(), ev.consulted.end());
    for (const auto& [spec, b] : baselines) consulted.insert(b.consulted.begin(), b.consulted.end());
    std::vector<std::size_t> common;
    for (std::size_t k : idx) {
      bool ok = true;
      for (const auto& ev : evs) ok = ok && ev.issues[k].defined;
      if (ok) {
        common.push_back(k);
        consulted.insert(rows[k].split);
      }
    }
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < evs.size(); ++c) {
      double t = 0;
      for (std::size_t k : common) {
        const auto& i = evs[c].issues[k];
        t += opt.criterion == "crps" ? i.crps : std::fabs(i.forecast - i.outcome);
      }
      const double v = common.empty() ? kNaN : t / static_cast<double>(common.size());
      sel->values.emplace_back(evs[c].candidate.name, v);
      if (v < best) {
        best = v;
        primary = c;
      }
    }
    sel->consulted.assign(consulted.begin(), consulted.end());
    sel->selected = evs[primary].candidate.name;
    auto losses = [&](std::size_t c) {
      std::vector<double> v;
      for (std::size_t k : common) {
        const auto& i = evs[c].issues[k];
        v.push_back(opt.criterion == "crps" ? i.crps : std::fabs(i.forecast - i.outcome));
      }
      return v;
    };
    std::optional<std::size_t> second;
    for (std::size_t c = 0; c < evs.size(); ++c)
      if (c != primary && (!second || sel->values[c].second < sel->values[*second].second)) second = c;
    if (second && !common.empty()) {
      const auto gap = scores::paired_bootstrap(losses(*second), losses(primary), 0, opt.seed);
      sel->runner_up = evs[*second].candidate.name;
      sel->runner_up_gap = gap.diff;
      sel->runner_up_mde = gap.mde;
      if (gap.diff < gap.mde)
        sel->warnings.push_back(fmt::format(
            "the runner-up '{}' is {:.3f} behind on the selection splits, inside the minimum detectable effect {:.3f}: "
            "the data do not tell the two apart",
            sel->runner_up, gap.diff, gap.mde));
    }
    for (const auto& s : splits)
      if (!select_set.count(s)) sel->scored_on.push_back(s);
  }

  for (std::size_t c = 0; c < evs.size(); ++c) {
    const auto& ev = evs[c];
    const auto& base = baselines.at(baseline_spec(ev.candidate));
    CandidateReport cr;
    cr.candidate = ev.candidate;
    cr.fitted = ev.fit.values;
    const bool gives_p = ev.candidate.p0 != "none";
    // With selection, only the selected candidate is scored on the rest: the others' held-out
    // scores are never computed, so nobody can re-select by looking at them.
    const bool hide_rest = sel && c != primary;
    for (const auto& s : splits) {
      if (hide_rest && !select_set.count(s)) continue;
      BacktestScore sc = score(s, indices(rows, {s}), ev, base, gives_p, opt.bootstrap, opt.seed);
      if (sel) sc.role = s == fit_split && ev.candidate.fitted() ? "fit and selection" : (select_set.count(s) ? "selection" : "scored");
      cr.scores.push_back(std::move(sc));
    }
    if (!sel) {
      std::vector<std::size_t> all(rows.size());
      std::iota(all.begin(), all.end(), 0);
      cr.scores.push_back(score("all", all, ev, base, gives_p, opt.bootstrap, opt.seed));
    }
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (hide_rest && !select_set.count(rows[k].split)) continue;
      BacktestIssue i = ev.issues[k];
      i.baseline = base.issues[k].forecast;
      i.baseline_crps = base.issues[k].crps;
      i.baseline_p_no_change = base.issues[k].baseline_p_no_change;
      cr.issues.push_back(std::move(i));
    }
    rep.candidates.push_back(std::move(cr));
  }

  if (sel) {
    // The minimum detectable effect of the criterion's difference against the baseline: on the
    // first scored split, else on the selection splits pooled (what a held-out split of that size
    // could detect).
    const auto& chosen = rep.candidates[primary];
    const auto& base = baselines.at(baseline_spec(chosen.candidate));
    const bool gives_p = chosen.candidate.p0 != "none";
    BacktestScore ref;
    if (!sel->scored_on.empty()) {
      for (const auto& s : chosen.scores)
        if (s.split == sel->scored_on.front()) ref = s;
      sel->mde_split = sel->scored_on.front();
    } else {
      ref = score("selection", indices(rows, select_set), evs[primary], base, gives_p, opt.bootstrap, opt.seed);
      sel->mde_split = "selection splits";
      sel->warnings.push_back(fmt::format(
          "every split of the file was used for selection ({}): nothing is left to score; the figures above are "
          "in-sample and optimistic. Score '{}' once on held-out data.",
          fmt::join(sel->select_on, ", "), sel->selected));
    }
    const auto& cmp = opt.criterion == "crps" ? ref.vs_crps : ref.vs_mae;
    sel->mde = cmp.mde;
    if (cmp.sd == 0 && cmp.diff == 0)
      sel->warnings.push_back("the selected candidate forecasts exactly as the baseline: there is no difference to detect");
    for (const auto& s : chosen.scores) {
      if (s.role != "scored") continue;
      for (const char* metric : {"crps", "mae"}) {
        const auto& d = std::string(metric) == "crps" ? s.vs_crps : s.vs_mae;
        if (d.diff < 0 && -d.diff < d.mde)
          sel->warnings.push_back(fmt::format(
              "on {}: the gain of {:.3f} in {} over the baseline is inside the minimum detectable effect {:.3f}: not a detectable gain",
              s.split, -d.diff, metric, d.mde));
        else if (d.diff < 0 && !d.interval_excludes_zero())
          sel->warnings.push_back(
              fmt::format("on {}: the gain of {:.3f} in {} has a 95% interval that includes 0", s.split, -d.diff, metric));
      }
    }
    if (sel->scored_on.empty() && -cmp.diff < cmp.mde)
      sel->warnings.push_back(fmt::format(
          "even in-sample, the difference of {:.3f} ({}) from the baseline is inside the minimum detectable effect {:.3f}",
          cmp.diff, opt.criterion, cmp.mde));
  }

  const auto& prim = rep.candidates[primary];
  rep.candidate = prim.candidate.name;
  rep.model = prim.candidate.model;
  rep.capability = prim.candidate.capability.empty() ? opt.capability : prim.candidate.capability;
  rep.baseline = baseline_spec(prim.candidate);
  rep.issues = prim.issues;
  rep.scores = prim.scores;
  rep.selection = std::move(sel);
  return rep;
}

}  // namespace entente

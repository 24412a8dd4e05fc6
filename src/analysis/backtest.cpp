// DEU backtest: each DEU issue is a one-issue scenario; forecasts are scored against outcomes.
#include "entente/backtest.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <nlohmann/json.hpp>
#include <sstream>

#include "entente/model.hpp"
#include "entente/output.hpp"
#include "entente/random.hpp"
#include "scenario/csv.hpp"

namespace entente {

namespace {

// DEU actor codes (column suffixes) and the country names of the vote-weight table.
const std::vector<std::pair<std::string, std::string>> deu_actors = {
    {"com", "Commission"},  {"ep", "European Parliament"}, {"at", "Austria"},   {"be", "Belgium"},
    {"bu", "Bulgaria"},     {"cr", "Croatia"},             {"cy", "Cyprus"},    {"cz", "Czech Republic"},
    {"dk", "Denmark"},      {"ee", "Estonia"},             {"fi", "Finland"},   {"fr", "France"},
    {"de", "Germany"},      {"el", "Greece"},              {"hu", "Hungary"},   {"ie", "Ireland"},
    {"it", "Italy"},        {"lv", "Latvia"},              {"lt", "Lithuania"}, {"lu", "Luxembourg"},
    {"mt", "Malta"},        {"nl", "Netherlands"},         {"pl", "Poland"},    {"pt", "Portugal"},
    {"ro", "Romania"},      {"si", "Slovenia"},            {"sk", "Slovakia"},  {"es", "Spain"},
    {"se", "Sweden"},       {"uk", "United Kingdom"}};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Diagnostic{{path, 0, 0}, "", "a readable DEU CSV file", "no such file or unreadable", {}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool to_double(const std::string& s, double& out) {
  std::string t = s;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  std::size_t b = 0;
  while (b < t.size() && std::isspace(static_cast<unsigned char>(t[b]))) ++b;
  if (b == t.size()) return false;
  auto [p, ec] = std::from_chars(t.data() + b, t.data() + t.size(), out);
  return ec == std::errc() && p == t.data() + t.size() && std::isfinite(out);
}

struct VoteWeights {
  // country -> column -> weight
  std::map<std::string, std::map<std::string, double>> table;
  double get(const std::string& country, int year) const {
    auto it = table.find(country);
    if (it == table.end()) return 0;
    const auto& row = it->second;
    auto col = [&](const char* c) {
      auto f = row.find(c);
      return f == row.end() ? 0.0 : f->second;
    };
    if (year >= 2015) {
      // Population stand-in; some cells are truncated by a digit, so take the largest year.
      double best = 0;
      for (const auto& [k, v] : row)
        if (!k.empty() && k[0] == 'p') best = std::max(best, v);
      return best;
    }
    const char* order_old[] = {"v15", "v25t", "v25"};
    const char* order_nice[] = {"v25", "v25t", "v15"};
    for (const char* c : (year <= 2004 ? order_old : order_nice))
      if (double v = col(c); v > 0) return v;
    return 0;
  }
};

VoteWeights read_vote_weights(const std::string& path) {
  const std::string text = read_file(path);
  const auto rows = csv::read(text, {}, path);
  VoteWeights w;
  if (rows.empty()) return w;
  const auto& header = rows.front().fields;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& f = rows[r].fields;
    if (f.empty() || rows[r].blank()) continue;
    for (std::size_t k = 1; k < f.size() && k < header.size(); ++k) {
      double v = 0;
      if (to_double(f[k].text, v)) w.table[f[0].text][header[k].text] = v;
    }
  }
  return w;
}

int year_of(const std::string& iso) {
  int y = 0;
  if (iso.size() >= 4) std::from_chars(iso.data(), iso.data() + 4, y);
  return y;
}

}  // namespace

std::vector<DeuCase> load_deu(const std::string& path, const BacktestOptions& opt) {
  if (opt.capability != "equal" && opt.capability != "vote-weights")
    throw InputError(Diagnostic{{"<command line>", 0, 0}, "--capability", "equal or vote-weights",
                                fmt::format("'{}'", opt.capability), {}});
  const std::string text = read_file(path);
  const auto rows = csv::read(text, {}, path);
  DiagnosticSink sink;
  if (rows.empty()) {
    sink.add({path, 1, 1}, "", "a DEU CSV with a header row", "an empty file");
    sink.throw_if_any();
  }
  std::map<std::string, std::size_t> col;
  const auto& header = rows.front().fields;
  for (std::size_t k = 0; k < header.size(); ++k) col[header[k].text] = k;
  for (const char* need : {"out", "isnr"})
    if (!col.count(need)) sink.add({path, 1, 1}, need, fmt::format("a column '{}'", need), "none in the header");
  bool any_actor = false;
  for (const auto& [code, name] : deu_actors) any_actor = any_actor || col.count("p" + code);
  if (!any_actor) sink.add({path, 1, 1}, "p<actor>", "position columns such as pcom, pfr, pde", "none in the header");
  sink.throw_if_any();

  VoteWeights weights;
  if (opt.capability == "vote-weights") {
    std::string wfile = opt.vote_weights_file;
    if (wfile.empty()) wfile = (std::filesystem::path(path).parent_path() / "eu-council-vote-weights.csv").string();
    weights = read_vote_weights(wfile);
  }

  auto cell = [&](const csv::Row& row, const std::string& name) -> const csv::Field* {
    auto it = col.find(name);
    if (it == col.end() || it->second >= row.fields.size()) return nullptr;
    return &row.fields[it->second];
  };

  std::vector<DeuCase> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.blank()) continue;
    double outcome = 0;
    const csv::Field* of = cell(row, "out");
    if (!of || !to_double(of->text, outcome) || outcome < 0 || outcome > 100) continue;  // no outcome: not scored
    const csv::Field* idf = cell(row, "isnr");
    const std::string id = idf ? idf->text : fmt::format("row{}", r);
    const csv::Field* pf = cell(row, "proc");
    const bool codecision = pf && pf->text == "COD";
    int year = 0;
    if (const auto* f = cell(row, "finact_iso")) year = year_of(f->text);
    if (year == 0)
      if (const auto* f = cell(row, "intro_iso")) year = year_of(f->text);

    Scenario sc;
    sc.title = fmt::format("DEU issue {}", id);
    sc.origin = path;
    sc.format = "deu";
    Issue is;
    is.id = id;
    is.name = id;
    if (const auto* f = cell(row, "prname")) is.description = f->text;
    is.points = {{0, "0"}, {100, "100"}};
    if (const auto* f = cell(row, "rp")) {
      double rp = 0;
      if (to_double(f->text, rp) && rp >= 0 && rp <= 100) is.status_quo = rp;
    }
    sc.issues.push_back(is);
    double largest = 0;
    if (opt.capability == "vote-weights")
      for (const auto& [code, name] : deu_actors)
        if (code != "com" && code != "ep") largest = std::max(largest, weights.get(name, year));
    for (const auto& [code, name] : deu_actors) {
      const csv::Field* p = cell(row, "p" + code);
      if (!p) continue;
      double x = 0;
      if (!to_double(p->text, x)) {
        bool blank = std::all_of(p->text.begin(), p->text.end(), [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); });
        if (!blank) sink.add({path, p->line, p->column}, "p" + code, "a position in [0, 100] or blank", fmt::format("'{}'", p->text));
        continue;
      }
      if (x < 0 || x > 100) {
        sink.add({path, p->line, p->column}, "p" + code, "a position in [0, 100]", p->text);
        continue;
      }
      double s = 0;  // missing salience counts as 0 (as in the reference scoring)
      if (const csv::Field* sf = cell(row, "s" + code)) {
        if (to_double(sf->text, s)) {
          if (s < 0 || s > 100) {
            sink.add({path, sf->line, sf->column}, "s" + code, "a salience in [0, 100]", sf->text);
            continue;
          }
        } else {
          s = 0;
        }
      }
      Actor a;
      a.id = code;
      a.name = name;
      double c = 1;
      if (opt.capability == "vote-weights") {
        if (code == "com") c = largest;
        else if (code == "ep") c = codecision ? largest : 0;
        else c = weights.get(name, year);
      }
      a.capability.value = c;
      Stance st;
      st.position.value = x;
      st.position.where = {path, p->line, p->column};
      st.salience.value = s / 100;
      a.stances.emplace_back(st);
      sc.actors.push_back(std::move(a));
    }
    if (static_cast<int>(sc.actors.size()) < opt.min_actors) continue;
    DeuCase dc;
    dc.scenario = std::move(sc);
    dc.outcome = outcome;
    if (const auto* f = cell(row, "split")) dc.split = f->text;
    if (const auto* f = cell(row, "intro_iso")) dc.introduced = f->text;
    if (const auto* f = cell(row, "finact_iso")) dc.final_act = f->text;
    out.push_back(std::move(dc));
  }
  sink.throw_if_any();
  return out;
}

namespace {

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

BacktestScore score(const std::string& split, const std::vector<const BacktestIssue*>& items, int resamples,
                    std::uint64_t seed) {
  BacktestScore s;
  s.split = split;
  std::vector<double> err, base;
  for (const auto* it : items) {
    if (!it->defined) continue;
    err.push_back(std::fabs(it->forecast - it->outcome));
    base.push_back(std::fabs(it->baseline - it->outcome));
  }
  s.n = static_cast<int>(err.size());
  if (s.n == 0) return s;
  const double n = static_cast<double>(s.n);
  s.mae = std::accumulate(err.begin(), err.end(), 0.0) / n;
  s.median_ae = median_of(err);
  for (double e : err) {
    s.within5 += e <= 5;
    s.within10 += e <= 10;
    s.within20 += e <= 20;
  }
  s.within5 /= n;
  s.within10 /= n;
  s.within20 /= n;
  s.baseline_mae = std::accumulate(base.begin(), base.end(), 0.0) / n;
  s.diff_mae = s.mae - s.baseline_mae;
  // Paired bootstrap of the MAE difference (issues resampled with their two errors together).
  std::vector<double> diffs;
  diffs.reserve(static_cast<std::size_t>(resamples));
  Rng rng(seed, 0xB007);
  for (int b = 0; b < resamples; ++b) {
    double d = 0;
    for (int k = 0; k < s.n; ++k) {
      const auto j = static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(s.n)));
      d += err[j] - base[j];
    }
    diffs.push_back(d / n);
  }
  if (!diffs.empty()) {
    std::sort(diffs.begin(), diffs.end());
    auto q = [&](double p) { return diffs[static_cast<std::size_t>(std::floor(p * static_cast<double>(diffs.size() - 1)))]; };
    s.diff_lo = q(0.025);
    s.diff_hi = q(0.975);
  }
  return s;
}

}  // namespace

BacktestReport backtest(const std::string& path, const BacktestOptions& opt) {
  (void)find_model(opt.model);
  const auto cases = load_deu(path, opt);
  BacktestReport rep;
  rep.model = opt.model;
  rep.capability = opt.capability;
  rep.issues.resize(cases.size());
  // Issues are independent: parallel, each writing its own slot, so the result is order-free.
  tbb::parallel_for(std::size_t{0}, cases.size(), [&](std::size_t k) {
    const auto& c = cases[k];
    BacktestIssue& bi = rep.issues[k];
    bi.id = c.scenario.issues[0].id;
    bi.split = c.split;
    bi.actors = static_cast<int>(c.scenario.actors.size());
    bi.outcome = c.outcome;
    const Result r = run_model(c.scenario, opt.model, opt.params, opt.seed);
    bi.defined = r.forecasts[0].defined;
    bi.forecast = r.forecasts[0].value;
    bi.baseline = run_model(c.scenario, "compromise").forecasts[0].value;
  });
  std::vector<std::string> splits;
  for (const auto& i : rep.issues)
    if (!i.split.empty() && std::find(splits.begin(), splits.end(), i.split) == splits.end()) splits.push_back(i.split);
  std::vector<const BacktestIssue*> all;
  for (const auto& i : rep.issues) all.push_back(&i);
  for (const auto& sp : splits) {
    std::vector<const BacktestIssue*> part;
    for (const auto& i : rep.issues)
      if (i.split == sp) part.push_back(&i);
    rep.scores.push_back(score(sp, part, opt.bootstrap, opt.seed));
  }
  rep.scores.push_back(score("all", all, opt.bootstrap, opt.seed));
  return rep;
}

}  // namespace entente

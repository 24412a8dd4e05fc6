// The DEU data (Thomson et al. 2006, 2012; Arregui & Perarnaud 2021) as entente scenarios: one per
// issue or one per proposal, with the actors' capabilities and each issue's decision rule (the
// Council's votes and quota in force at the final act, the EP's veto under codecision, the
// Commission as agenda setter under consultation). Periods and sources: docs/models/procedural.md.
#include "analysis/deu.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/csv.hpp"

namespace entente {
namespace detail {

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

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Diagnostic{{path, 0, 0}, "", what, "no such file or unreadable", {}});
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

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); });
}

VoteWeights read_vote_weights(const std::string& path) {
  const std::string text = read_file(path, "a readable vote-weight CSV file");
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

// The Council's voting rule by the date of the final act (ISO dates compare as strings).
struct Period {
  const char* label;
  const char* from;  // first day (inclusive)
  enum class Weights { v15, v25t, nice, population } weights;
  int members;       // 15, 25, 27, 28: which states are members (by the weight table's columns)
  long long qmv;     // votes needed (Nice and before); population rule: 0
};
// Sources: Art. 205(2) TEC (Amsterdam); Act of Accession 2003 Art. 26 and Protocol on the
// enlargement (Nice) Art. 3; Act of Accession 2005 Art. 22; Act of Accession 2012 Art. 20;
// Art. 16(4) TEU and Art. 238(3) TFEU (Lisbon) with Protocol 36 Art. 3.
const Period periods[] = {
    {"EU-15 (Amsterdam)", "0000-00-00", Period::Weights::v15, 15, 62},
    {"EU-25 (transitional)", "2004-05-01", Period::Weights::v25t, 25, 88},
    {"EU-25 (Nice)", "2004-11-01", Period::Weights::nice, 25, 232},
    {"EU-27 (Nice)", "2007-01-01", Period::Weights::nice, 27, 255},
    {"EU-28 (Nice)", "2013-07-01", Period::Weights::nice, 28, 260},
    {"EU-28 (Lisbon double majority)", "2014-11-01", Period::Weights::population, 28, 0},
};

const Period& period_of(const std::string& date) {
  const Period* p = &periods[0];
  for (const auto& q : periods)
    if (date >= q.from) p = &q;
  return *p;
}

}  // namespace

double VoteWeights::column(const std::string& country, const std::string& col) const {
  auto it = table.find(country);
  if (it == table.end()) return 0;
  auto f = it->second.find(col);
  return f == it->second.end() ? 0.0 : f->second;
}

double VoteWeights::population(const std::string& country) const {
  auto it = table.find(country);
  if (it == table.end()) return 0;
  // Some cells are truncated by a digit, so take the largest year.
  double best = 0;
  for (const auto& [k, v] : it->second)
    if (!k.empty() && k[0] == 'p') best = std::max(best, v);
  return best;
}

double VoteWeights::get(const std::string& country, int year) const {
  if (table.find(country) == table.end()) return 0;
  if (year >= 2015) return population(country);  // population stand-in
  const char* order_old[] = {"v15", "v25t", "v25"};
  const char* order_nice[] = {"v25", "v25t", "v15"};
  for (const char* c : (year <= 2004 ? order_old : order_nice))
    if (double v = column(country, c); v > 0) return v;
  return 0;
}

void check_capability(const std::string& c) {
  if (c != "equal" && c != "vote-weights" && c != "shapley-shubik" && c != "banzhaf")
    throw InputError(Diagnostic{{}, "capability", "equal, vote-weights, shapley-shubik or banzhaf",
                                fmt::format("'{}'", c), {}});
}

DeuData::DeuData(const std::string& path, const BacktestOptions& opt) : path_(path) {
  check_capability(opt.capability);
  const std::string text = read_file(path, "a readable DEU CSV file");
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

  weights_file_ = opt.vote_weights_file;
  if (weights_file_.empty())
    weights_file_ = (std::filesystem::path(path).parent_path() / "eu-council-vote-weights.csv").string();
  const bool needed = opt.capability != "equal" || !opt.vote_weights_file.empty();
  if (needed || std::filesystem::exists(weights_file_)) {
    weights_ = read_vote_weights(weights_file_);
    have_weights_ = true;
  }

  auto cell = [&](const csv::Row& row, const std::string& name) -> const csv::Field* {
    auto it = col.find(name);
    if (it == col.end() || it->second >= row.fields.size()) return nullptr;
    return &row.fields[it->second];
  };

  std::map<std::string, std::size_t> proposal_index;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.blank()) continue;
    DeuRow d;
    const csv::Field* of = cell(row, "out");
    if (!of || !to_double(of->text, d.outcome) || d.outcome < 0 || d.outcome > 100) continue;  // no outcome: not scored
    const csv::Field* idf = cell(row, "isnr");
    d.id = idf ? idf->text : fmt::format("row{}", r);
    if (const auto* f = cell(row, "prnr"); f && !blank(f->text)) d.proposal = f->text;
    else d.proposal = d.id;
    if (const auto* f = cell(row, "prname")) d.title = f->text;
    if (const auto* f = cell(row, "split")) d.split = f->text;
    if (const auto* f = cell(row, "intro_iso")) d.introduced = f->text;
    if (const auto* f = cell(row, "finact_iso")) d.final_act = f->text;
    const csv::Field* pf = cell(row, "proc");
    d.codecision = pf && pf->text == "COD";
    if (const auto* f = cell(row, "counvte")) d.unanimity = f->text == "Unan";  // "QMV", "QMV(10)": qualified majority
    if (const auto* f = cell(row, "finact_iso")) {
      d.year = year_of(f->text);
      if (d.year) d.date = f->text;
    }
    if (d.year == 0)
      if (const auto* f = cell(row, "intro_iso")) {
        d.year = year_of(f->text);
        if (d.year) d.date = f->text;
      }
    if (const auto* f = cell(row, "rp")) {
      double rp = 0;
      if (to_double(f->text, rp) && rp >= 0 && rp <= 100) d.status_quo = rp;
    }
    for (const auto& [code, name] : deu_actors) {
      const csv::Field* p = cell(row, "p" + code);
      if (!p) continue;
      double x = 0;
      if (!to_double(p->text, x)) {
        if (!blank(p->text)) sink.add({path, p->line, p->column}, "p" + code, "a position in [0, 100] or blank", fmt::format("'{}'", p->text));
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
      d.positions.push_back({code, name, x, s / 100, {path, p->line, p->column}});
    }
    if (static_cast<int>(d.positions.size()) < opt.min_actors) continue;
    auto [it, fresh] = proposal_index.emplace(d.proposal, members_.size());
    if (fresh) members_.emplace_back();
    members_[it->second].push_back(rows_.size());
    rows_.push_back(std::move(d));
  }
  sink.throw_if_any();
}

std::optional<DecisionRule> DeuData::rule(const DeuRow& row) const {
  if (!have_weights_ || row.date.empty()) return std::nullopt;
  const Period& per = period_of(row.date);
  DecisionRule r;
  for (const auto& [code, name] : deu_actors) {
    if (code == "com" || code == "ep") continue;
    double w = 0;
    switch (per.weights) {
      case Period::Weights::v15: w = weights_.column(name, "v15"); break;
      case Period::Weights::v25t: w = weights_.column(name, "v25t"); break;
      case Period::Weights::nice: {
        // Members by accession: the 25 of 2004 (those with a transitional weight), Bulgaria and
        // Romania from 2007, Croatia from July 2013.
        const bool member = weights_.column(name, "v25t") > 0 || (per.members >= 27 && (code == "bu" || code == "ro")) ||
                            (per.members >= 28 && code == "cr");
        if (member) w = weights_.column(name, "v25");
        break;
      }
      case Period::Weights::population:
        // Population in tens of thousands (the table's units are hundreds): whole numbers for the power indices.
        if (double p = weights_.population(name); p > 0) w = std::max(1.0, std::round(p / 100));
        break;
    }
    if (w > 0) r.voters.push_back({code, w});
  }
  if (r.voters.empty()) return std::nullopt;
  double total = 0;
  for (const auto& v : r.voters) total += v.weight;
  const int n = static_cast<int>(r.voters.size());
  std::string vote;
  if (row.unanimity) {
    r.quota = total;
    vote = fmt::format("unanimity of {} members", n);
  } else if (per.weights == Period::Weights::population) {
    r.quota = std::ceil(0.65 * total);
    r.min_voters = static_cast<int>(std::ceil(0.55 * n));
    r.voters_suffice = n - 3;
    vote = fmt::format("QMV: {} of {} members with 65% of the population, or {} members", r.min_voters, n, r.voters_suffice);
  } else {
    r.quota = static_cast<double>(per.qmv);
    if (per.weights == Period::Weights::nice) r.min_voters = n / 2 + 1;
    vote = r.min_voters ? fmt::format("QMV: {} of {} votes from {} of {} members", per.qmv, total, r.min_voters, n)
                        : fmt::format("QMV: {} of {} votes", per.qmv, total);
  }
  if (row.codecision) {
    r.veto_players = {"ep"};
  } else {
    r.agenda_setter = "com";
    r.unanimous_amendment = true;
  }
  r.name = fmt::format("{}, {}, {}", row.codecision ? "codecision" : "consultation", per.label, vote);
  return r;
}

double DeuData::capability(const DeuRow& row, const std::string& code, const std::string& cap) const {
  if (cap == "equal") return 1;
  if (cap == "vote-weights") {
    double largest = 0;
    for (const auto& [c, name] : deu_actors)
      if (c != "com" && c != "ep") largest = std::max(largest, weights_.get(name, row.year));
    if (code == "com") return largest;
    if (code == "ep") return row.codecision ? largest : 0;
    for (const auto& [c, name] : deu_actors)
      if (c == code) return weights_.get(name, row.year);
    return 0;
  }
  // Power indices of the issue's decision rule; actors outside the game (the EP under
  // consultation, the Commission under codecision) hold none.
  const auto r = rule(row);
  if (!r)
    throw InputError(Diagnostic{{path_, 0, 0}, "finact_iso/intro_iso", "a date for every issue (power indices need the period's voting rule)",
                                fmt::format("none for issue {}", row.id), {}});
  auto it = power_.find(r->name);
  if (it == power_.end()) it = power_.emplace(r->name, power_indices(*r)).first;
  for (const auto& p : it->second)
    if (p.actor == code) return cap == "banzhaf" ? p.banzhaf : p.shapley_shubik;
  return 0;
}

Scenario DeuData::scenario(const std::vector<std::size_t>& idx, const std::string& cap, bool per_issue_capability) const {
  Scenario sc;
  sc.origin = path_;
  sc.format = "deu";
  sc.title = idx.size() == 1 ? fmt::format("DEU issue {}", rows_[idx[0]].id)
                             : fmt::format("DEU proposal {}", rows_[idx[0]].proposal);
  for (std::size_t i : idx) {
    const DeuRow& row = rows_[i];
    Issue is;
    is.id = row.id;
    is.name = row.id;
    is.description = row.title;
    is.points = {{0, "0"}, {100, "100"}};
    is.status_quo = row.status_quo;
    is.decision_rule = rule(row);
    sc.issues.push_back(std::move(is));
  }
  for (const auto& [code, name] : deu_actors) {
    Actor a;
    bool present = false;
    a.id = code;
    a.name = name;
    a.stances.resize(idx.size());
    for (std::size_t k = 0; k < idx.size(); ++k) {
      const DeuRow& row = rows_[idx[k]];
      for (const auto& p : row.positions) {
        if (p.code != code) continue;
        const double c = capability(row, code, cap);
        Stance st;
        st.position.value = p.x;
        st.position.where = p.where;
        st.salience.value = p.s;
        if (per_issue_capability) {
          Quantity q;
          q.value = c;
          st.capability = q;
        }
        if (!present) a.capability.value = c;
        present = true;
        a.stances[k] = std::move(st);
      }
    }
    if (present) sc.actors.push_back(std::move(a));
  }
  return sc;
}

std::vector<DeuCase> DeuData::cases(const std::string& cap) const {
  check_capability(cap);
  std::vector<DeuCase> out;
  out.reserve(rows_.size());
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    DeuCase c;
    c.scenario = scenario({i}, cap, false);
    c.outcome = rows_[i].outcome;
    c.split = rows_[i].split;
    c.proposal = rows_[i].proposal;
    c.introduced = rows_[i].introduced;
    c.final_act = rows_[i].final_act;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<DeuProposal> DeuData::proposals(const std::string& cap) const {
  check_capability(cap);
  std::vector<DeuProposal> out;
  for (const auto& m : members_) {
    DeuProposal p;
    p.scenario = scenario(m, cap, true);
    p.id = rows_[m[0]].proposal;
    for (std::size_t i : m) {
      p.outcomes.push_back(rows_[i].outcome);
      p.splits.push_back(rows_[i].split);
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace detail

std::vector<DeuCase> load_deu(const std::string& path, const BacktestOptions& options) {
  return detail::DeuData(path, options).cases(options.capability);
}

std::vector<DeuProposal> load_deu_proposals(const std::string& path, const BacktestOptions& options) {
  return detail::DeuData(path, options).proposals(options.capability);
}

}  // namespace entente

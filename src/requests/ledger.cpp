// The ledger and news requests: seal a forecast, list, verify, score, timeline; find news.
#include <cmath>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "entente/ledger.hpp"
#include "entente/news.hpp"
#include "entente/deal.hpp"
#include "entente/requests.hpp"
#include "entente/store.hpp"
#include "requests/internal.hpp"

namespace entente {

namespace {
std::string store_path(const std::string& given) { return given.empty() ? Store::default_path() : given; }

std::vector<std::string> ledger_default_models() {
  std::vector<std::string> out{"compromise"};
  for (const auto* m : models())
    if (m->info().name == "bdm") out.emplace_back("bdm");
  return out;
}
}  // namespace

LedgerAddResponse ledger_add(const LedgerAddRequest& request) {
  const auto names = detail::models_or(request.models, ledger_default_models(), "forecast with");
  const auto params = route_params(names, request.models.params);
  const Scenario s = resolve_scenario(request.scenario);
  if (s.as_of.empty())
    throw InputError(Diagnostic{{s.origin, 0, 0}, "as_of", "the scenario's as_of date (a ledger entry is dated)", "none", {}});
  const Provenance p = detail::provenance(request.scenario, s, request.models);
  std::vector<Result> results;
  std::vector<SimulationResult> sims;
  for (std::size_t k = 0; k < names.size(); ++k) {
    RunOptions o = detail::run_options(params[k], p);
    o.cancel = request.models.cancel;
    results.push_back(run_model(s, names[k], o));
    if (request.draws > 0) {
      SimulationOptions so;
      so.model = names[k];
      so.params = params[k];
      so.seed = p.seed;
      so.settle = p.settle;
      so.draws = request.draws;
      so.threads = request.threads;
      so.cancel = request.models.cancel;
      sims.push_back(simulate(s, so));
      if (sims.back().partial) throw Cancelled();  // a sealed entry is never over part of its draws
    }
  }
  std::vector<const SimulationResult*> sp;
  for (const auto& x : sims) sp.push_back(&x);
  LedgerEntry e = make_ledger_entry(s, results, sp, p.seed, request.draws);
  e.file = p.scenario_file;
  // P(deal): the share of the same draws in which some package is acceptable to every veto player
  // (docs/models/deal.md); only for scenarios that name veto players, and only with draws.
  if (request.draws > 0 && !veto_players(s).empty()) {
    DealOptions dealo;
    dealo.seed = p.seed;
    dealo.draws = request.draws;
    dealo.threads = request.threads;
    dealo.cancel = request.models.cancel;
    const DealResult d = analyse_deal(s, dealo);
    if (request.models.cancel && request.models.cancel->load()) throw Cancelled();
    if (std::isfinite(d.p_possible)) e.p_deal = d.p_possible;
  }
  if (!p.edits.empty()) {  // what-ifs make another scenario: its title says so
    for (const auto& label : p.edits) e.title += " [" + label + "]";
  }
  LedgerAddResponse out;
  out.store_path = store_path(request.store);
  Ledger ledger(out.store_path);
  out.entry = ledger.append(std::move(e));
  return out;
}

LedgerListResponse ledger_list(const LedgerRequest& request) {
  LedgerListResponse out;
  out.store_path = store_path(request.store);
  out.entries = Ledger(out.store_path).entries();
  return out;
}

LedgerVerifyResponse ledger_verify(const LedgerRequest& request) {
  LedgerVerifyResponse out;
  out.store_path = store_path(request.store);
  out.verification = verify(Ledger(out.store_path).rows(), request.head);
  return out;
}

LedgerScoreResponse ledger_score(const LedgerRequest& request) {
  if (request.resolution.empty())
    throw InputError(Diagnostic{{}, "resolution", "a resolution file", "none", {}});
  LedgerScoreResponse out;
  out.resolution = load_resolution(request.resolution);
  out.scores = score(Ledger(store_path(request.store)).entries(), out.resolution);
  return out;
}

LedgerTimelineResponse ledger_timeline(const LedgerRequest& request) {
  std::optional<Resolution> res;
  if (!request.resolution.empty()) res = load_resolution(request.resolution);
  LedgerTimelineResponse out;
  out.timeline = timeline(Ledger(store_path(request.store)).entries(), request.title, res);
  return out;
}

NewsResponse news(const NewsRequest& request) {
  std::ifstream in(request.article, std::ios::binary);
  if (!in) throw InputError(Diagnostic{{request.article, 0, 0}, "article", "a readable text file", "cannot open", {}});
  std::ostringstream ss;
  ss << in.rdbuf();
  const Scenario s = resolve_scenario(request.scenario);
  NewsResponse out;
  out.report = find_news(s, ss.str(), request.article, request.date);
  return out;
}

}  // namespace entente

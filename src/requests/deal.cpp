// The deal requests (docs/models/deal.md): resolve the scenario and its what-ifs, route the models'
// parameters, run the analysis (split across MPI ranks when a Distributor is given) and save to the
// run store when asked. No formatting here.
#include <chrono>

#include "entente/deal.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"
#include "requests/internal.hpp"

namespace entente {

DealResponse deal(const DealRequest& request) {
  DealResponse out;
  // No default list: without models the analysis is the model-free one (zones, maximin).
  const std::vector<std::string> names = request.models.models;
  const auto params = route_params(names, request.models.params);
  out.scenario = resolve_scenario(request.scenario);
  out.provenance = detail::provenance(request.scenario, out.scenario, request.models);
  if (request.distributor) out.speaker = request.distributor->rank() == 0;
  DealOptions o;
  o.models = names;
  o.params = params;
  o.seed = out.provenance.seed;
  o.settle = out.provenance.settle;
  o.draws = request.draws;
  o.first_draw = request.first_draw;
  o.threads = request.threads;
  o.cancel = request.cancel;
  o.progress = request.progress;
  out.result = request.distributor ? analyse_deal(out.scenario, o, *request.distributor) : analyse_deal(out.scenario, o);
  out.partial = out.result.partial;
  if (!out.speaker) return out;
  std::string models;
  for (const auto& m : out.result.models) models += (models.empty() ? "" : ",") + m.model;
  const Params stored = params.size() == 1 ? params.front() : Params{};  // several models: in the document
  detail::save(request.store, out.provenance, [&](Store& store) {
    return store.save_document(out.scenario, "deal", models, stored, o.seed, render(out, Format::json),
                               out.result.seconds, detail::note_of(out.provenance));
  });
  return out;
}

DealWhatIfResponse deal_whatif(const DealWhatIfRequest& request) {
  DealWhatIfResponse out;
  out.scenario = resolve_scenario(request.scenario);
  out.provenance = detail::provenance(request.scenario, out.scenario, ModelSelection{});
  const auto start = std::chrono::steady_clock::now();
  out.result = entente::deal_whatif(out.scenario, request.options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  detail::save(request.store, out.provenance, [&](Store& store) {
    return store.save_document(out.scenario, "whatif", "deal", {}, 0, render(out, Format::json), seconds,
                               detail::note_of(out.provenance));
  });
  return out;
}

}  // namespace entente

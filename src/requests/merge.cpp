// The expert-panel request: loads each expert's file (any importable format), merges them with
// merge_experts and keeps the importers' warnings for the front end to show.
#include <fmt/format.h>

#include <filesystem>

#include "entente/requests.hpp"

namespace entente {

MergeResponse merge(const MergeRequest& request) {
  if (!request.names.empty() && request.names.size() != request.experts.size())
    throw InputError(Diagnostic{{}, "names", fmt::format("{} names, one per expert", request.experts.size()),
                                fmt::format("{}", request.names.size()), {}});
  std::vector<Expert> experts;
  MergeResponse out;
  for (std::size_t k = 0; k < request.experts.size(); ++k) {
    const ScenarioSource& src = request.experts[k];
    Expert e;
    e.file = !src.path.empty() ? src.path : !src.name.empty() ? src.name : src.scenario ? src.scenario->origin : std::string();
    e.name = !request.names.empty() ? request.names[k] : std::filesystem::path(e.file).stem().string();
    if (e.name.empty()) e.name = fmt::format("expert {}", k + 1);
    e.scenario = resolve_scenario(src);
    out.warnings.insert(out.warnings.end(), e.scenario.warnings.begin(), e.scenario.warnings.end());
    experts.push_back(std::move(e));
  }
  out.panel = merge_experts(experts);  // fewer than two experts, clashing issues: InputError
  out.top = request.top;
  return out;
}

}  // namespace entente

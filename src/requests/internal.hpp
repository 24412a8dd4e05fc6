// Internal helpers of the request layer.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "entente/requests.hpp"
#include "entente/store.hpp"

namespace entente::detail {

// SHA-1 of the scenario's native YAML: the same scenario, the same hash, whatever file it came from.
[[nodiscard]] std::string scenario_hash(const Scenario& scenario);
// Version, file, what-ifs, seed (and where it came from), settle rule and the resolved scenario's hash.
[[nodiscard]] Provenance provenance(const ScenarioSource& source, const Scenario& scenario, const ModelSelection& selection);
// The request's models, or `fallback` when it names none (empty fallback: an error naming `what`).
[[nodiscard]] std::vector<std::string> models_or(const ModelSelection& selection, std::vector<std::string> fallback,
                                                 const char* what);
[[nodiscard]] const std::string& single_model(const std::vector<std::string>& names);
// Options of one model run: the routed parameters, the provenance's seed and settle rule; records nothing.
[[nodiscard]] RunOptions run_options(const Params& params, const Provenance& provenance);
// The store's note for a run: its what-ifs.
[[nodiscard]] std::string note_of(const Provenance& provenance);
// Saves when the target asks; records the run id, or why it was not saved.
void save(const StoreTarget& target, Provenance& provenance, const std::function<std::int64_t(Store&)>& write);
// The target's store, open (nothing when saving is off, or the default store cannot be opened:
// then the provenance says why). A store the user named must open: InputError otherwise.
[[nodiscard]] std::optional<Store> open_store(const StoreTarget& target, Provenance& provenance);
// After a run was saved: the default retention on the default store (docs/store.md), noted in
// the provenance when it removed runs.
void retain(Store& store, const StoreTarget& target, Provenance& provenance);

}  // namespace entente::detail

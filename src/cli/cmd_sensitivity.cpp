// entente sensitivity: a tornado table per issue: each uncertain input across its range alone,
// and each actor dropped.
#include <fmt/format.h>

#include <chrono>

#include "cli/cluster.hpp"
#include "cli/command.hpp"
#include "cli/store_options.hpp"
#include "entente/analysis.hpp"

namespace entente::cli {
namespace {
struct Options {
  ScenarioOptions scenario;
  ModelOptions model;
  OutputOptions output;
  StoreOptions store;
  std::size_t top = 0;
  bool no_drop = false;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("sensitivity", "which inputs move each forecast most (tornado), and the effect of dropping each actor");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, {});
  cmd->add_option("--top", o->top, "show only the N largest effects per issue (0 = all)")->capture_default_str();
  cmd->add_flag("--no-drop", o->no_drop, "do not try dropping each actor");
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    const Scenario scenario = load(o->scenario);
    SensitivityOptions so;
    so.model = single_model(o->model);
    so.params = params_for(o->model, so.model);
    so.seed = o->model.seed;
    so.drop_actors = !o->no_drop;
    const auto start = std::chrono::steady_clock::now();
    // Under mpirun each rank computes every size-th entry; rank 0 gathers, fills in and ranks.
    const Cluster& cl = cluster();
    so.rank = static_cast<std::size_t>(cl.rank);
    so.ranks = static_cast<std::size_t>(cl.size);
    SensitivityResult r = sensitivity(scenario, so);
    if (cl.size > 1) {
      const auto parts = cl.gather(serialize_entries(r, cl.rank, cl.size));
      if (cl.rank != 0) return;
      for (std::size_t k = 1; k < parts.size(); ++k) fill_entries(r, parts[k]);
      rank_entries(r);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    emit(o->output, write_sensitivity(scenario, r, parse_format(o->output.format), o->top));
    save_document(o->store, scenario, "sensitivity", r.model, so.params, so.seed, write_sensitivity(scenario, r, Format::json), seconds);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("sensitivity", setup);
}  // namespace entente::cli

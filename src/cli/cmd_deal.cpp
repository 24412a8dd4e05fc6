// entente deal: will there be a deal? Veto players, zones of possible agreement, the most
// acceptable package, each model's forecast checked, and with --draws the probabilities.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"
#include "entente/deal.hpp"

namespace entente::cli {
namespace {
struct Options {
  ScenarioOptions scenario;
  ModelOptions model;
  OutputOptions output;
  std::uint64_t draws = 0;
  unsigned threads = 0;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("deal", "will there be a deal? veto players, zones of agreement, P(a deal is possible)");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, {});
  cmd->add_option("-n,--draws", o->draws, "Monte Carlo draws of the uncertain inputs (0 = point values only)")
      ->capture_default_str()
      ->check(CLI::Range(0ULL, 100000000ULL));
  cmd->add_option("-t,--threads", o->threads, "worker threads (0 = all cores)")->capture_default_str();
  add_output_options(cmd, o->output);
  cmd->callback([o] {
    const Scenario scenario = load(o->scenario);
    DealOptions d;
    d.models = o->model.models;
    for (const auto& m : d.models) d.params.push_back(params_for(o->model, m));
    d.seed = o->model.seed;
    d.draws = o->draws;
    d.threads = o->threads;
    if (o->draws > 0 && stderr_is_terminal())
      d.progress = [](std::uint64_t done, std::uint64_t total) {
        std::cerr << fmt::format("\r{}/{} draws", done, total) << std::flush;
      };
    const DealResult r = analyse_deal(scenario, d);
    if (d.progress) std::cerr << "\r" << std::string(40, ' ') << "\r";
    emit(o->output, write_deal(scenario, r, parse_format(o->output.format)));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("deal", setup);
}  // namespace entente::cli

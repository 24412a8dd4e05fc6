// entente runs list | show ID | export ID | prune: the run store.
#include "cli/command.hpp"
#include "cli/interrupt.hpp"
#include "entente/store.hpp"

namespace entente::cli {
namespace {
struct Options {
  std::string store;
  OutputArgs output;
  std::size_t limit = 20;
  std::int64_t id = 0;
  double older_than = -1;
  std::size_t keep = 0;
  double max_size_mb = 0;
  unsigned threads = 0;
};

Store open_for_reading(const Options& o) { return Store(o.store.empty() ? Store::default_path() : o.store); }

// show and export: a simulation saved without its draws has them computed again (and checked).
// Ctrl-C while they are computed: nothing is printed, exit 130.
StoredRun load(const Options& o) {
  const InterruptGuard guard(InterruptGuard::Stages::two);
  LoadRunRequest req;
  req.store = o.store;
  req.id = o.id;
  req.threads = o.threads;
  req.cancel = guard.compute();
  return load_run(req);
}

void threads_option(CLI::App* sub, Options& o) {
  sub->add_option("-t,--threads", o.threads,
                  "worker threads for a simulation whose draws are computed again (0 = all cores)")
      ->capture_default_str();
}

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("runs", "saved runs: list, show, export, prune");
  cmd->require_subcommand(1);
  auto store_opt = [o](CLI::App* sub) {
    sub->add_option("--store", o->store, "run store (default $ENTENTE_STORE, else the user data directory)")->type_name("PATH");
  };
  auto* list = cmd->add_subcommand("list", "the latest runs, newest first");
  store_opt(list);
  list->add_option("--limit", o->limit, "how many (0 = all)")->capture_default_str();
  add_output_options(list, o->output);
  list->callback([o] {
    const Format format = o->output.resolved();
    emit(o->output, format, render(open_for_reading(*o).list(o->limit), format));
  });
  auto* show = cmd->add_subcommand("show", "one run: what was run and its results");
  store_opt(show);
  show->add_option("ID", o->id, "run id")->required();
  auto show_out = std::make_shared<OutputArgs>();
  add_output_options(show, *show_out, {"table", "json", "csv"});
  threads_option(show, *o);
  show->callback([o, show_out] {
    const Format format = show_out->resolved();
    emit(*show_out, format, render(load(*o), format));
  });
  auto* prune = cmd->add_subcommand(
      "prune", "remove old runs by age, count or size (no option: the default retention, the last 1000 runs and 1 GB)");
  store_opt(prune);
  prune->add_option("--older-than", o->older_than, "remove runs older than this many days")->check(CLI::NonNegativeNumber);
  prune->add_option("--keep", o->keep, "keep only the newest N runs")->check(CLI::PositiveNumber);
  prune->add_option("--max-size", o->max_size_mb, "remove the oldest runs until the stored data fit in this many MB")
      ->check(CLI::PositiveNumber);
  add_output_options(prune, o->output, {"table", "json"});
  prune->callback([o] {
    PrunePolicy policy;
    policy.older_than_days = o->older_than;
    policy.keep = o->keep;
    policy.max_bytes = static_cast<std::uint64_t>(o->max_size_mb * 1e6);
    if (policy.older_than_days < 0 && policy.keep == 0 && policy.max_bytes == 0) policy = PrunePolicy::default_retention();
    Store store = open_for_reading(*o);
    const Format format = o->output.resolved();
    emit(o->output, format, render(store.prune(policy), format));
  });
  auto* exp = cmd->add_subcommand("export", "one run as JSON (everything), CSV (draw,issue,series,round,value) or XLSX");
  store_opt(exp);
  exp->add_option("ID", o->id, "run id")->required();
  auto o2 = std::make_shared<OutputArgs>();
  add_output_options(exp, *o2, {"json", "csv", "xlsx"});
  threads_option(exp, *o);
  exp->callback([o, o2] {
    const Format format = o2->resolved(Format::json);
    emit(*o2, format, render(load(*o), format == Format::table ? Format::json : format));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("runs", setup);
}  // namespace entente::cli

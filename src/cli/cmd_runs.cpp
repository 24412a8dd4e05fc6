// entente runs list | show ID | export ID: the run store.
#include "cli/command.hpp"
#include "entente/store.hpp"

namespace entente::cli {
namespace {
struct Options {
  std::string store;
  OutputArgs output;
  std::size_t limit = 20;
  std::int64_t id = 0;
};

Store open_for_reading(const Options& o) { return Store(o.store.empty() ? Store::default_path() : o.store); }

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("runs", "saved runs: list, show, export");
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
  show->callback([o] { emit(OutputArgs{}, Format::table, render(open_for_reading(*o).load(o->id), Format::table)); });
  auto* exp = cmd->add_subcommand("export", "one run as JSON (everything), CSV (draw,issue,series,round,value) or XLSX");
  store_opt(exp);
  exp->add_option("ID", o->id, "run id")->required();
  auto o2 = std::make_shared<OutputArgs>();
  add_output_options(exp, *o2, {"json", "csv", "xlsx"});
  exp->callback([o, o2] {
    const Format format = o2->resolved(Format::json);
    emit(*o2, format, render(open_for_reading(*o).load(o->id), format == Format::table ? Format::json : format));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("runs", setup);
}  // namespace entente::cli

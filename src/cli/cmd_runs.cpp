// entente runs list | show ID | export ID: the run store.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/store_options.hpp"

namespace entente::cli {
namespace {
struct Options {
  StoreOptions store;
  OutputOptions output;
  std::size_t limit = 20;
  std::int64_t id = 0;
};

Store open_for_reading(const StoreOptions& o) { return Store(o.path.empty() ? Store::default_path() : o.path); }

std::string write_list(const std::vector<RunRecord>& runs, Format format) {
  if (format == Format::json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& r : runs)
      j.push_back({{"id", r.id}, {"kind", r.kind}, {"created", r.created}, {"model", r.model}, {"seed", r.seed},
                   {"draws", r.draws}, {"partial", r.partial}, {"seconds", r.seconds}, {"scenario", r.scenario_title},
                   {"scenario_hash", r.scenario_hash}});
    return j.dump(2) + "\n";
  }
  std::string out;
  if (format == Format::csv) {
    out = "id,kind,created,model,seed,draws,partial,seconds,scenario,scenario_hash\n";
    for (const auto& r : runs) {
      std::string title = r.scenario_title;
      if (title.find_first_of(",\"\n") != std::string::npos) {
        std::string q = "\"";
        for (char c : title) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        title = q + "\"";
      }
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", r.id, r.kind, r.created, r.model, r.seed, r.draws, r.partial,
                         format_number(r.seconds), title, r.scenario_hash);
    }
    return out;
  }
  out = fmt::format("{:>6}  {:<11}  {:<24}  {:<12}  {:>8}  {}\n", "id", "kind", "created (UTC)", "model", "draws", "scenario");
  for (const auto& r : runs)
    out += fmt::format("{:>6}  {:<11}  {:<24}  {:<12}  {:>8}  {}{}\n", r.id, r.kind, r.created, r.model, r.draws,
                       r.scenario_title.empty() ? "(untitled)" : r.scenario_title, r.partial ? " (partial)" : "");
  return out;
}

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("runs", "saved runs: list, show, export");
  cmd->require_subcommand(1);
  auto store_opt = [o](CLI::App* sub) {
    sub->add_option("--store", o->store.path, "run store (default $ENTENTE_STORE, else the user data directory)")->type_name("PATH");
  };
  auto* list = cmd->add_subcommand("list", "the latest runs, newest first");
  store_opt(list);
  list->add_option("--limit", o->limit, "how many (0 = all)")->capture_default_str();
  add_output_options(list, o->output);
  list->callback([o] {
    Store s = open_for_reading(o->store);
    emit(o->output, write_list(s.list(o->limit), parse_format(o->output.format)));
  });
  auto* show = cmd->add_subcommand("show", "one run: what was run and its results");
  store_opt(show);
  show->add_option("ID", o->id, "run id")->required();
  show->callback([o] {
    Store s = open_for_reading(o->store);
    emit(o->output, s.export_run(o->id, Format::table));
  });
  auto* exp = cmd->add_subcommand("export", "one run as JSON (everything) or CSV (draw,issue,series,round,value)");
  store_opt(exp);
  exp->add_option("ID", o->id, "run id")->required();
  auto o2 = std::make_shared<OutputOptions>();
  o2->format = "json";
  add_output_options(exp, *o2, {"json", "csv"});
  exp->callback([o, o2] {
    Store s = open_for_reading(o->store);
    emit(*o2, s.export_run(o->id, parse_format(o2->format)));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("runs", setup);
}  // namespace entente::cli

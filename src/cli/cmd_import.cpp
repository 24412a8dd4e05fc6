// entente import FILE -o OUT.yaml: converts any importable file (stakeholder table, Decide, KTAB
// CSV/XML, or a native scenario) into the native format; --drop/--set apply what-ifs first, so an
// edited scenario can be saved as a file (as the web UI's "Save as YAML" does).
#include <fmt/format.h>

#include <filesystem>

#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct ImportOptions {
  ScenarioArgs scenario;
  OutputArgs out;
};

void setup(CLI::App& app) {
  auto opts = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand(
      "import", "convert a stakeholder table (CSV, XLSX, ODS), Decide file or KTAB CSV/XML into an entente scenario (YAML or JSON)");
  add_scenario_options(cmd, opts->scenario);
  opts->out.format.clear();
  cmd->add_option("-f,--format", opts->out.format, "output format (default: from the -o extension, else yaml)")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_option("-o,--output", opts->out.output, "write to this file (atomically) instead of standard output")
      ->type_name("FILE");
  cmd->callback([opts] {
    const Scenario s = resolve_scenario(opts->scenario.source());
    report_warnings(s);  // on standard error, so the output stays the scenario
    const bool json = opts->out.format.empty() ? format_of_path(opts->out.output, Format::table) == Format::json
                                               : opts->out.format == "json";
    emit(opts->out, Format::table, json ? to_json(s) : to_yaml(s));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("import", setup);
}  // namespace entente::cli

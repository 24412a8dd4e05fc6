// entente import FILE -o OUT.yaml: converts any importable file (stakeholder table, Decide, KTAB
// CSV/XML, or a native scenario) into the native format.
#include <fmt/format.h>

#include <filesystem>

#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct ImportOptions {
  std::string file;
  OutputArgs out;
};

void setup(CLI::App& app) {
  auto opts = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand(
      "import", "convert a stakeholder table (CSV, XLSX, ODS), Decide file or KTAB CSV/XML into an entente scenario (YAML or JSON)");
  cmd->add_option("FILE", opts->file, "input file (format detected from its content)")->required();
  opts->out.format.clear();
  cmd->add_option("-f,--format", opts->out.format, "output format (default: from the -o extension, else yaml)")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_option("-o,--output", opts->out.output, "write to this file (atomically) instead of standard output")
      ->type_name("FILE");
  cmd->callback([opts] {
    const Scenario s = load_scenario(opts->file);
    report_warnings(s);  // on standard error, so the output stays the scenario
    const bool json = opts->out.format.empty() ? format_of_path(opts->out.output, Format::table) == Format::json
                                               : opts->out.format == "json";
    emit(opts->out, Format::table, json ? to_json(s) : to_yaml(s));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("import", setup);
}  // namespace entente::cli

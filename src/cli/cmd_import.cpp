// entente import FILE -o OUT.yaml: converts any importable file (stakeholder table, Decide, KTAB
// CSV/XML, or a native scenario) into the native format.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct ImportOptions {
  std::string file;
  OutputOptions out;
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
    // What the importer read as documented but wants looked at (an ignored column, a scale taken
    // from the data): on standard error, so the output stays the scenario.
    for (const auto& w : s.warnings) std::fprintf(stderr, "%s\n", w.to_string("warning").c_str());
    OutputOptions o = opts->out;
    if (o.format.empty()) {
      std::string ext = std::filesystem::path(o.output).extension().string();
      for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      o.format = ext == ".json" ? "json" : "yaml";
    }
    emit(o, o.format == "json" ? to_json(s) : to_yaml(s));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("import", setup);
}  // namespace entente::cli

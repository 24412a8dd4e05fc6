// entente merge EXPERT1.csv EXPERT2.xlsx ... -o panel.yaml: several experts' estimates of the same
// actors and issues merged into one scenario (include/entente/merge.hpp), the disagreements listed.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "cli/command.hpp"
#include "entente/merge.hpp"

namespace entente::cli {
namespace {

struct MergeOptions {
  std::vector<std::string> files;
  std::vector<std::string> names;
  std::size_t top = 10;
  OutputOptions out;
};

void run(const MergeOptions& o) {
  if (!o.names.empty() && o.names.size() != o.files.size())
    throw InputError(Diagnostic{{"<command line>", 0, 0}, "--names", fmt::format("{} names, one per file", o.files.size()),
                                fmt::format("{}", o.names.size()), {}});
  std::vector<Expert> experts;
  for (std::size_t k = 0; k < o.files.size(); ++k) {
    Expert e;
    e.file = o.files[k];
    e.name = o.names.empty() ? std::filesystem::path(e.file).stem().string() : o.names[k];
    e.scenario = load_scenario(e.file);
    for (const auto& w : e.scenario.warnings) std::fprintf(stderr, "%s\n", w.to_string("warning").c_str());
    experts.push_back(std::move(e));
  }
  const PanelResult r = merge_experts(experts);
  OutputOptions out = o.out;
  if (out.format.empty()) {
    std::string ext = std::filesystem::path(out.output).extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.format = ext == ".json" ? "json" : "yaml";
  }
  emit(out, out.format == "json" ? to_json(r.scenario) : to_yaml(r.scenario));
  // The scenario goes to the file (or standard output); the disagreements to the terminal.
  const std::string report = describe_panel(r, o.top);
  std::FILE* where = out.output.empty() || out.output == "-" ? stderr : stdout;
  std::fwrite(report.data(), 1, report.size(), where);
  std::fflush(where);
}

void setup(CLI::App& app) {
  auto o = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand(
      "merge", "merge several experts' estimates (any importable files) into one scenario with their spread as uncertainty");
  cmd->add_option("FILES", o->files, "one file per expert (CSV, XLSX, ODS, YAML, ...), the same actors and issues")
      ->required()
      ->expected(2, -1);
  cmd->add_option("--names", o->names, "the experts' names, one per file (default: the file names)")
      ->delimiter(',')
      ->type_name("NAME,...");
  cmd->add_option("--top", o->top, "how many of the largest disagreements to list")->capture_default_str();
  o->out.format.clear();
  cmd->add_option("-f,--format", o->out.format, "output format (default: from the -o extension, else yaml)")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_option("-o,--output", o->out.output, "write the scenario to this file (atomically)")->type_name("FILE");
  cmd->callback([o] { run(*o); });
}

}  // namespace
ENTENTE_REGISTER_COMMAND("merge", setup);
}  // namespace entente::cli

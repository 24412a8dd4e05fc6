// entente merge EXPERT1.csv EXPERT2.xlsx ... -o panel.yaml: several experts' estimates of the same
// actors and issues merged into one scenario (MergeRequest), the disagreements listed.
#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct Options {
  std::vector<std::string> files;
  std::vector<std::string> names;
  std::size_t top = 10;
  OutputArgs out;           // the merged scenario: yaml or json
  OutputArgs disagreements; // the listing: to a file in any format, else to the terminal
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "merge", "merge several experts' estimates (any importable files) into one scenario with their spread as uncertainty");
  cmd->add_option("FILES", o->files, "one file per expert (CSV, XLSX, ODS, YAML, ...), the same actors and issues")
      ->required()
      ->expected(2, -1);
  cmd->add_option("--names", o->names, "the experts' names, one per file (default: the file names)")
      ->delimiter(',')
      ->type_name("NAME,...");
  cmd->add_option("--top", o->top, "how many of the largest disagreements to list")->capture_default_str();
  cmd->add_option("-f,--format", o->out.format, "output format (default: from the -o extension, else yaml)")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_option("-o,--output", o->out.output, "write the scenario to this file (atomically)")->type_name("FILE");
  cmd->add_option("--disagreements", o->disagreements.output,
                  "write every disagreement to this file (.json, .csv, .xlsx or text) instead of listing the largest")
      ->type_name("FILE");
  cmd->callback([o] {
    MergeRequest req;
    for (const auto& f : o->files) req.experts.push_back(ScenarioSource{f, {}, {}, nullptr, {}});
    req.names = o->names;
    req.top = o->top;
    const MergeResponse rsp = merge(req);  // InputError -> exit 2 in main
    if (speaker() && !rsp.warnings.empty()) std::cerr << render_warnings(rsp.warnings, Format::table);
    const bool json = o->out.format.empty() ? format_of_path(o->out.output, Format::table) == Format::json
                                            : o->out.format == "json";
    emit(o->out, Format::table, json ? to_json(rsp.panel.scenario) : to_yaml(rsp.panel.scenario));
    if (!o->disagreements.output.empty()) {
      const Format f = o->disagreements.resolved();
      emit(o->disagreements, f, render(rsp, f));
      return;
    }
    // The scenario went to the file (or standard output); the listing to the terminal.
    const std::string listing = render(rsp, Format::table);
    std::FILE* where = o->out.output.empty() || o->out.output == "-" ? stderr : stdout;
    if (speaker()) {
      std::fwrite(listing.data(), 1, listing.size(), where);
      std::fflush(where);
    }
  });
}

}  // namespace
ENTENTE_REGISTER_COMMAND("merge", setup);
}  // namespace entente::cli

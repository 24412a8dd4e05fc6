// entente validate FILE [--evidence]: checks a scenario; with --evidence also lists every number
// that lacks evidence (exit 3 if any).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct ValidateOptions {
  ScenarioOptions scenario;
  bool evidence = false;
  std::string format = "table";
};

// "file:line:col", or "file:Sheet!C7" for a spreadsheet cell.
std::string location(const SourceLocation& w) { return w.to_string(); }

void run(const ValidateOptions& o) {
  const Scenario s = load(o.scenario);  // InputError -> exit 2 in main
  const auto missing = o.evidence ? missing_evidence(s) : std::vector<MissingEvidence>{};
  if (o.format == "json") {
    nlohmann::ordered_json j;
    j["ok"] = true;
    j["file"] = o.scenario.file;
    j["actors"] = s.actors.size();
    j["issues"] = s.issues.size();
    if (o.evidence) {
      auto list = nlohmann::ordered_json::array();
      for (const auto& m : missing) {
        nlohmann::ordered_json e = {{"field", m.field}, {"file", m.where.file}, {"line", m.where.line}, {"column", m.where.column}};
        if (!m.where.sheet.empty()) e["sheet"] = m.where.sheet;
        list.push_back(std::move(e));
      }
      j["missing_evidence"] = std::move(list);
    }
    std::cout << j.dump(2) << '\n';
  } else {
    std::cout << fmt::format("ok: {} actors, {} issues\n", s.actors.size(), s.issues.size());
    if (o.evidence) {
      if (missing.empty()) {
        std::cout << "every number has evidence\n";
      } else {
        std::cout << fmt::format("{} numbers lack evidence:\n", missing.size());
        for (const auto& m : missing) std::cout << fmt::format("{}: {}\n", location(m.where), m.field);
      }
    }
  }
  std::cout.flush();
  if (!missing.empty()) throw Exit{exit_evidence};
}

void setup(CLI::App& app) {
  auto o = std::make_shared<ValidateOptions>();
  auto* cmd = app.add_subcommand("validate", "check a scenario file; --evidence lists numbers without evidence");
  add_scenario_options(cmd, o->scenario);
  cmd->add_flag("--evidence", o->evidence, "list every number lacking evidence (exit code 3 if there is any)");
  cmd->add_option("-f,--format", o->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->callback([o] { run(*o); });
}

}  // namespace
ENTENTE_REGISTER_COMMAND("validate", setup);
}  // namespace entente::cli

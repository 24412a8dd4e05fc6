#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {

namespace {
const SourceLocation kCommandLine{"<command line>", 0, 0};
}

std::vector<Edit> edits_of(const std::vector<std::string>& drop, const std::vector<std::string>& set) {
  std::vector<Edit> out;
  for (const auto& a : drop) out.push_back(Edit::drop_actor(a, kCommandLine));
  for (const auto& s : set) out.push_back(Edit::parse_set(s, kCommandLine));
  return out;
}

ScenarioSource ScenarioArgs::source() const {
  ScenarioSource s;
  s.path = file;
  s.edits = edits_of(drop, set);
  return s;
}

void add_scenario_options(CLI::App* cmd, ScenarioArgs& o, bool required) {
  auto* opt = cmd->add_option("FILE", o.file,
                              "scenario file (YAML/JSON, or an importable table: long or wide CSV, XLSX, Decide, KTAB)");
  if (required) opt->required();
  cmd->add_option("--drop", o.drop, "what-if: drop this actor (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("ACTOR");
  cmd->add_option("--set", o.set,
                  "what-if: ACTOR.ISSUE.position=V, ACTOR.ISSUE.salience=V (on the file's salience_scale), ACTOR.capability=V")
      ->type_name("ASSIGN")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

ModelSelection ModelArgs::selection() const {
  ModelSelection s;
  s.models = models;
  s.params = params;
  s.seed = seed;
  s.settle = parse_settle(settle);
  return s;
}

void add_model_options(CLI::App* cmd, ModelArgs& o, const std::string& default_text) {
  cmd->add_option("-m,--model", o.models, "model name (repeatable; `entente models` lists them)")
      ->type_name("NAME")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)  // repeatable: -m a -m b
      ->delimiter(',')
      ->default_str(default_text);
  cmd->add_option("-p,--param", o.params, "model option KEY=VALUE, or MODEL.KEY=VALUE for one model (repeatable)")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--seed", o.seed, "random seed (same seed, same result; default: the scenario's seed, else 0)");
  cmd->add_option("--settle", o.settle,
                  "how a forecast that cycles is summarised: last (the last round's value) or mean-of-cycle")
      ->check(CLI::IsMember({"last", "mean-of-cycle", "mean_of_cycle"}))
      ->capture_default_str();
}

Format OutputArgs::resolved(Format fallback) const {
  if (!format.empty()) return parse_format(format);
  return format_of_path(output, fallback);
}

void add_output_options(CLI::App* cmd, OutputArgs& o, std::vector<std::string> formats) {
  cmd->add_option("-f,--format", o.format, "output format (default: from -o's extension, else table)")
      ->check(CLI::IsMember(formats));
  cmd->add_option("-o,--output", o.output, "write to this file instead of standard output")->type_name("FILE");
}

void emit(const OutputArgs& o, Format format, const std::string& bytes) {
  if (!speaker()) return;  // under mpirun only rank 0 speaks
  if (o.output.empty() || o.output == "-") {
    if (format == Format::xlsx && ::isatty(1))
      throw InputError(Diagnostic{kCommandLine, "output", "-o FILE.xlsx for a spreadsheet", "a terminal", {}});
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    std::fflush(stdout);
    return;
  }
  namespace fs = std::filesystem;
  const fs::path target(o.output);
  fs::path tmp = target;
  tmp += fmt::format(".tmp{}", ::getpid());
  const SourceLocation where{o.output, 0, 0};
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(Diagnostic{where, "output", "a writable path", "cannot create file", {}});
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw InputError(Diagnostic{where, "output", "a writable path", "write failed", {}});
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError(Diagnostic{where, "output", "a writable path", ec.message(), {}});
  }
}

void add_store_options(CLI::App* cmd, StoreArgs& o) {
  cmd->add_option("--store", o.path,
                  "run store (SQLite) to save this run in; default $ENTENTE_STORE, else "
                  "$XDG_DATA_HOME/entente/runs.sqlite or ~/.local/share/entente/runs.sqlite")
      ->type_name("PATH");
  cmd->add_flag("--no-store", o.disabled, "do not save this run in the store");
}

void report_store(const Provenance& p) {
  if (!speaker()) return;
  if (!p.store_warning.empty()) std::cerr << "entente: warning: " << p.store_warning << '\n';
  else if (p.run_id && stderr_is_terminal()) std::cerr << fmt::format("entente: saved as run {} in {}\n", p.run_id, p.store_path);
  if (!p.store_note.empty()) std::cerr << "entente: " << p.store_note << '\n';
}

void report_warnings(const Scenario& s) {
  if (!speaker() || s.warnings.empty()) return;
  std::cerr << render_warnings(s.warnings, Format::table);
  std::cerr.flush();
}

bool stderr_is_terminal() { return ::isatty(2) != 0; }

void draw_progress(const std::string& label, std::uint64_t done, std::uint64_t total) {
  const int width = 40;
  total = std::max<std::uint64_t>(total, 1);
  const auto filled = static_cast<int>(done * width / total);
  std::cerr << fmt::format("\r{} [{}{}] {:3}% {}/{}", label, std::string(static_cast<std::size_t>(filled), '#'),
                           std::string(static_cast<std::size_t>(width - filled), ' '), done * 100 / total, done, total)
            << std::flush;
}

void clear_progress() { std::cerr << "\r" << std::string(70, ' ') << "\r"; }

}  // namespace entente::cli

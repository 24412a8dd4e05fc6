#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cluster.hpp"
#include "cli/command.hpp"
#include "entente/edit.hpp"

namespace entente::cli {

void add_scenario_options(CLI::App* cmd, ScenarioOptions& o, bool required) {
  auto* opt = cmd->add_option("FILE", o.file, "scenario file (YAML/JSON, or an importable table: cases CSV, Decide, KTAB)");
  if (required) opt->required();
  cmd->add_option("--drop", o.drop, "what-if: drop this actor (repeatable)")->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)->type_name("ACTOR");
  cmd->add_option("--set", o.set, "what-if: ACTOR.ISSUE.position=V, ACTOR.ISSUE.salience=V (0-1), ACTOR.capability=V")
      ->type_name("ASSIGN")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

Scenario load(const ScenarioOptions& o) {
  Scenario s = load_scenario(o.file);
  for (const auto& a : o.drop) s = drop_actor(s, a);
  for (const auto& a : o.set) s = apply_assignment(s, a);
  return s;
}

void add_model_options(CLI::App* cmd, ModelOptions& o, std::vector<std::string> default_models) {
  o.models = std::move(default_models);
  cmd->add_option("-m,--model", o.models, "model name (repeatable; `entente models` lists them)")
      ->type_name("NAME")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)  // repeatable: -m a -m b
      ->delimiter(',')
      ->default_str(fmt::format("{}", fmt::join(o.models, " ")));
  cmd->add_option("-p,--param", o.params, "model parameter KEY=VALUE, or MODEL.KEY=VALUE for one model (repeatable)")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--seed", o.seed, "random seed (same seed, same result)")->capture_default_str();
}

const std::string& single_model(const ModelOptions& o) {
  if (o.models.size() != 1)
    throw InputError(Diagnostic{{"<command line>", 0, 0}, "--model", "exactly one model (this command runs one)",
                                fmt::format("{} models", o.models.size()), {}});
  return o.models.front();
}

Params params_for(const ModelOptions& o, const std::string& model) {
  Params p;
  for (const auto& kv : o.params) {
    auto [k, v] = Params::parse_assignment(kv);
    const auto dot = k.find('.');
    if (dot != std::string::npos) {
      const std::string target = k.substr(0, dot);
      bool is_model = false;
      for (const auto* m : models()) is_model = is_model || m->info().name == target;
      if (is_model) {
        if (target == model) p.set(k.substr(dot + 1), v);
        continue;
      }
    }
    // A plain key applies to every selected model that declares it; it must exist in at least one.
    bool declared_here = false;
    for (const auto& spec : find_model(model).info().params) declared_here = declared_here || spec.name == k;
    if (declared_here) {
      p.set(k, v);
    } else {
      bool declared_anywhere = false;
      for (const auto& name : o.models)
        for (const auto& spec : find_model(name).info().params) declared_anywhere = declared_anywhere || spec.name == k;
      if (!declared_anywhere) p.set(k, v);  // let resolve_params report it as unknown
    }
  }
  return p;
}

void add_output_options(CLI::App* cmd, OutputOptions& o, std::vector<std::string> formats) {
  cmd->add_option("-f,--format", o.format, "output format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  cmd->add_option("-o,--output", o.output, "write to this file instead of standard output")->type_name("FILE");
}

void emit(const OutputOptions& o, const std::string& text) {
  if (cluster().rank != 0) return;  // under mpirun only rank 0 speaks
  if (o.output.empty() || o.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return;
  }
  namespace fs = std::filesystem;
  const fs::path target(o.output);
  fs::path tmp = target;
  tmp += fmt::format(".tmp{}", ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(Diagnostic{{o.output, 0, 0}, "-o", "a writable path", "cannot create file", {}});
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw InputError(Diagnostic{{o.output, 0, 0}, "-o", "a writable path", "write failed", {}});
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError(Diagnostic{{o.output, 0, 0}, "-o", "a writable path", ec.message(), {}});
  }
}

bool stderr_is_terminal() { return ::isatty(2) != 0; }

}  // namespace entente::cli

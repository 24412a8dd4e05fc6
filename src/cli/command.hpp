// Internal: the CLI is one file per command (src/cli/cmd_*.cpp). Each registers a function that
// adds its subcommand to the CLI11 app; the callback does the work through the library API.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "entente/model.hpp"
#include "entente/output.hpp"
#include "entente/scenario.hpp"

namespace entente::cli {

using CommandSetup = std::function<void(CLI::App& app)>;
void register_command(std::string name, CommandSetup setup);
const std::vector<std::pair<std::string, CommandSetup>>& commands();

struct CommandRegistrar {
  CommandRegistrar(std::string name, CommandSetup setup) { register_command(std::move(name), std::move(setup)); }
};

// Exit codes (README, docs/cli.md).
inline constexpr int exit_ok = 0;
inline constexpr int exit_internal = 1;
inline constexpr int exit_input = 2;
inline constexpr int exit_evidence = 3;

// Thrown by a command to end with a given exit code after it printed its own message.
struct Exit {
  int code;
};

// ---- Shared options ---------------------------------------------------------------------------

// A scenario file plus what-if edits, accepted by every command that takes a scenario.
struct ScenarioOptions {
  std::string file;
  std::vector<std::string> drop;  // --drop ACTOR
  std::vector<std::string> set;   // --set ACTOR.ISSUE.position=V (salience, capability)
};
void add_scenario_options(CLI::App* cmd, ScenarioOptions& o, bool required = true);
// Loads, validates and applies the what-ifs. Throws InputError.
Scenario load(const ScenarioOptions& o);

// Model selection and parameters.
struct ModelOptions {
  std::vector<std::string> models;
  std::vector<std::string> params;  // KEY=VALUE (or MODEL.KEY=VALUE to target one model)
  std::uint64_t seed = 0;
};
void add_model_options(CLI::App* cmd, ModelOptions& o, std::vector<std::string> default_models);
// The one model of a command that runs exactly one (trace, simulate, ...); InputError otherwise.
const std::string& single_model(const ModelOptions& o);
// Parameters for one model: plain KEY=VALUE, plus MODEL.KEY=VALUE entries for this model.
Params params_for(const ModelOptions& o, const std::string& model);

// Output format and destination.
struct OutputOptions {
  std::string format = "table";
  std::string output;  // -o FILE; empty = stdout
};
void add_output_options(CLI::App* cmd, OutputOptions& o, std::vector<std::string> formats = {"table", "json", "csv"});
// Writes atomically (temporary file, then rename), so a failure leaves nothing half-written.
void emit(const OutputOptions& o, const std::string& text);

// True when stdout/stderr is a terminal (progress bars only then).
bool stderr_is_terminal();

}  // namespace entente::cli

#define ENTENTE_CONCAT_INNER(a, b) a##b
#define ENTENTE_CONCAT(a, b) ENTENTE_CONCAT_INNER(a, b)
// In a command file: ENTENTE_REGISTER_COMMAND("forecast", setup_function);
#define ENTENTE_REGISTER_COMMAND(name, fn) \
  static const ::entente::cli::CommandRegistrar ENTENTE_CONCAT(entente_command_, __LINE__) { name, fn }

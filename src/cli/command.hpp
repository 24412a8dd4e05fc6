// Internal: the command-line front end, one file per command (src/cli/cmd_*.cpp). Each command
// parses its flags into a request of the request layer (entente/requests.hpp), calls it, and
// writes the presentation layer's bytes (entente/output.hpp). No command formats results itself.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "entente/analysis.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"

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
inline constexpr int exit_interrupted = 130;  // the shell's code for "stopped by Ctrl-C"

// Thrown by a command to end with a given exit code after it printed its own message.
struct Exit {
  int code;
};

// The front end's entry point; `distributor` is set by the MPI front end (entente-mpi).
int run(int argc, char** argv, Distributor* distributor = nullptr);
// The distributor of this process (nullptr: one plain process).
Distributor* distributor();
// True for the process that prints (rank 0 under MPI, else always).
bool speaker();

// ---- Shared options ---------------------------------------------------------------------------

// FILE plus the what-ifs --drop ACTOR and --set ACTOR.ISSUE.FIELD=V, accepted by every command
// that takes a scenario.
struct ScenarioArgs {
  std::string file;
  std::vector<std::string> drop, set;
  [[nodiscard]] ScenarioSource source() const;  // the what-ifs in the order drop..., set...
};
void add_scenario_options(CLI::App* cmd, ScenarioArgs& o, bool required = true);
// A what-if list as edits (errors point at the command line).
std::vector<Edit> edits_of(const std::vector<std::string>& drop, const std::vector<std::string>& set);

// -m MODEL (repeatable, comma lists), -p KEY=VALUE / MODEL.KEY=VALUE, --seed S, --settle RULE.
struct ModelArgs {
  std::vector<std::string> models;
  std::vector<std::string> params;
  std::optional<std::uint64_t> seed;
  std::string settle = "last";
  [[nodiscard]] ModelSelection selection() const;
};
void add_model_options(CLI::App* cmd, ModelArgs& o, const std::string& default_text);

// -f FORMAT and -o FILE. Without -f, the format follows -o's extension (.json, .csv, .xlsx).
struct OutputArgs {
  std::string format;  // empty: from -o, else table
  std::string output;  // empty = stdout
  [[nodiscard]] Format resolved(Format fallback = Format::table) const;
};
void add_output_options(CLI::App* cmd, OutputArgs& o, std::vector<std::string> formats = {"table", "json", "csv", "xlsx"});
// Writes atomically (temporary file, then rename), so a failure leaves nothing half-written.
// Binary formats (xlsx) are refused on a terminal. Only the speaker writes.
void emit(const OutputArgs& o, Format format, const std::string& bytes);

// --store PATH, --no-store.
struct StoreArgs {
  std::string path;
  bool disabled = false;
  [[nodiscard]] StoreTarget target() const {
    StoreTarget t;
    t.save = !disabled;
    t.path = path;
    return t;
  }
};
void add_store_options(CLI::App* cmd, StoreArgs& o);
// After a command: "saved as run N" on a terminal, or the store's warning.
void report_store(const Provenance& provenance);
// The importers' warnings of a scenario (render_warnings), on standard error: the output stays
// the result. Only the speaker writes.
void report_warnings(const Scenario& scenario);

// True when stderr is a terminal (progress bars only then).
bool stderr_is_terminal();
// The progress bar on standard error: "LABEL [####    ]  40% 400/1000", redrawn in place, and the
// line cleared when the work ends.
void draw_progress(const std::string& label, std::uint64_t done, std::uint64_t total);
void clear_progress();

}  // namespace entente::cli

#define ENTENTE_CONCAT_INNER(a, b) a##b
#define ENTENTE_CONCAT(a, b) ENTENTE_CONCAT_INNER(a, b)
// In a command file: ENTENTE_REGISTER_COMMAND("forecast", setup_function);
#define ENTENTE_REGISTER_COMMAND(name, fn) \
  static const ::entente::cli::CommandRegistrar ENTENTE_CONCAT(entente_command_, __LINE__) { name, fn }

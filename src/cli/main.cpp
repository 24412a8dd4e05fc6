// entente: the command-line front end. A thin layer: parse arguments, call the library, print.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/command.hpp"
#include "entente/version.hpp"

namespace entente::cli {

namespace {
std::vector<std::pair<std::string, CommandSetup>>& command_list() {
  static std::vector<std::pair<std::string, CommandSetup>> list;
  return list;
}
}  // namespace

void register_command(std::string name, CommandSetup setup) {
  command_list().emplace_back(std::move(name), std::move(setup));
}
const std::vector<std::pair<std::string, CommandSetup>>& commands() {
  auto& l = command_list();
  std::sort(l.begin(), l.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return l;
}

int run(int argc, char** argv) {
  CLI::App app{"entente: forecasts of multi-party negotiations (collective decision models)", "entente"};
  app.set_version_flag("--version", std::string("entente ") + entente::version);
  app.require_subcommand(1);
  for (const auto& [name, setup] : commands()) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_input;
  } catch (const InputError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    return exit_input;
  } catch (const Exit& e) {
    return e.code;
  } catch (const ResourceError& e) {
    std::cerr << "entente: error: " << e.what() << '\n';
    return exit_input;
  } catch (const std::bad_alloc&) {
    std::cerr << "entente: internal error: out of memory\n";
    return exit_internal;
  } catch (const std::exception& e) {
    std::cerr << "entente: internal error: " << e.what() << '\n';
    return exit_internal;
  }
  return exit_ok;
}

}  // namespace entente::cli

#ifndef ENTENTE_HAVE_MPI
int main(int argc, char** argv) { return entente::cli::run(argc, argv); }
#endif

// entente: the command-line front end. A thin layer: parse arguments into requests, call the
// request layer, write what the presentation layer renders.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
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
Distributor* the_distributor = nullptr;
}  // namespace

void register_command(std::string name, CommandSetup setup) {
  command_list().emplace_back(std::move(name), std::move(setup));
}
const std::vector<std::pair<std::string, CommandSetup>>& commands() {
  auto& l = command_list();
  std::sort(l.begin(), l.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return l;
}

Distributor* distributor() { return the_distributor; }
bool speaker() { return !the_distributor || the_distributor->rank() == 0; }

int run(int argc, char** argv, Distributor* distributor) {
  the_distributor = distributor;
  CLI::App app{"entente: forecasts of multi-party negotiations (collective decision models)", "entente"};
  app.set_version_flag("--version", std::string("entente ") + entente::version);
  app.require_subcommand(1);
  // Only the command named by argv[1] is set up, none for a bare --version: setting up all of
  // them costs ~1.4 ms of start-up (issue 17). Anything else (help, a typo, options first) sets up
  // every command, so help and errors read as before.
  const std::string first = argc >= 2 ? argv[1] : "";
  const bool named = std::any_of(commands().begin(), commands().end(), [&](const auto& c) { return c.first == first; });
  for (const auto& [name, setup] : commands())
    if (!(argc == 2 && first == "--version") && (!named || name == first)) setup(app);
  auto say = [](const std::string& text) {
    if (speaker()) std::cerr << text;
  };
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
    say(render(e, Format::table));
    return exit_input;
  } catch (const Exit& e) {
    return e.code;
  } catch (const Cancelled&) {
    say("entente: interrupted before the computation had finished: nothing to show, nothing saved\n");
    return exit_interrupted;
  } catch (const ResourceError& e) {
    say(fmt::format("entente: error: {}\n", e.what()));
    return exit_input;
  } catch (const std::bad_alloc&) {
    say("entente: internal error: out of memory\n");
    return exit_internal;
  } catch (const std::exception& e) {
    say(fmt::format("entente: internal error: {}\n", e.what()));
    return exit_internal;
  }
  return exit_ok;
}

}  // namespace entente::cli


#include <fmt/format.h>

#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {
namespace {
std::string type_name(const ParamSpec& p) {
  switch (p.type) {
    case ParamSpec::Type::integer: return "integer";
    case ParamSpec::Type::real: return "number";
    case ParamSpec::Type::boolean: return "true|false";
    case ParamSpec::Type::choice: return fmt::format("{}", fmt::join(p.choices, "|"));
    case ParamSpec::Type::text: break;
  }
  return "text";
}

void setup(CLI::App& app) {
  auto* cmd = app.add_subcommand("models", "list the models with their parameters and defaults");
  cmd->callback([] {
    for (const auto* m : models()) {
      const auto& info = m->info();
      std::cout << fmt::format("{:<16} {}\n", info.name, info.title);
      for (const auto& p : info.params)
        std::cout << fmt::format("    {}={}  [{}]  {}\n", p.name, p.default_value.empty() ? "(auto)" : p.default_value,
                                 type_name(p), p.description);
    }
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("models", setup);
}  // namespace entente::cli

// entente models: every model with its options (declared once, by the model).
#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {
namespace {
void setup(CLI::App& app) {
  auto o = std::make_shared<OutputArgs>();
  auto* cmd = app.add_subcommand("models", "list the models with their options and defaults");
  add_output_options(cmd, *o, {"table", "json", "csv", "xlsx", "markdown"});
  cmd->callback([o] {
    if (o->format == "markdown") {
      OutputArgs text = *o;
      text.format = "table";
      emit(text, Format::table, models_markdown(list_models()));
      return;
    }
    const Format format = o->resolved();
    emit(*o, format, render(list_models(), format));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("models", setup);
}  // namespace entente::cli

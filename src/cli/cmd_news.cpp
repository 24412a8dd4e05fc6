// entente news ARTICLE.txt --scenario FILE: the scenario cells (actor x issue) a plain-text article
// touches, with candidate verbatim quotes and the article's date (docs/ledger.md).
#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct Options {
  std::string article, scenario, date;
  OutputArgs output;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("news", "which scenario cells a news article touches, with candidate quotes");
  cmd->add_option("ARTICLE", o->article, "plain-text article")->required();
  cmd->add_option("-s,--scenario", o->scenario, "scenario file (its actors' aliases and issues' keywords are used)")
      ->required()
      ->type_name("FILE");
  cmd->add_option("--date", o->date, "the article's date (default: a YYYY-MM-DD in its file name or text)");
  add_output_options(cmd, o->output, {"table", "json", "csv"});
  cmd->callback([o] {
    NewsRequest req;
    req.article = o->article;
    req.scenario.path = o->scenario;
    req.date = o->date;
    const Format format = o->output.resolved();
    emit(o->output, format, render(news(req), format));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("news", setup);
}  // namespace entente::cli

// entente ledger add FILE | list | verify | score --resolution FILE | timeline | deu DEUFILE:
// the forecast ledger (docs/ledger.md). `verify` exits 0 when the chain is intact, 4 when not.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.hpp"
#include "cli/interrupt.hpp"
#include "entente/ledger.hpp"
#include "entente/store.hpp"

namespace entente::cli {
namespace {

inline constexpr int exit_tampered = 4;

struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  std::uint64_t draws = 1000;
  unsigned threads = 0;
  LedgerRequest ledger;
  std::string html;
  std::string deu_file, deu_model = "compromise", resolutions;
  std::size_t limit = 10;
};

void store_option(CLI::App* sub, Options& o) {
  sub->add_option("--store", o.ledger.store, "run store holding the ledger (default $ENTENTE_STORE, else the user data directory)")
      ->type_name("PATH");
}

// A resolution as YAML (the layout load_resolution reads).
std::string resolution_yaml(const Resolution& r) {
  auto q = [](const std::string& s) {
    std::string o = "\"";
    for (char c : s) o += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return o + "\"";
  };
  std::string y = "entente_resolution: 1\ntitle: " + q(r.title) + "\ndate: " + r.date + "\nissues:\n";
  for (const auto& i : r.issues) {
    y += "  " + i.issue + ":\n";
    y += i.resolved ? "    outcome: " + (i.option.empty() ? fmt::format("{}", i.value) : q(i.option)) + "\n" : "    no_agreement: true\n";
    y += "    date: " + i.date + "\n";
    if (!i.evidence.empty()) {
      y += "    evidence:\n";
      for (const auto& e : i.evidence) y += "      - {source: " + q(e.source) + ", quote: " + q(e.quote) + "}\n";
    }
  }
  return y;
}

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("ledger", "the forecast ledger: sealed, dated forecasts, their resolution and scores");
  cmd->require_subcommand(1);

  auto* add = cmd->add_subcommand("add", "seal a forecast of this scenario version (its as_of) in the ledger");
  add_scenario_options(add, o->scenario);
  add_model_options(add, o->model, "compromise,bdm");
  add->add_option("-n,--draws", o->draws, "simulated draws behind the stored quantiles (0: point forecasts only)")
      ->capture_default_str();
  add->add_option("-t,--threads", o->threads, "worker threads (0 = all cores)")->capture_default_str();
  store_option(add, *o);
  add_output_options(add, o->output, {"table", "json", "csv"});
  add->callback([o] {
    // Ctrl-C (cli/interrupt.hpp): before the entry is sealed nothing is written (exit 130); once
    // it is being written, the write finishes; a second Ctrl-C ends the process (SQLite rolls back).
    const InterruptGuard guard(InterruptGuard::Stages::two);
    LedgerAddRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.models.cancel = guard.compute();
    req.draws = o->draws;
    req.threads = o->threads;
    req.store = o->ledger.store;
    const Format format = o->output.resolved();
    const LedgerAddResponse rsp = ledger_add(req);
    guard.announce(false);
    emit(o->output, format, render(rsp, format));
    if (guard.interrupted()) {
      std::cerr << fmt::format("entente: the ledger write finished: entry {} was sealed in {}\n", rsp.entry.seq, rsp.store_path);
      throw Exit{exit_interrupted};
    }
  });

  auto* list = cmd->add_subcommand("list", "the ledger's entries, in order");
  store_option(list, *o);
  add_output_options(list, o->output, {"table", "json", "csv"});
  list->callback([o] {
    const Format format = o->output.resolved();
    emit(o->output, format, render(ledger_list(o->ledger), format));
  });

  auto* verify = cmd->add_subcommand("verify", "recompute the hash chain: exit 0 if intact, 4 if an entry was edited or removed");
  store_option(verify, *o);
  verify->add_option("--head", o->ledger.head, "the head hash recorded earlier (also detects removed last entries)")
      ->type_name("HASH");
  add_output_options(verify, o->output, {"table", "json", "csv"});
  verify->callback([o] {
    const Format format = o->output.resolved();
    const auto rsp = ledger_verify(o->ledger);
    emit(o->output, format, render(rsp, format));
    if (!rsp.verification.intact) throw Exit{exit_tampered};
  });

  auto* score = cmd->add_subcommand("score", "score the entries against a resolution (absolute error, CRPS, Brier; time-weighted)");
  store_option(score, *o);
  score->add_option("-r,--resolution", o->ledger.resolution, "resolution file (YAML, docs/ledger.md)")->required()->type_name("FILE");
  add_output_options(score, o->output);
  score->callback([o] {
    const Format format = o->output.resolved();
    emit(o->output, format, render(ledger_score(o->ledger), format));
  });

  auto* tl = cmd->add_subcommand("timeline", "how each issue's forecast moved across the dated versions (CSV, JSON, HTML)");
  store_option(tl, *o);
  tl->add_option("-r,--resolution", o->ledger.resolution, "resolution file, to mark the outcome")->type_name("FILE");
  tl->add_option("--title", o->ledger.title, "the series: entries with this scenario title (default: the latest entry's)");
  tl->add_option("--html", o->html, "also write an HTML page with one chart per issue")->type_name("FILE");
  add_output_options(tl, o->output, {"table", "json", "csv"});
  tl->callback([o] {
    const Format format = o->output.resolved();
    const auto rsp = ledger_timeline(o->ledger);
    if (!o->html.empty()) emit(OutputArgs{"", o->html}, Format::table, timeline_html(rsp));
    emit(o->output, format, render(rsp, format));
  });

  auto* deu = cmd->add_subcommand("deu", "the DEU data as a resolved ledger: an entry per issue at its introduction, "
                                         "a resolution file per issue at its final act");
  store_option(deu, *o);
  deu->add_option("DEUFILE", o->deu_file, "DEU-layout CSV")->required();
  deu->add_option("-m,--model", o->deu_model, "model")->capture_default_str();
  deu->add_option("--limit", o->limit, "first N dated issues with an outcome (0 = all)")->capture_default_str();
  deu->add_option("--resolutions", o->resolutions, "directory for the resolution files")->required()->type_name("DIR");
  add_output_options(deu, o->output, {"table", "json", "csv"});
  deu->callback([o] {
    const auto cases = deu_ledger(o->deu_file, o->deu_model, o->limit);
    std::filesystem::create_directories(o->resolutions);
    Ledger ledger(o->ledger.store.empty() ? Store::default_path() : o->ledger.store);
    LedgerListResponse rsp;
    rsp.store_path = ledger.path();
    for (const auto& c : cases) {
      rsp.entries.push_back(ledger.append(c.entry));
      const auto file = std::filesystem::path(o->resolutions) / (c.resolution.issues.front().issue + ".yaml");
      emit(OutputArgs{"", file.string()}, Format::table, resolution_yaml(c.resolution));
    }
    const Format format = o->output.resolved();
    emit(o->output, format, render(rsp, format));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("ledger", setup);
}  // namespace entente::cli

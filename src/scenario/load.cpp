#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "entente/scenario.hpp"
#include "scenario/formats.hpp"

namespace entente {

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(Diagnostic{{path, 0, 0}, "", "a readable scenario file", "no such file or unreadable", {}});
  // Refuse a huge file before reading it into memory.
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > detail::kMaxScenarioBytes)
    throw InputError(Diagnostic{{path, 0, 0}, "", fmt::format("a scenario of at most {} MiB", detail::kMaxScenarioBytes >> 20),
                                fmt::format("{} bytes", size), {}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_scenario(ss.str(), path);
}

Scenario parse_scenario(std::string_view text, const std::string& name) {
  Scenario s = detail::parse_any(text, name);
  // Counts (docs/limits.md): beyond them the models' work, not the parse, would exhaust memory.
  auto at_most = [&](std::size_t n, std::size_t limit, const char* what) {
    if (n > limit)
      throw InputError(Diagnostic{{name, 0, 0}, what, fmt::format("at most {} {}", limit, what), fmt::format("{}", n), {}});
  };
  at_most(s.actors.size(), detail::kMaxActors, "actors");
  at_most(s.issues.size(), detail::kMaxIssues, "issues");
  at_most(s.sources.size(), detail::kMaxSources, "sources");
  // Text decoded by an importer (XML character references like &#xD800; or &#x110000;) must be
  // UTF-8 too: it is stored and written as such.
  DiagnosticSink sink;
  auto check = [&](const std::string& value, const SourceLocation& where, const std::string& field) {
    if (detail::invalid_utf8_at(value) != std::string::npos)
      sink.add(where.file.empty() ? SourceLocation{name, 0, 0} : where, field,
               "text of Unicode characters (no surrogates, nothing above U+10FFFF)", "invalid UTF-8", {});
  };
  check(s.title, {}, "title");
  check(s.description, {}, "description");
  for (std::size_t i = 0; i < s.issues.size(); ++i) {
    const Issue& is = s.issues[i];
    const std::string f = fmt::format("issues[{}]", i);
    check(is.id, is.where, f + ".id");
    check(is.name, is.where, f + ".name");
    check(is.description, is.where, f + ".description");
    for (const auto& opt : is.options) check(opt, is.where, f + ".options");
    for (const auto& p : is.points) check(p.label, is.where, f + ".points");
  }
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    const Actor& ac = s.actors[a];
    const std::string f = fmt::format("actors[{}]", a);
    check(ac.id, ac.where, f + ".id");
    check(ac.name, ac.where, f + ".name");
    check(ac.description, ac.where, f + ".description");
  }
  for (std::size_t k = 0; k < s.sources.size(); ++k)
    for (const std::string* v : {&s.sources[k].id, &s.sources[k].title, &s.sources[k].publisher, &s.sources[k].url})
      check(*v, {}, fmt::format("sources[{}]", k));
  sink.throw_if_any();
  if (s.origin.empty()) s.origin = name;
  validate(s);
  return s;
}

}  // namespace entente

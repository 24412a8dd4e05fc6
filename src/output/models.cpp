// `entente models`, GET /api/models, Python's models() and docs/models/options.md: every model
// with the options it declares (the one declaration: name, type, default, description).
#include <fmt/format.h>

#include "output/internal.hpp"

namespace entente {

namespace {
using out::json;

const char* type_name(ParamSpec::Type t) {
  switch (t) {
    case ParamSpec::Type::text: return "text";
    case ParamSpec::Type::integer: return "integer";
    case ParamSpec::Type::real: return "real";
    case ParamSpec::Type::boolean: return "boolean";
    case ParamSpec::Type::choice: return "choice";
  }
  return "text";
}

std::string values(const ParamSpec& p) {
  if (p.type == ParamSpec::Type::choice) {
    std::string s;
    for (const auto& c : p.choices) s += (s.empty() ? "" : "|") + c;
    return s;
  }
  if (p.type == ParamSpec::Type::integer || p.type == ParamSpec::Type::real) {
    const bool lo = p.min > -1e300, hi = p.max < 1e300;
    if (lo && hi) return fmt::format("{} in [{}, {}]", type_name(p.type), format_number(p.min), format_number(p.max));
    if (lo) return fmt::format("{} >= {}", type_name(p.type), format_number(p.min));
    if (hi) return fmt::format("{} <= {}", type_name(p.type), format_number(p.max));
  }
  return type_name(p.type);
}

json model_json(const Model& m) {
  const auto& info = m.info();
  json params = json::array();
  for (const auto& p : info.params) {
    json pj{{"name", p.name}, {"type", type_name(p.type)}, {"default", p.default_value}, {"description", p.description}};
    if (!p.choices.empty()) pj["choices"] = p.choices;
    if (p.type == ParamSpec::Type::integer || p.type == ParamSpec::Type::real) {
      if (p.min > -1e300) pj["min"] = p.min;
      if (p.max < 1e300) pj["max"] = p.max;
    }
    params.push_back(std::move(pj));
  }
  return json{{"name", info.name},         {"title", info.title},           {"description", info.description},
              {"params", params},          {"has_rounds", info.has_rounds}, {"stochastic", info.stochastic},
              {"categorical", info.categorical}};
}

Table options_table(const ModelsResponse& rsp) {
  Table t;
  t.name = "options";
  t.header = {"model", "option", "type", "default", "description"};
  for (const auto* m : rsp.models)
    for (const auto& p : m->info().params)
      t.rows.push_back({m->info().name, p.name, values(p), p.default_value.empty() ? "(auto)" : p.default_value, p.description});
  return t;
}
}  // namespace

std::string render(const ModelsResponse& rsp, Format format) {
  switch (format) {
    case Format::json: {
      json list = json::array();
      for (const auto* m : rsp.models) list.push_back(model_json(*m));
      return out::dump(json{{"models", list}});
    }
    case Format::csv: return render(options_table(rsp), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{options_table(rsp)}, Format::xlsx);
    case Format::table: break;
  }
  std::string s;
  for (const auto* m : rsp.models) {
    const auto& info = m->info();
    s += fmt::format("{:<16} {}\n", info.name, info.title);
    for (const auto& p : info.params)
      s += fmt::format("    {}={}  [{}]  {}\n", p.name, p.default_value.empty() ? "(auto)" : p.default_value, values(p),
                       p.description);
  }
  s += "\nOptions are set with -p KEY=VALUE (every selected model that declares KEY) or -p MODEL.KEY=VALUE.\n"
       "Keys and values are snake_case; other spellings (KTAB's CamelCase, older kebab-case) are accepted.\n";
  return s;
}

std::string models_markdown(const ModelsResponse& rsp) {
  auto cell = [](std::string s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::string s =
      "# Model options\n\n"
      "Generated from the models' own declarations (`entente models --format markdown`); a test keeps this file\n"
      "equal to that output. Set an option with `-p KEY=VALUE` (every selected model that declares KEY) or\n"
      "`-p MODEL.KEY=VALUE`; in Python as keyword arguments; in the web API as `params: {model: {key: value}}`.\n"
      "Keys and values are snake_case; other spellings of the same words (KTAB's CamelCase such as\n"
      "`VictoryProbModel=Linear`, older kebab-case values such as `median-shift`) are accepted.\n";
  for (const auto* m : rsp.models) {
    const auto& info = m->info();
    s += fmt::format("\n## `{}`\n\n{}\n", info.name, info.title);
    if (info.params.empty()) {
      s += "\nNo options.\n";
      continue;
    }
    s += "\n| option | values | default | description |\n|---|---|---|---|\n";
    for (const auto& p : info.params)
      s += fmt::format("| `{}` | {} | {} | {} |\n", p.name, cell(values(p)),
                       p.default_value.empty() ? "(computed)" : "`" + p.default_value + "`", cell(p.description));
  }
  return s;
}

std::string render(const InputError& e, Format format) {
  if (format == Format::json) {
    const json list = out::diagnostics_json(e.diagnostics());
    std::string msg = e.diagnostics().empty() ? std::string("invalid input") : e.diagnostics().front().to_string();
    if (e.diagnostics().size() > 1) msg += fmt::format(" (and {} more)", e.diagnostics().size() - 1);
    return out::dump(json{{"error", msg}, {"diagnostics", list}});
  }
  std::string s;
  for (const auto& d : e.diagnostics()) s += terminal_safe(d.to_string()) + '\n';
  return s;
}

std::string render_warnings(const std::vector<Diagnostic>& warnings, Format format) {
  if (format == Format::json) return out::dump(out::diagnostics_json(warnings, "warning"));
  std::string s;
  for (const auto& d : warnings) s += terminal_safe(d.to_string("warning")) + '\n';
  return s;
}

}  // namespace entente

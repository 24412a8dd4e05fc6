#include "entente/params.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cctype>
#include <map>
#include <set>

#include "entente/diagnostics.hpp"

namespace entente {

namespace {
Diagnostic param_error(std::string_view key, std::string expected, std::string found, std::string msg = {}) {
  return Diagnostic{{"<parameters>", 0, 0}, fmt::format("param.{}", key), std::move(expected), std::move(found),
                    std::move(msg)};
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (*b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && p == e && std::isfinite(out);
}
bool parse_int(std::string_view s, long long& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (*b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && p == e;
}
bool parse_bool(std::string_view s, bool& out) {
  if (s == "true" || s == "on" || s == "yes" || s == "1") return out = true, true;
  if (s == "false" || s == "off" || s == "no" || s == "0") return out = false, true;
  return false;
}
}  // namespace

std::string Params::text(std::string_view key) const {
  auto it = values_.find(std::string(key));
  if (it == values_.end()) throw InputError(param_error(key, "a value", "nothing", "parameter not set"));
  return it->second;
}
long long Params::integer(std::string_view key) const {
  long long v = 0;
  const std::string s = text(key);
  if (!parse_int(s, v)) throw InputError(param_error(key, "an integer", fmt::format("'{}'", s)));
  return v;
}
double Params::real(std::string_view key) const {
  double v = 0;
  const std::string s = text(key);
  if (!parse_double(s, v)) throw InputError(param_error(key, "a finite number", fmt::format("'{}'", s)));
  return v;
}
bool Params::flag(std::string_view key) const {
  bool v = false;
  const std::string s = text(key);
  if (!parse_bool(s, v)) throw InputError(param_error(key, "true or false", fmt::format("'{}'", s)));
  return v;
}

std::pair<std::string, std::string> Params::parse_assignment(std::string_view kv) {
  const auto eq = kv.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw InputError(Diagnostic{{"<command line>", 0, 0}, "--param", "KEY=VALUE", fmt::format("'{}'", kv), {}});
  return {std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1))};
}

std::string spelling_key(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char ch : name) {
    if (ch == '_' || ch == '-') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

Params resolve_params(const std::string& model, const std::vector<ParamSpec>& specs, const Params& given) {
  DiagnosticSink sink;
  // Every given key in its declared spelling (see spelling_key); unknown keys are kept as given.
  Params user;
  std::map<std::string, std::string> spelled;  // declared name -> the spelling the user gave
  for (const auto& [k, v] : given.values()) {
    std::string name = k;
    for (const auto& spec : specs)
      if (spec.name == k || spelling_key(spec.name) == spelling_key(k)) name = spec.name;
    if (auto [it, fresh] = spelled.emplace(name, k); !fresh) {
      sink.add(param_error(name, "each parameter once", fmt::format("'{}' and '{}'", it->second, k)));
      continue;
    }
    std::string value = v;
    for (const auto& spec : specs)
      if (spec.name == name && spec.type == ParamSpec::Type::choice)
        for (const auto& c : spec.choices)
          if (c != value && spelling_key(c) == spelling_key(value)) value = c;
    user.set(name, value);
  }
  std::set<std::string> known;
  for (const auto& s : specs) known.insert(s.name);
  for (const auto& [k, v] : user.values()) {
    if (!known.count(k)) {
      std::string names;
      for (const auto& s : specs) names += (names.empty() ? "" : ", ") + s.name;
      sink.add(param_error(k, names.empty() ? fmt::format("no parameters for model '{}'", model)
                                            : fmt::format("one of the parameters of '{}': {}", model, names),
                           fmt::format("'{}'", k)));
    }
  }
  Params out;
  for (const auto& spec : specs) {
    const bool given = user.has(spec.name);
    const std::string value = given ? user.text(spec.name) : spec.default_value;
    out.set(spec.name, value);
    if (value.empty() && !given) continue;  // computed default
    if (value.empty() && spec.default_value.empty()) continue;  // explicit "auto"
    const std::string found = fmt::format("'{}'", value);
    switch (spec.type) {
      case ParamSpec::Type::text:
        break;
      case ParamSpec::Type::integer: {
        long long v = 0;
        if (!parse_int(value, v)) sink.add(param_error(spec.name, "an integer", found));
        else if (static_cast<double>(v) < spec.min || static_cast<double>(v) > spec.max)
          sink.add(param_error(spec.name, fmt::format("an integer in [{}, {}]", spec.min, spec.max), found));
        break;
      }
      case ParamSpec::Type::real: {
        double v = 0;
        if (!parse_double(value, v)) sink.add(param_error(spec.name, "a finite number", found));
        else if (v < spec.min || v > spec.max)
          sink.add(param_error(spec.name, fmt::format("a number in [{}, {}]", spec.min, spec.max), found));
        break;
      }
      case ParamSpec::Type::boolean: {
        bool b = false;
        if (!parse_bool(value, b)) sink.add(param_error(spec.name, "true or false", found));
        break;
      }
      case ParamSpec::Type::choice: {
        bool ok = false;
        for (const auto& c : spec.choices) ok = ok || c == value;
        if (!ok) {
          std::string cs;
          for (const auto& c : spec.choices) cs += (cs.empty() ? "" : "|") + c;
          sink.add(param_error(spec.name, "one of " + cs, found));
        }
        break;
      }
    }
  }
  sink.throw_if_any();
  return out;
}

}  // namespace entente

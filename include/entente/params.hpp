// Model parameters: string key=value pairs, declared by each model with type, default and choices,
// resolved (checked and defaulted) before a model runs, so a model only reads valid values.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace entente {

struct ParamSpec {
  enum class Type { text, integer, real, boolean, choice };
  std::string name;
  Type type = Type::text;
  std::string default_value;         // "" = computed by the model from the data (say how in description)
  std::string description;
  std::vector<std::string> choices;  // for Type::choice
  double min = -1e308, max = 1e308;  // for integer / real
};

class Params {
 public:
  Params() = default;
  Params(std::initializer_list<std::pair<const std::string, std::string>> init) : values_(init) {}
  void set(const std::string& key, const std::string& value) { values_[key] = value; }
  [[nodiscard]] bool has(std::string_view key) const { return values_.find(std::string(key)) != values_.end(); }
  [[nodiscard]] const std::map<std::string, std::string>& values() const noexcept { return values_; }

  // Typed access. Throw InputError naming the key if absent or malformed.
  [[nodiscard]] std::string text(std::string_view key) const;
  [[nodiscard]] long long integer(std::string_view key) const;
  [[nodiscard]] double real(std::string_view key) const;
  [[nodiscard]] bool flag(std::string_view key) const;
  // Empty string means "not given / auto" for parameters whose default is computed.
  [[nodiscard]] bool is_auto(std::string_view key) const { return !has(key) || text(key).empty(); }

  // Parses "key=value"; throws InputError if there is no '='.
  static std::pair<std::string, std::string> parse_assignment(std::string_view kv);

 private:
  std::map<std::string, std::string> values_;
};

// The one spelling rule for option keys, choice values and model names: they are declared in
// snake_case, and any spelling equal up to case, '-' and '_' is accepted (KTAB's CamelCase
// "VictoryProbModel=Linear", older kebab-case values such as "median-shift"). This is that key.
[[nodiscard]] std::string spelling_key(std::string_view name);

// Checks user parameters against the specs (unknown keys, types, ranges, choices) and fills in
// defaults; keys and choice values come out in their declared spelling. Throws InputError listing
// every problem. `model` is used in messages.
[[nodiscard]] Params resolve_params(const std::string& model, const std::vector<ParamSpec>& specs,
                                    const Params& user);

}  // namespace entente

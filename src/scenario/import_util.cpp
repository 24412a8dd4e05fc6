#include "scenario/import_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace entente::detail {

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

bool parse_number(std::string_view text, double& out) {
  std::string_view s = trim(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  // from_chars also accepts "nan" and "inf"; only plain decimal numbers are numbers here.
  const char c0 = s.front() == '-' && s.size() > 1 ? s[1] : s.front();
  if (!(c0 >= '0' && c0 <= '9') && c0 != '.') return false;
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return false;
  out = v;
  return true;
}

std::string show(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) return "an empty field";
  std::string s(t.substr(0, 60));
  if (t.size() > 60) s += "...";
  // Control characters would garble a terminal.
  for (auto& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return fmt::format("'{}'", s);
}

bool valid_id(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string slug(std::string_view name, std::string_view fallback) {
  std::string out;
  bool gap = false;
  for (char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (keep) {
      if (gap && !out.empty()) out += '_';
      gap = false;
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      gap = true;
    }
  }
  return out.empty() ? std::string(fallback) : out;
}

std::string IdAllocator::take(const std::string& base) {
  std::string id = base;
  for (int k = 2; used_.count(id) != 0; ++k) id = fmt::format("{}_{}", base, k);
  used_.insert(id);
  return id;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
      starts_.push_back(i + 1);
  }
}

SourceLocation LineIndex::at(const std::string& file, std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::size_t>(it - starts_.begin());  // 1-based
  const std::size_t start = starts_[line - 1];
  int col = 1;
  for (std::size_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;
  // A byte-order mark on line 1 is not a visible column.
  if (line == 1 && text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF" && offset >= 3) --col;
  return SourceLocation{file, static_cast<int>(line), col};
}

}  // namespace entente::detail

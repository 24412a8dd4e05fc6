#include "scenario/csv.hpp"

#include <fmt/format.h>

namespace entente::csv {

bool Row::blank() const {
  for (const auto& f : fields)
    for (char c : f.text)
      if (c != ' ' && c != '\t') return false;
  return true;
}

namespace {
enum class State { start, unquoted, quoted, quote_in_quoted };
bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }
}  // namespace

std::vector<Row> read(std::string_view text, const Options& options, const std::string& file,
                      std::vector<Diagnostic>& problems) {
  std::vector<Row> rows;
  const std::size_t n = text.size();
  std::size_t i = 0;
  if (n >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF)
    i = 3;

  int line = 1;      // line of the byte at i
  int next_col = 1;  // column the next non-continuation byte gets
  State state = State::start;
  bool row_open = false;
  Row row;
  Field field;

  auto open_row = [&](int col) {
    row = Row{};
    row.line = line;
    field = Field{};
    field.line = line;
    field.column = col;
    row_open = true;
    state = State::start;
  };
  auto end_field = [&](int next_field_col) {
    row.fields.push_back(std::move(field));
    field = Field{};
    field.line = line;
    field.column = next_field_col;
    state = State::start;
  };
  auto end_row = [&] {
    row.fields.push_back(std::move(field));
    rows.push_back(std::move(row));
    row_open = false;
  };

  while (i < n) {
    const char b = text[i];
    const auto ub = static_cast<unsigned char>(b);
    // A stray continuation byte at a line start still gets column 1.
    const int col = is_continuation(ub) && next_col > 1 ? next_col - 1 : next_col;
    if (!row_open) open_row(col);
    const bool newline = b == '\r' || b == '\n';
    // Bytes of this line break (CRLF counts as one).
    const std::size_t nl_len = (b == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;

    switch (state) {
      case State::start:
      case State::unquoted:
        if (b == options.delimiter) {
          end_field(col + 1);
        } else if (newline) {
          end_row();
        } else if (state == State::start && options.quote != '\0' && b == options.quote) {
          field.quoted = true;
          state = State::quoted;
        } else {
          field.text += b;
          state = State::unquoted;
        }
        break;
      case State::quoted:
        if (b == options.quote) {
          state = State::quote_in_quoted;
        } else if (newline) {
          field.text.append(text.substr(i, nl_len));
        } else {
          field.text += b;
        }
        break;
      case State::quote_in_quoted:
        if (b == options.quote) {  // "" inside quotes = one quote
          field.text += b;
          state = State::quoted;
        } else if (b == options.delimiter) {
          end_field(col + 1);
        } else if (newline) {
          end_row();
        } else {  // text after the closing quote: keep it, as Python's csv does
          field.text += b;
          state = State::unquoted;
        }
        break;
    }

    if (newline) {
      i += nl_len;
      ++line;
      next_col = 1;
    } else {
      ++i;
      if (!is_continuation(ub)) ++next_col;
    }
  }
  if (row_open) {
    if (state == State::quoted)
      problems.push_back(Diagnostic{{file, field.line, field.column},
                                    "",
                                    fmt::format("a closing {} quote", options.quote),
                                    "the end of the file",
                                    "quoted field never closed"});
    end_row();
  }
  return rows;
}

std::vector<Row> read(std::string_view text, const Options& options, const std::string& file) {
  std::vector<Diagnostic> problems;
  auto rows = read(text, options, file, problems);
  if (!problems.empty()) throw InputError(std::move(problems));
  return rows;
}

}  // namespace entente::csv

// News in: which cells (actor x issue) of a scenario a plain-text article touches, with candidate
// verbatim quotes, so an analyst can make the next dated version. A sentence touches a cell when it
// names the actor (its name, its id with '_' as ' ', or an alias) and the issue (its id as words, a
// keyword, or an option of a categorical issue), as whole words, ignoring case, with an optional
// plural 's'/'es'. Simple and transparent on purpose: it proposes, the analyst decides.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entente/scenario.hpp"

namespace entente {

struct NewsQuote {
  std::string text;  // the sentence, verbatim
  std::size_t line = 0;
};
struct NewsCell {
  std::string actor, issue;
  std::vector<NewsQuote> quotes;
  bool quoted = false;  // the scenario already quotes this article on this cell
};
// How well the finder recovers what the scenario quotes from this article (when it cites it).
struct NewsRecall {
  std::size_t quoted_cells = 0, found_cells = 0;  // cells with a quote from the article; found among `cells`
  std::size_t quotes = 0, quotes_found = 0;       // the scenario's quotes; contained in a candidate of their cell
  double candidates_per_cell = 0;                 // mean number of quotes over all cells listed
  [[nodiscard]] double cell_recall() const { return quoted_cells ? double(found_cells) / double(quoted_cells) : 0; }
  [[nodiscard]] double quote_recall() const { return quotes ? double(quotes_found) / double(quotes) : 0; }
};
struct NewsReport {
  std::string file, date;  // the article's date: given, else a YYYY-MM-DD in its file name or text
  std::size_t sentences = 0;
  std::vector<NewsCell> cells;  // in the scenario's order (actors, then issues)
  std::optional<NewsRecall> recall;
  std::vector<std::string> sources;  // ids of the scenario's sources that are this article (by file name)
};
// Sentences of a text: split at line ends and at . ! ? followed by a space and a capital or
// a quote (not after abbreviations such as "U.S." or "Mr.").
struct NewsSentence {
  std::string text;
  std::size_t line = 0;
};
[[nodiscard]] std::vector<NewsSentence> split_sentences(std::string_view text);
[[nodiscard]] NewsReport find_news(const Scenario& scenario, std::string_view text, const std::string& file,
                                   const std::string& date = {});

}  // namespace entente

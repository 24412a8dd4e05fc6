// The news finder: sentences of an article that name an actor and an issue of the scenario.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "entente/news.hpp"

namespace entente {
namespace {

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
std::string collapse(std::string_view s) {  // runs of whitespace as one space, trimmed
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// A word before a period that does not end a sentence: "U.S", "Mr", a single capital ("J.").
bool abbreviation(std::string_view word) {
  static const std::set<std::string> known = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen",
                                              "rep", "no", "vs", "etc", "lt", "col", "prof", "inc", "co"};
  if (word.empty()) return false;
  if (word.find('.') != std::string_view::npos) return true;
  if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0]))) return true;
  return known.count(lower(word)) > 0;
}

// Whole-word occurrence of a lower-case term in lower-case text, allowing a plural 's'/'es'.
bool mentions(const std::string& text, const std::string& term) {
  if (term.empty()) return false;
  for (std::size_t at = text.find(term); at != std::string::npos; at = text.find(term, at + 1)) {
    if (at > 0 && alnum(text[at - 1]) && alnum(term.front())) continue;
    std::size_t end = at + term.size();
    if (alnum(term.back())) {
      if (text.compare(end, 2, "es") == 0 && (end + 2 == text.size() || !alnum(text[end + 2]))) return true;
      if (end < text.size() && text[end] == 's' && (end + 1 == text.size() || !alnum(text[end + 1]))) return true;
      if (end < text.size() && alnum(text[end])) continue;
    }
    return true;
  }
  return false;
}

std::string as_words(std::string id) {
  std::replace(id.begin(), id.end(), '_', ' ');
  std::replace(id.begin(), id.end(), '-', ' ');
  return id;
}

std::string first_date(std::string_view s) {
  for (std::size_t i = 0; i + 10 <= s.size(); ++i) {
    auto d = [&](std::size_t k) { return std::isdigit(static_cast<unsigned char>(s[i + k])) != 0; };
    if (d(0) && d(1) && d(2) && d(3) && s[i + 4] == '-' && d(5) && d(6) && s[i + 7] == '-' && d(8) && d(9) &&
        (i + 10 == s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 10]))))
      return std::string(s.substr(i, 10));
  }
  return {};
}

}  // namespace

std::vector<NewsSentence> split_sentences(std::string_view text) {
  std::vector<NewsSentence> out;
  std::size_t line = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view l = text.substr(pos, eol - pos);
    std::size_t start = 0;
    auto push = [&](std::size_t end) {
      std::string s = collapse(l.substr(start, end - start));
      if (!s.empty()) out.push_back({std::move(s), line});
      start = end;
    };
    for (std::size_t i = 0; i < l.size(); ++i) {
      const char c = l[i];
      if (c != '.' && c != '!' && c != '?') continue;
      std::size_t j = i + 1;
      while (j < l.size() && (l[j] == '"' || l[j] == '\'' || l[j] == ')')) ++j;  // closing quotes stay with the sentence
      if (j >= l.size()) continue;  // the line's end closes it anyway
      if (l[j] != ' ' && l[j] != '\t') continue;
      std::size_t k = j;
      while (k < l.size() && (l[k] == ' ' || l[k] == '\t')) ++k;
      if (k >= l.size()) continue;
      const unsigned char next = static_cast<unsigned char>(l[k]);
      if (!(std::isupper(next) || next == '"' || next >= 0x80)) continue;
      if (c == '.') {
        std::size_t w = i;
        while (w > start && l[w - 1] != ' ' && l[w - 1] != '\t' && l[w - 1] != '(') --w;
        if (abbreviation(l.substr(w, i - w))) continue;
      }
      push(j);
    }
    push(l.size());
    pos = eol + 1;
    ++line;
  }
  return out;
}

NewsReport find_news(const Scenario& s, std::string_view text, const std::string& file, const std::string& date) {
  NewsReport r;
  r.file = file;
  const std::string name = std::filesystem::path(file).filename().string();
  r.date = !date.empty() ? date : first_date(name);
  const auto sentences = split_sentences(text);
  if (r.date.empty()) r.date = first_date(text.substr(0, std::min<std::size_t>(text.size(), 2000)));
  r.sentences = sentences.size();

  std::vector<std::vector<std::string>> actor_terms(s.actors.size()), issue_terms(s.issues.size());
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    auto& t = actor_terms[a];
    t.push_back(lower(s.actors[a].name));
    t.push_back(lower(as_words(s.actors[a].id)));
    for (const auto& al : s.actors[a].aliases) t.push_back(lower(al));
  }
  for (std::size_t i = 0; i < s.issues.size(); ++i) {
    auto& t = issue_terms[i];
    t.push_back(lower(as_words(s.issues[i].id)));
    for (const auto& k : s.issues[i].keywords) t.push_back(lower(k));
    for (const auto& o : s.issues[i].options) t.push_back(lower(o));
  }
  auto any = [](const std::string& lo, const std::vector<std::string>& terms) {
    return std::any_of(terms.begin(), terms.end(), [&](const std::string& t) { return mentions(lo, t); });
  };

  std::map<std::pair<std::size_t, std::size_t>, std::vector<NewsQuote>> found;
  for (const auto& sen : sentences) {
    const std::string lo = lower(sen.text);
    std::vector<std::size_t> as, is;
    for (std::size_t a = 0; a < s.actors.size(); ++a)
      if (any(lo, actor_terms[a])) as.push_back(a);
    if (as.empty()) continue;
    for (std::size_t i = 0; i < s.issues.size(); ++i)
      if (any(lo, issue_terms[i])) is.push_back(i);
    for (auto a : as)
      for (auto i : is) found[{a, i}].push_back({sen.text, sen.line});
  }

  // The scenario's quotes from this article (sources whose file has the article's name).
  std::set<std::string> ids;
  for (const auto& src : s.sources)
    if (!src.file.empty() && std::filesystem::path(src.file).filename().string() == name) {
      ids.insert(src.id);
      r.sources.push_back(src.id);
    }
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::string>> quoted;
  for (std::size_t a = 0; a < s.actors.size(); ++a)
    for (std::size_t i = 0; i < s.issues.size(); ++i) {
      const Stance* st = s.stance(a, i);
      if (!st) continue;
      auto take = [&](const Quantity& q) {
        if (ids.count(q.evidence.source) && !q.evidence.quote.empty()) quoted[{a, i}].push_back(collapse(q.evidence.quote));
      };
      take(st->position);
      take(st->salience);
      if (st->capability) take(*st->capability);
      for (const auto& u : st->utilities) take(u);
    }

  std::size_t candidates = 0;
  for (const auto& [key, quotes] : found) {
    NewsCell c;
    c.actor = s.actors[key.first].id;
    c.issue = s.issues[key.second].id;
    c.quotes = quotes;
    c.quoted = quoted.count(key) > 0;
    candidates += quotes.size();
    r.cells.push_back(std::move(c));
  }
  if (!ids.empty()) {
    NewsRecall rc;
    for (const auto& [key, qs] : quoted) {
      ++rc.quoted_cells;
      rc.quotes += qs.size();
      auto it = found.find(key);
      if (it == found.end()) continue;
      ++rc.found_cells;
      for (const auto& q : qs)
        if (std::any_of(it->second.begin(), it->second.end(),
                        [&](const NewsQuote& c) { return c.text.find(q) != std::string::npos; }))
          ++rc.quotes_found;
    }
    rc.candidates_per_cell = r.cells.empty() ? 0 : double(candidates) / double(r.cells.size());
    r.recall = rc;
  }
  return r;
}

}  // namespace entente

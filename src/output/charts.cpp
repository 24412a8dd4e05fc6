#include "output/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace entente::charts {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters other than tab/newline are not allowed in XML (SVG); drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string safe_url(std::string_view url) {
  auto starts = [&](std::string_view p) {
    if (url.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
    return true;
  };
  if (starts("http://") || starts("https://")) return escape(url);
  return {};
}

const char* colour(std::size_t k) {
  // Tableau-like palette, distinguishable and readable on white.
  static const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                        "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  return palette[k % (sizeof palette / sizeof palette[0])];
}

namespace {

constexpr double kWidth = 760;
constexpr double kLeft = 170;  // room for actor names
constexpr double kRight = 30;

std::string label_of(std::size_t k) {
  // A, B, ..., Z, AA, AB, ...: keys linking axis marks to the legend of labelled points.
  std::string s;
  std::size_t n = k;
  do {
    s.insert(s.begin(), static_cast<char>('A' + n % 26));
    n = n / 26;
  } while (n-- > 0);
  return s;
}

std::string clip(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  // Cut on a UTF-8 boundary.
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\u2026";
}

struct Axis {
  double lo, hi, x0, x1;
  [[nodiscard]] double at(double v) const {
    if (!(hi > lo)) return (x0 + x1) / 2;
    const double t = std::clamp((v - lo) / (hi - lo), -0.02, 1.02);
    return x0 + t * (x1 - x0);
  }
};

// Round tick step giving about n ticks over [lo, hi].
double nice_step(double lo, double hi, int n) {
  const double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span)) return 1;
  const double raw = span / n;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * mag;
}

std::vector<double> ticks(double lo, double hi, int n) {
  std::vector<double> out;
  const double step = nice_step(lo, hi, n);
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (int k = 0; k < 50; ++k) {
    const double v = first + k * step;
    if (v > hi + step * 1e-9) break;
    out.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  }
  return out;
}

std::string svg_open(double w, double h, std::string_view aria) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" aria-label=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      w, h, w, h, escape(aria));
}

std::string text(double x, double y, std::string_view s, std::string_view anchor = "start",
                 std::string_view extra = {}) {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\"{}{}>{}</text>\n", x, y, anchor,
                     extra.empty() ? "" : " ", extra, escape(s));
}

// Horizontal axis with ticks at y.
std::string x_axis(const Axis& ax, double y) {
  std::string s = fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>\n",
                              ax.x0, y, ax.x1, y);
  for (double v : ticks(ax.lo, ax.hi, 10)) {
    const double x = ax.at(v);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>\n", x, y, x, y + 4);
    s += text(x, y + 16, display_number(v), "middle", "fill=\"#555\" font-size=\"11\"");
  }
  return s;
}

double weight(const Scenario& s, std::size_t a, std::size_t i) {
  const Stance* st = s.stance(a, i);
  if (!st) return 0;
  const double w = s.capability(a, i) * st->salience.value;
  return std::isfinite(w) && w > 0 ? w : 0;
}

std::string numeric_issue_chart(const Scenario& s, std::size_t i, const std::vector<Result>& results) {
  const Issue& is = s.issues[i];
  std::vector<std::size_t> present;
  double wmax = 0;
  for (std::size_t a = 0; a < s.actors.size(); ++a)
    if (s.stance(a, i)) {
      present.push_back(a);
      wmax = std::max(wmax, weight(s, a, i));
    }
  std::vector<std::pair<std::size_t, double>> marks;  // (model index, value)
  for (std::size_t m = 0; m < results.size(); ++m)
    if (i < results[m].forecasts.size() && results[m].forecasts[i].defined &&
        std::isfinite(results[m].forecasts[i].value))
      marks.emplace_back(m, results[m].forecasts[i].value);
  // Labels stacked in the order of the values, so neighbouring lines get neighbouring rows.
  std::stable_sort(marks.begin(), marks.end(), [](const auto& a, const auto& b) { return a.second < b.second; });

  const double row = 26;
  const double top = 14 + 16.0 * static_cast<double>(marks.size());
  const double rows_h = row * static_cast<double>(std::max<std::size_t>(present.size(), 1));
  const double axis_y = top + rows_h + 6;
  const double legend_y = axis_y + 34;
  const double h = legend_y + 16.0 * static_cast<double>(is.points.size()) + (is.status_quo ? 16 : 0) + 8;
  const Axis ax{is.min, is.max, kLeft, kWidth - kRight};

  std::string out = svg_open(kWidth, h, fmt::format("Positions and forecasts on {}", is.name));
  // Alternating row bands and actor names.
  for (std::size_t r = 0; r < present.size(); ++r) {
    const std::size_t a = present[r];
    const double y = top + row * static_cast<double>(r);
    if (r % 2 == 0)
      out += fmt::format("<rect x=\"0\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" fill=\"#f4f6f8\"/>\n", y, kWidth, row);
    out += text(kLeft - 10, y + row / 2 + 4, clip(s.actors[a].name.empty() ? s.actors[a].id : s.actors[a].name, 26),
                "end");
  }
  // Status quo.
  if (is.status_quo) {
    const double x = ax.at(*is.status_quo);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>\n", x,
        top, axis_y);
  }
  // Actors: circle area proportional to capability x salience.
  for (std::size_t r = 0; r < present.size(); ++r) {
    const std::size_t a = present[r];
    const Stance* st = s.stance(a, i);
    const double w = weight(s, a, i);
    const double rad = 2.5 + 9.5 * (wmax > 0 ? std::sqrt(w / wmax) : 0);
    const double x = ax.at(st->position.value);
    const double y = top + row * static_cast<double>(r) + row / 2;
    out += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{:.1f}\" fill=\"{}\" fill-opacity=\"0.75\" stroke=\"#222\" "
        "stroke-width=\"0.5\"><title>{}</title></circle>\n",
        x, y, rad, colour(a),
        escape(fmt::format("{}: position {}, salience {}, capability {}", s.actors[a].name, display_number(st->position.value),
                           display_number(st->salience.value), display_number(s.capability(a, i)))));
  }
  // Model forecasts: a vertical line through the rows, labelled at the top.
  for (std::size_t k = 0; k < marks.size(); ++k) {
    const auto [m, v] = marks[k];
    const double x = ax.at(v);
    const double ly = 12 + 16.0 * static_cast<double>(k);
    out += fmt::format(
        "<line class=\"forecast\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#000\" "
        "stroke-width=\"2\" stroke-dasharray=\"{3}\"/>\n",
        x, ly + 3, axis_y, k % 2 == 0 ? "6 3" : "2 2");
    const std::string label = fmt::format("{} {}", results[m].model, display_number(v));
    const bool right_half = x > (ax.x0 + ax.x1) / 2;
    out += text(right_half ? x - 4 : x + 4, ly, label, right_half ? "end" : "start",
                "font-weight=\"bold\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\"");
  }
  out += x_axis(ax, axis_y);
  // Labelled points: keyed marks on the axis, and the legend under it.
  double ly = legend_y;
  for (std::size_t p = 0; p < is.points.size(); ++p) {
    const double x = ax.at(is.points[p].value);
    out += fmt::format("<path d=\"M{0:.1f},{1:.1f} l-5,-9 h10 z\" fill=\"#444\"/>\n", x, axis_y);
    out += text(x, axis_y - 11, label_of(p), "middle", "font-size=\"10\" font-weight=\"bold\"");
    out += text(kLeft, ly, fmt::format("{} = {}: {}", label_of(p), display_number(is.points[p].value), clip(is.points[p].label, 90)),
                "start", "fill=\"#333\"");
    ly += 16;
  }
  if (is.status_quo)
    out += text(kLeft, ly, fmt::format("dotted line = status quo ({})", display_number(*is.status_quo)), "start", "fill=\"#333\"");
  out += "</svg>\n";
  return out;
}

std::string categorical_issue_chart(const Scenario& s, std::size_t i, const std::vector<Result>& results) {
  const Issue& is = s.issues[i];
  std::vector<std::size_t> present;
  for (std::size_t a = 0; a < s.actors.size(); ++a)
    if (s.stance(a, i)) present.push_back(a);
  const double col = std::min(120.0, (kWidth - kLeft - kRight) / static_cast<double>(std::max<std::size_t>(is.options.size(), 1)));
  const double row = 24;
  const double top = 34;
  std::vector<std::size_t> with_probs;  // models that forecast this issue
  for (std::size_t m = 0; m < results.size(); ++m)
    if (i < results[m].forecasts.size() && results[m].forecasts[i].defined &&
        !results[m].forecasts[i].option_probabilities.empty())
      with_probs.push_back(m);
  const double grid_h = row * static_cast<double>(present.size() + std::max<std::size_t>(with_probs.size(), 1));
  const double h = top + grid_h + 12;
  std::string out = svg_open(kWidth, h, fmt::format("Utilities and forecasts on {}", is.name));
  for (std::size_t o = 0; o < is.options.size(); ++o)
    out += text(kLeft + col * (static_cast<double>(o) + 0.5), top - 10, clip(is.options[o], 18), "middle",
                "font-weight=\"bold\"");
  double y = top;
  for (std::size_t r = 0; r < present.size(); ++r, y += row) {
    const std::size_t a = present[r];
    const Stance* st = s.stance(a, i);
    out += text(kLeft - 10, y + row / 2 + 4, clip(s.actors[a].name, 26), "end");
    for (std::size_t o = 0; o < is.options.size(); ++o) {
      const double u = o < st->utilities.size() ? std::clamp(st->utilities[o].value, 0.0, 1.0) : 0.0;
      const double side = 4 + 14 * std::sqrt(u);
      const double cx = kLeft + col * (static_cast<double>(o) + 0.5);
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" fill-opacity=\"{:.2f}\"><title>{}</title></rect>\n",
          cx - side / 2, y + row / 2 - side / 2, side, side, colour(a), 0.25 + 0.75 * u,
          escape(fmt::format("{} on {}: utility {}", s.actors[a].name, is.options[o], display_number(u))));
    }
  }
  if (with_probs.empty())
    out += text(kLeft - 10, y + row / 2 + 4, "no selected model forecasts this categorical issue", "start",
                "fill=\"#555\" font-style=\"italic\"");
  for (const std::size_t m : with_probs) {
    out += text(kLeft - 10, y + row / 2 + 4, clip(fmt::format("P({})", results[m].model), 24), "end", "font-weight=\"bold\"");
    const auto& f = results[m].forecasts[i];
    for (std::size_t o = 0; o < is.options.size(); ++o) {
      double p = o < f.option_probabilities.size() ? f.option_probabilities[o] : 0.0;
      if (!std::isfinite(p)) p = 0;
      p = std::clamp(p, 0.0, 1.0);
      const double x0 = kLeft + col * static_cast<double>(o) + 6;
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"12\" fill=\"#333\"/>\n", x0,
                         y + 6, (col - 40) * p);
      out += text(x0 + (col - 40) * p + 3, y + 16, display_number(p), "start", "font-size=\"11\"");
    }
    y += row;
  }
  out += "</svg>\n";
  return out;
}

}  // namespace

std::string issue_chart(const Scenario& scenario, std::size_t issue, const std::vector<Result>& results) {
  if (issue >= scenario.issues.size()) return {};
  return scenario.issues[issue].kind == Issue::Kind::categorical ? categorical_issue_chart(scenario, issue, results)
                                                                : numeric_issue_chart(scenario, issue, results);
}

std::string trajectory_chart(const Scenario& s, std::size_t i, const Result& result) {
  if (i >= s.issues.size() || s.issues[i].kind != Issue::Kind::numeric) return {};
  const auto& rounds = result.trace.rounds;
  if (rounds.empty()) return {};
  bool any = false;
  for (const auto& r : rounds)
    if (const auto* p = r.actors("position"); p && i < p->data.size()) any = true;
  if (!any) return {};
  const Issue& is = s.issues[i];
  const double h = 300, top = 16, bottom = 250, left = 60, right = kWidth - 170;
  const int first = rounds.front().index;
  const int last = std::max(rounds.back().index, first + 1);
  auto xr = [&](int k) { return left + (right - left) * (k - first) / static_cast<double>(last - first); };
  auto yv = [&](double v) {
    const double t = is.max > is.min ? std::clamp((v - is.min) / (is.max - is.min), -0.02, 1.02) : 0.5;
    return bottom - t * (bottom - top);
  };
  std::string out = svg_open(kWidth, h, fmt::format("{}: positions over {}s on {}", result.model, "round", is.name));
  // Grid and axes.
  for (double v : ticks(is.min, is.max, 5)) {
    out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#e3e3e3\"/>\n", left, yv(v), right,
                       yv(v));
    out += text(left - 6, yv(v) + 4, display_number(v), "end", "fill=\"#555\" font-size=\"11\"");
  }
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#333\"/>\n", left, bottom, right);
  for (double v : ticks(first, last, 8)) {
    const double k = std::round(v);
    if (k != v) continue;
    out += text(xr(static_cast<int>(k)), bottom + 16, display_number(k), "middle", "fill=\"#555\" font-size=\"11\"");
  }
  out += text((left + right) / 2, bottom + 34, "round", "middle", "fill=\"#333\"");
  // One polyline per actor, breaking where the actor is absent (NaN).
  double legend_y = top + 4;
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    std::string pts;
    bool drawn = false;
    auto flush = [&] {
      if (!pts.empty())
        out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" stroke-opacity=\"0.8\"/>\n",
                           pts, colour(a));
      pts.clear();
    };
    for (const auto& r : rounds) {
      const auto* p = r.actors("position");
      const double v = p && i < p->data.size() && a < p->data[i].size() ? p->data[i][a]
                                                                         : std::numeric_limits<double>::quiet_NaN();
      if (!std::isfinite(v)) {
        flush();
        continue;
      }
      pts += fmt::format("{:.1f},{:.1f} ", xr(r.index), yv(v));
      drawn = true;
    }
    flush();
    if (drawn && legend_y < h - 10) {
      out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                         right + 12, legend_y - 4, right + 28, legend_y - 4, colour(a));
      out += text(right + 32, legend_y, clip(s.actors[a].name, 20), "start", "font-size=\"11\"");
      legend_y += 14;
    }
  }
  // Issue series (median, mean...) in bold black.
  const char* const dashes[] = {"", "6 3", "2 2", "8 2 2 2"};
  std::vector<std::string> names;
  for (const auto& r : rounds)
    for (const auto& is_series : r.issue_series)  // only values on the issue's scale (not counts)
      if (is_series.on_scale && std::find(names.begin(), names.end(), is_series.name) == names.end())
        names.push_back(is_series.name);
  for (std::size_t n = 0; n < names.size(); ++n) {
    std::string pts;
    for (const auto& r : rounds) {
      const auto* ser = r.issues(names[n]);
      if (!ser || i >= ser->data.size() || !std::isfinite(ser->data[i])) continue;
      pts += fmt::format("{:.1f},{:.1f} ", xr(r.index), yv(ser->data[i]));
    }
    if (pts.empty()) continue;
    out += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#000\" stroke-width=\"3\" stroke-dasharray=\"{}\"/>\n", pts,
        dashes[n % 4]);
    if (legend_y < h - 10) {
      out += fmt::format(
          "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#000\" stroke-width=\"3\" stroke-dasharray=\"{}\"/>\n",
          right + 12, legend_y - 4, right + 28, legend_y - 4, dashes[n % 4]);
      out += text(right + 32, legend_y, names[n], "start", "font-size=\"11\" font-weight=\"bold\"");
      legend_y += 14;
    }
  }
  out += "</svg>\n";
  return out;
}

namespace {
// Categorical issues: one bar per option, its share of the draws (never a histogram of option numbers).
std::string option_share_chart(const Issue& is, const std::vector<double>& v) {
  std::vector<double> share(is.options.size(), 0.0);
  for (double x : v) {
    const auto k = static_cast<std::size_t>(std::lround(x));
    if (k < share.size()) share[k] += 1.0 / static_cast<double>(v.size());
  }
  const double row = 22, top = 8;
  const double h = top + row * static_cast<double>(share.size()) + 8;
  const double x0 = 220, x1 = kWidth - kRight;
  std::string out = svg_open(kWidth, h, fmt::format("Share of draws forecasting each option of {}", is.name));
  for (std::size_t k = 0; k < share.size(); ++k) {
    const double y = top + row * static_cast<double>(k);
    out += text(x0 - 8, y + 15, is.options[k], "end", "font-size=\"12\"");
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"16\" fill=\"#6b8fb5\"/>\n", x0, y + 3,
                       std::max(0.5, (x1 - x0) * share[k]));
    out += text(x0 + (x1 - x0) * share[k] + 6, y + 15, display_percent(share[k]), "start", "font-size=\"12\"");
  }
  return out + "</svg>\n";
}
}  // namespace

std::string histogram_chart(const Issue& is, const std::vector<double>& values, double point, bool has_point) {
  std::vector<double> v;
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  if (v.empty()) return {};
  if (is.kind == Issue::Kind::categorical) return option_share_chart(is, v);
  std::sort(v.begin(), v.end());
  double lo = is.kind == Issue::Kind::numeric ? is.min : 0;
  double hi = is.kind == Issue::Kind::numeric ? is.max : static_cast<double>(std::max<std::size_t>(is.options.size(), 1)) - 1;
  lo = std::min(lo, v.front());
  hi = std::max(hi, v.back());
  if (!(hi > lo)) hi = lo + 1;
  constexpr int bins = 40;
  std::vector<int> count(bins, 0);
  for (double x : v) {
    int b = static_cast<int>((x - lo) / (hi - lo) * bins);
    count[static_cast<std::size_t>(std::clamp(b, 0, bins - 1))]++;
  }
  const int cmax = *std::max_element(count.begin(), count.end());
  const double h = 190, top = 28, bottom = 150;
  const Axis ax{lo, hi, 60, kWidth - kRight};
  auto quant = [&](double q) { return v[static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1)))]; };
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  std::string out = svg_open(kWidth, h, fmt::format("Distribution of the forecast on {}", is.name));
  const double bw = (ax.x1 - ax.x0) / bins;
  for (int b = 0; b < bins; ++b) {
    if (count[static_cast<std::size_t>(b)] == 0) continue;
    const double bh = (bottom - top) * count[static_cast<std::size_t>(b)] / cmax;
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#6b8fb5\"/>\n",
                       ax.x0 + bw * b + 0.5, bottom - bh, bw - 1, bh);
  }
  out += x_axis(ax, bottom);
  const double q05 = quant(0.05), q50 = quant(0.5), q95 = quant(0.95);
  out += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"4\" fill=\"#e0a030\"><title>90% interval</title></rect>\n",
      ax.at(q05), bottom + 22, std::max(1.0, ax.at(q95) - ax.at(q05)));
  if (has_point && std::isfinite(point)) {
    const double x = ax.at(point);
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#000\" stroke-width=\"2\" "
                       "stroke-dasharray=\"6 3\"/>\n",
                       x, top - 6, bottom);
  }
  out += text(60, 14,
              fmt::format("{} draws: mean {}, median {}, 90% interval [{}, {}]{}", v.size(), display_number(mean), display_number(q50),
                          display_number(q05), display_number(q95), has_point ? fmt::format("; dashed = forecast without uncertainty ({})", display_number(point)) : ""),
              "start", "fill=\"#333\"");
  out += "</svg>\n";
  return out;
}

std::string tornado_chart(const Issue& is, const Tornado& t) {
  // Only inputs that move the forecast at all, the ten that move it most.
  const double span = is.kind == Issue::Kind::numeric ? is.max - is.min : 1.0;
  std::vector<TornadoBar> bars;
  for (const auto& b : t.bars)
    if (std::isfinite(b.low) && std::isfinite(b.high) && std::fabs(b.high - b.low) > 1e-9 * span) bars.push_back(b);
  if (bars.empty()) return {};
  std::stable_sort(bars.begin(), bars.end(), [](const TornadoBar& a, const TornadoBar& b) {
    return std::fabs(a.high - a.low) > std::fabs(b.high - b.low);
  });
  if (bars.size() > 10) bars.resize(10);
  double lo = t.base, hi = t.base;
  for (const auto& b : bars) {
    lo = std::min({lo, b.low, b.high});
    hi = std::max({hi, b.low, b.high});
  }
  if (is.kind == Issue::Kind::categorical) {  // the probability of the base forecast's option
    lo = 0;
    hi = 1;
  } else {
    // Pad to a readable span, never beyond the scale.
    const double pad = std::max((hi - lo) * 0.1, (is.max - is.min) * 0.02);
    lo = std::max(is.min, lo - pad);
    hi = std::min(is.max, hi + pad);
  }
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const double row = 22, top = 26;
  const double bottom = top + row * static_cast<double>(bars.size());
  const double h = bottom + 30;
  const Axis ax{lo, hi, 250, kWidth - 80};
  std::string out = svg_open(kWidth, h, fmt::format("Sensitivity of the {} forecast on {}", t.model, is.name));
  for (std::size_t k = 0; k < bars.size(); ++k) {
    const auto& b = bars[k];
    const double y = top + row * static_cast<double>(k);
    out += text(ax.x0 - 8, y + row / 2 + 4,
                fmt::format("{} ({} \u2192 {})", clip(b.input, 30), display_number(b.low_input), display_number(b.high_input)), "end",
                "font-size=\"11\"");
    const double xb = ax.at(t.base);
    const double xl = ax.at(b.low), xh = ax.at(b.high);
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"#6b8fb5\"><title>{}</title></rect>\n",
                       std::min(xb, xl), y + 4, std::max(1.0, std::fabs(xl - xb)), row - 8,
                       escape(fmt::format("{} at {}: forecast {}", b.input, display_number(b.low_input), display_number(b.low))));
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"#e0a030\"><title>{}</title></rect>\n",
                       std::min(xb, xh), y + 4, std::max(1.0, std::fabs(xh - xb)), row - 8,
                       escape(fmt::format("{} at {}: forecast {}", b.input, display_number(b.high_input), display_number(b.high))));
  }
  out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#000\" stroke-width=\"1.5\"/>\n",
                     ax.at(t.base), top - 4, bottom);
  out += text(ax.at(t.base), top - 8, fmt::format("base {}", display_number(t.base)), "middle", "font-weight=\"bold\"");
  out += x_axis(ax, bottom + 2);
  out += "</svg>\n";
  return out;
}

}  // namespace entente::charts

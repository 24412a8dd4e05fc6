// The JSON API of `entente serve` (docs/api.md). Every request carries its scenario, so handlers are
// pure functions of the request; the engine runs here, in C++, never in the browser.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <future>
#include <list>
#include <string_view>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "entente/model.hpp"
#include "entente/output.hpp"
#include "entente/report.hpp"
#include "entente/requests.hpp"
#include "entente/version.hpp"
#include "server/embedded.hpp"
#include "server/server.hpp"

namespace entente::server {

using json = nlohmann::json;

namespace {

// A request we refuse, with the status and message to send.
struct Refusal {
  int status;
  std::string message;
  json diagnostics = json::array();
};

std::string dump(const json& j) {
  // Scenario text may hold invalid UTF-8; replace it rather than fail.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Reply json_reply(int status, const json& j) { return Reply{status, "application/json", dump(j)}; }

json diagnostics_json(const InputError& e) {
  return json::parse(render(e, Format::json), nullptr, false)["diagnostics"];
}

// {"text": ..., "base64": true}: binary files (XLSX, ODS) travel as base64, since JSON strings
// must be UTF-8. Whitespace is skipped; anything else outside the alphabet is refused.
std::string decode_base64(const std::string& in) {
  std::string out;
  out.reserve(in.size() / 4 * 3);
  unsigned int acc = 0;
  int bits = 0;
  bool padding = false;
  for (char ch : in) {
    if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') continue;
    if (ch == '=') {
      padding = true;
      continue;
    }
    int v = -1;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z') v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9') v = ch - '0' + 52;
    else if (ch == '+' || ch == '-') v = 62;
    else if (ch == '/' || ch == '_') v = 63;
    if (v < 0 || padding) throw Refusal{400, "'text' is not valid base64 (\"base64\": true)"};
    acc = (acc << 6) | static_cast<unsigned int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

Reply refusal_reply(const Refusal& r) {
  return json_reply(r.status, json{{"error", r.message}, {"diagnostics", r.diagnostics}});
}

// Counts concurrent computations, so a burst of requests queues instead of oversubscribing the CPU.
class Slots {
 public:
  explicit Slots(int n) : free_(n) {}
  bool acquire(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_until(lock, deadline, [&] { return free_ > 0; })) return false;
    --free_;
    return true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int free_;
};

// The deepest nesting of arrays and objects in JSON text, by a scan without recursion, so a deep
// body is refused before anything (the parser, dump(), destructors) recurses on it. Stops early
// once past `limit`.
std::size_t json_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

json parse_body(const std::string& body, std::size_t max_depth) {
  if (body.empty()) throw Refusal{400, "empty request body: expected a JSON object"};
  if (json_depth(body, max_depth) > max_depth)
    throw Refusal{400, fmt::format("the request body nests arrays and objects deeper than {} levels", max_depth)};
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) throw Refusal{400, "malformed JSON in the request body"};
  if (!j.is_object()) throw Refusal{400, "the request body must be a JSON object"};
  return j;
}

const json* member(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string string_member(const json& j, const char* key, const std::string& fallback = {}) {
  const json* v = member(j, key);
  if (!v) return fallback;
  if (!v->is_string()) throw Refusal{400, fmt::format("'{}' must be a string", key)};
  return v->get<std::string>();
}

double number_value(const json& v, const std::string& what) {
  if (!v.is_number()) throw Refusal{400, fmt::format("'{}' must be a number", what)};
  const double d = v.get<double>();
  if (!std::isfinite(d)) throw Refusal{400, fmt::format("'{}' must be a finite number", what)};
  return d;
}

}  // namespace

// Parsed scenarios by exact text: the UI sends the same scenario with every edit, and parsing
// (YAML, validation) costs more than the baseline models, so a few recent ones are kept.
class ParseCache {
 public:
  std::shared_ptr<const Scenario> get(const std::string& text, const std::string& name) {
    {
      std::lock_guard lock(mutex_);
      for (auto it = entries_.begin(); it != entries_.end(); ++it)
        if (it->name == name && it->text == text) {
          entries_.splice(entries_.begin(), entries_, it);  // most recent first
          return entries_.front().scenario;
        }
    }
    auto parsed = std::make_shared<const Scenario>(parse_scenario(text, name));  // throws: not cached
    std::lock_guard lock(mutex_);
    entries_.push_front(Entry{text, name, parsed});
    if (entries_.size() > kEntries) entries_.pop_back();
    return parsed;
  }

 private:
  static constexpr std::size_t kEntries = 8;
  struct Entry {
    std::string text, name;
    std::shared_ptr<const Scenario> scenario;
  };
  std::mutex mutex_;
  std::list<Entry> entries_;
};

struct Api::State : std::enable_shared_from_this<Api::State> {
  Options options;
  std::optional<Scenario> initial;
  std::string initial_name;
  std::shared_ptr<Slots> slots;
  mutable ParseCache cache;

  void check_size(const Scenario& s) const {
    if (s.actors.size() > options.max_actors)
      throw Refusal{400, fmt::format("too many actors: {} (this server accepts at most {})", s.actors.size(), options.max_actors)};
    if (s.issues.size() > options.max_issues)
      throw Refusal{400, fmt::format("too many issues: {} (this server accepts at most {})", s.issues.size(), options.max_issues)};
  }

  // The request's scenario: "scenario" (the native structure as JSON) or "text" (a file's content,
  // any supported format, with "name" for format detection), then the "edits" (the CLI's
  // what-ifs; an error in one points at it: "edits[2]").
  ScenarioSource source_of(const json& req) const {
    ScenarioSource src;
    if (const json* sc = member(req, "scenario")) {
      if (!sc->is_object()) throw Refusal{400, "'scenario' must be a JSON object (the native scenario structure)"};
      src.scenario = cache.get(sc->dump(1, ' ', false, json::error_handler_t::replace), "scenario.json");
    } else if (const json* text = member(req, "text")) {
      if (!text->is_string()) throw Refusal{400, "'text' must be a string (the content of a scenario file)"};
      std::string name = string_member(req, "name", "upload.yaml");
      if (name.size() > 200) name.resize(200);
      const json* b64 = member(req, "base64");
      if (b64 && !b64->is_boolean()) throw Refusal{400, "'base64' must be true or false"};
      src.scenario = cache.get(b64 && b64->get<bool>() ? decode_base64(text->get<std::string>()) : text->get<std::string>(), name);
    } else {
      throw Refusal{400, "the request needs 'scenario' (a JSON object) or 'text' (a scenario file's content)"};
    }
    check_size(*src.scenario);
    if (const json* edits = member(req, "edits")) {
      if (!edits->is_array()) throw Refusal{400, "'edits' must be an array"};
      if (edits->size() > options.max_edits)
        throw Refusal{400, fmt::format("too many edits: {} (at most {})", edits->size(), options.max_edits)};
      for (std::size_t k = 0; k < edits->size(); ++k) src.edits.push_back(edit_of((*edits)[k], k));
    }
    return src;
  }
  Scenario scenario_of(const json& req) const { return resolve_scenario(source_of(req)); }

  static Edit edit_of(const json& e, std::size_t k) {
    const SourceLocation origin{fmt::format("edits[{}]", k), 0, 0};
    if (!e.is_object()) throw Refusal{400, "each edit must be a JSON object"};
    if (const json* d = member(e, "drop")) {
      if (!d->is_string()) throw Refusal{400, "'drop' must be an actor id"};
      return Edit::drop_actor(d->get<std::string>(), origin);
    }
    if (const json* a = member(e, "set")) {
      if (!a->is_string()) throw Refusal{400, "'set' must be a string ACTOR.ISSUE.FIELD=VALUE"};
      return Edit::parse_set(a->get<std::string>(), origin);
    }
    const std::string actor = string_member(e, "actor");
    const std::string issue = string_member(e, "issue");
    const std::string field = string_member(e, "field");
    const json* v = member(e, "value");
    if (actor.empty() || field.empty() || !v)
      throw Refusal{400, "an edit is {\"drop\": ACTOR}, {\"set\": \"A.I.F=V\"} or {\"actor\", \"issue\", \"field\", \"value\"}"};
    Edit out;
    out.kind = Edit::Kind::set;
    out.actor = actor;
    out.issue = issue;
    out.field = field;
    out.value = number_value(*v, "value");
    out.origin = origin;
    return out;
  }

  std::vector<std::string> models_of(const json& req) const {
    std::vector<std::string> names;
    if (const json* m = member(req, "models")) {
      if (!m->is_array()) throw Refusal{400, "'models' must be an array of model names"};
      for (const auto& n : *m) {
        if (!n.is_string()) throw Refusal{400, "'models' must be an array of model names"};
        names.push_back(n.get<std::string>());
      }
    } else {
      throw Refusal{400, "the request needs 'models': an array of model names (GET /api/models lists them)"};
    }
    if (names.empty()) throw Refusal{400, "'models' is empty"};
    if (names.size() > options.max_models)
      throw Refusal{400, fmt::format("too many models: {} (at most {})", names.size(), options.max_models)};
    for (const auto& n : names) (void)find_model(n);  // unknown -> InputError -> 400 listing the names
    return names;
  }

  // "params": {model: {key: value}} as the request layer's MODEL.KEY=VALUE entries.
  static std::vector<std::string> params_of(const json& req) {
    std::vector<std::string> out;
    const json* all = member(req, "params");
    if (!all) return out;
    if (!all->is_object()) throw Refusal{400, "'params' must be an object: model -> {key: value}"};
    for (const auto& [model, mine] : all->items()) {
      if (mine.is_null()) continue;
      if (!mine.is_object()) throw Refusal{400, fmt::format("'params.{}' must be an object", model)};
      for (const auto& [k, v] : mine.items()) {
        std::string value;
        if (v.is_string()) value = v.get<std::string>();
        else if (v.is_boolean()) value = v.get<bool>() ? "true" : "false";
        else if (v.is_number_integer()) value = v.dump();
        else if (v.is_number()) value = format_number(number_value(v, k));
        else throw Refusal{400, fmt::format("'params.{}.{}' must be a string, number or boolean", model, k)};
        out.push_back(fmt::format("{}.{}={}", model, k, value));
      }
    }
    return out;
  }

  ModelSelection selection_of(const json& req) const {
    ModelSelection m;
    m.models = models_of(req);
    m.params = params_of(req);
    if (member(req, "seed")) m.seed = seed_of(req);
    if (const json* st = member(req, "settle")) {
      if (!st->is_string()) throw Refusal{400, "'settle' must be \"last\" or \"mean_of_cycle\""};
      m.settle = parse_settle(st->get<std::string>());
    }
    return m;
  }

  static std::uint64_t seed_of(const json& req) {
    const json* s = member(req, "seed");
    if (!s) return 0;
    if (s->is_number_unsigned()) return s->get<std::uint64_t>();
    if (s->is_number_integer() && s->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(s->get<std::int64_t>());
    throw Refusal{400, "'seed' must be a non-negative integer below 2^64"};
  }

  // Runs `work(cancel)` on a compute slot with the server's time limit: all of a request's work
  // (parsing its scenario, the edits, the models), so that none escapes the slots or the limit.
  // The work runs on its own thread so a request that exceeds the limit gets its 503 at once; then
  // `cancel` is raised, which the models poll in their round loops, so the thread ends and frees
  // its slot soon after (it keeps the slot until then: runaway work cannot pile up).
  template <class Work>
  json compute(Work work) const {
    using clock = std::chrono::steady_clock;
    const auto deadline =
        clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(options.timeout_seconds));
    if (!slots->acquire(deadline)) throw Refusal{503, "the server is busy: no computation slot freed in time"};
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    auto task = std::make_shared<std::packaged_task<json()>>(
        [work = std::move(work), cancel]() mutable -> json { return work(cancel.get()); });
    auto result = task->get_future();
    try {
      std::thread([task, slots = slots] {
        (*task)();
        slots->release();
      }).detach();
    } catch (...) {
      slots->release();
      throw Refusal{503, "the server could not start the computation"};
    }
    if (result.wait_until(deadline) != std::future_status::ready) {
      cancel->store(true);
      throw Refusal{503, fmt::format("the computation took longer than {} s", options.timeout_seconds)};
    }
    return result.get();  // rethrows the work's exception
  }

  // ---- Handlers -------------------------------------------------------------------------------

  Reply get_models() const { return Reply{200, "application/json", render(list_models(), Format::json)}; }

  static json scenario_json(const Scenario& s) {
    json j = json::parse(to_json(s), nullptr, false);
    if (j.is_discarded()) throw std::logic_error("to_json produced invalid JSON");
    return j;
  }

  static json missing_json(const Scenario& s) {
    json out = json::array();
    for (const auto& m : missing_evidence(s)) out.push_back(m.field);
    return out;
  }

  // A flat view of the scenario for the UI's tables (salience always 0-1, capability resolved),
  // so the UI does not depend on the optional forms of the native format.
  static json view_json(const Scenario& s) {
    json issues = json::array();
    for (const auto& is : s.issues) {
      json points = json::array();
      for (const auto& p : is.points) points.push_back(json{{"value", p.value}, {"label", p.label}});
      issues.push_back(json{{"id", is.id},
                            {"name", is.name.empty() ? is.id : is.name},
                            {"kind", is.kind == Issue::Kind::numeric ? "numeric" : "categorical"},
                            {"min", is.min},
                            {"max", is.max},
                            {"points", points},
                            {"options", is.options}});
    }
    json actors = json::array();
    for (std::size_t a = 0; a < s.actors.size(); ++a) {
      const Actor& ac = s.actors[a];
      json stances = json::object();
      for (std::size_t i = 0; i < s.issues.size(); ++i) {
        const Stance* st = s.stance(a, i);
        if (!st) continue;
        json sj{{"salience", st->salience.value}, {"capability", s.capability(a, i)},
                {"own_capability", st->capability.has_value()}};
        if (s.issues[i].kind == Issue::Kind::numeric) sj["position"] = st->position.value;
        else {  // categorical: the utility of each option (editable as "utility:OPTION")
          json u = json::object();
          for (std::size_t o = 0; o < s.issues[i].options.size(); ++o)
            u[s.issues[i].options[o]] = o < st->utilities.size() ? st->utilities[o].value : 0.0;
          sj["utilities"] = u;
        }
        stances[s.issues[i].id] = sj;
      }
      actors.push_back(json{{"id", ac.id}, {"name", ac.name.empty() ? ac.id : ac.name},
                            {"capability", ac.capability.value}, {"stances", stances}});
    }
    return json{{"title", s.title}, {"as_of", s.as_of}, {"issues", issues}, {"actors", actors}};
  }

  json scenario_reply(const Scenario& s, const std::string& name) const {
    return json{{"name", name}, {"scenario", scenario_json(s)}, {"view", view_json(s)},
                {"missing_evidence", missing_json(s)}, {"warnings", json::parse(render_warnings(s.warnings, Format::json))}};
  }

  // 200 with a null scenario when none was given, so the UI's first call is never an error.
  Reply get_scenario() const {
    if (!initial) return json_reply(200, json{{"name", nullptr}, {"scenario", nullptr}});
    return json_reply(200, scenario_reply(*initial, initial_name));
  }

  // The handlers' work runs inside compute(), holding the State (a detached thread may outlive a
  // stopped server).
  Reply post_parse(json req) const {
    return json_reply(200, compute([self = shared_from_this(), req = std::move(req)](const std::atomic<bool>*) -> json {
      const Scenario s = self->scenario_of(req);
      return self->scenario_reply(s, string_member(req, "name"));
    }));
  }

  Reply post_validate(json req) const {
    return json_reply(200, compute([self = shared_from_this(), req = std::move(req)](const std::atomic<bool>*) -> json {
      try {
        const Scenario s = self->scenario_of(req);
        return json{{"valid", true}, {"diagnostics", json::array()}, {"missing_evidence", missing_json(s)}};
      } catch (const InputError& e) {
        return json{{"valid", false}, {"diagnostics", diagnostics_json(e)}};
      }
    }));
  }

  Reply post_yaml(json req) const {
    json text = compute([self = shared_from_this(), req = std::move(req)](const std::atomic<bool>*) -> json {
      return to_yaml(self->scenario_of(req));
    });
    return Reply{200, "application/yaml; charset=utf-8", text.get<std::string>()};
  }

  Reply post_report(json req) const {
    ReportRequest rr;
    rr.models = selection_of(req);  // cheap checks first
    // "draws" (0 .. max_draws, default 0 = point forecasts only) adds the Monte Carlo section.
    rr.draws = static_cast<std::uint64_t>(integer_member(req, "draws", 0, 0, options.max_draws));
    json wrapped = compute([self = shared_from_this(), rr, req = std::move(req)](const std::atomic<bool>* cancel) mutable -> json {
      rr.scenario = self->source_of(req);
      rr.models.cancel = cancel;
      return write_report(report(rr));
    });
    return Reply{200, "text/html; charset=utf-8", wrapped.get<std::string>()};
  }

  // The same document as `entente forecast --format json`, with the SVG charts when asked.
  Reply post_forecast(json req) const {
    ForecastRequest fr;
    fr.models = selection_of(req);  // cheap checks first
    RenderOptions ro;
    ro.charts = true;
    if (const json* c = member(req, "charts")) {
      if (!c->is_boolean()) throw Refusal{400, "'charts' must be true or false"};
      ro.charts = c->get<bool>();
    }
    bool with_scenario = false;
    if (const json* c = member(req, "return_scenario")) {
      if (!c->is_boolean()) throw Refusal{400, "'return_scenario' must be true or false"};
      with_scenario = c->get<bool>();
    }
    json body = compute([self = shared_from_this(), fr, ro, with_scenario, req = std::move(req)](
                            const std::atomic<bool>* cancel) mutable -> json {
      fr.scenario = self->source_of(req);
      fr.models.cancel = cancel;
      const ForecastResponse rsp = forecast(fr);
      std::string text = render(rsp, Format::json, ro);
      if (with_scenario) {  // the edited scenario in the native structure, to send back later
        json doc = json::parse(text, nullptr, false);
        doc["edited_scenario"] = scenario_json(rsp.scenario);
        return doc;
      }
      return json(std::move(text));
    });
    if (body.is_string()) return Reply{200, "application/json", body.get<std::string>()};
    return json_reply(200, body);
  }

  static std::int64_t integer_member(const json& req, const char* key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
    const json* v = member(req, key);
    if (!v) return fallback;
    if (!v->is_number_integer() || v->get<std::int64_t>() < lo || v->get<std::int64_t>() > hi)
      throw Refusal{400, fmt::format("'{}' must be an integer from {} to {}", key, lo, hi)};
    return v->get<std::int64_t>();
  }

  // The same document as `entente simulate --format json`: per model and issue the distribution
  // of the forecast over draws of the uncertain inputs (histogram, quantiles; categorical issues:
  // option shares); several models give {"simulations": [...]}.
  Reply post_simulate(const json& req) const {
    SimulateRequest sr;
    sr.models = selection_of(req);  // cheap checks first
    sr.draws = static_cast<std::uint64_t>(integer_member(req, "draws", std::min(500, options.max_draws), 1, options.max_draws));
    sr.bins = static_cast<int>(integer_member(req, "bins", 20, 1, 200));
    sr.threads = 1;  // one compute slot, one thread: the slots bound the server's CPU use
    json body = compute([self = shared_from_this(), sr, req](const std::atomic<bool>* cancel) mutable -> json {
      sr.scenario = self->source_of(req);  // parsing and edits inside the slot and the time limit
      sr.cancel = cancel;
      return render(simulate(sr), Format::json);
    });
    return Reply{200, "application/json", body.get<std::string>()};
  }

  // The same document as `entente sensitivity --format json`: per issue the inputs (and dropped
  // actors) that move one model's forecast most.
  Reply post_sensitivity(const json& req) const {
    SensitivityRequest sr;
    sr.models = selection_of(req);
    if (sr.models.models.size() != 1) throw Refusal{400, "'models' must name exactly one model for a sensitivity analysis"};
    sr.top = static_cast<std::size_t>(integer_member(req, "top", 10, 1, 1000));
    if (const json* d = member(req, "drop_actors")) {
      if (!d->is_boolean()) throw Refusal{400, "'drop_actors' must be true or false"};
      sr.drop_actors = d->get<bool>();
    }
    sr.threads = 1;
    json body = compute([self = shared_from_this(), sr, req](const std::atomic<bool>* cancel) mutable -> json {
      sr.scenario = self->source_of(req);
      sr.models.cancel = cancel;
      return render(sensitivity(sr), Format::json);
    });
    return Reply{200, "application/json", body.get<std::string>()};
  }

  // The same document as `entente deal --format json` (docs/models/deal.md). "models" is optional
  // here (none: the model-free analysis only); "draws" (0 .. max_draws) adds the Monte Carlo.
  Reply post_deal(const json& req) const {
    DealRequest dr;
    if (member(req, "models")) {
      dr.models = selection_of(req);  // cheap checks first
    } else {
      if (member(req, "params")) throw Refusal{400, "'params' needs 'models'"};
      if (member(req, "seed")) dr.models.seed = seed_of(req);
    }
    if (const json* d = member(req, "draws")) {
      if (!d->is_number_integer() || d->get<std::int64_t>() < 0 || d->get<std::int64_t>() > options.max_draws)
        throw Refusal{400, fmt::format("'draws' must be an integer from 0 to {}", options.max_draws)};
      dr.draws = static_cast<std::uint64_t>(d->get<std::int64_t>());
    }
    dr.threads = 1;  // concurrency comes from the compute slots
    json body = compute([self = shared_from_this(), dr, req](const std::atomic<bool>* cancel) mutable -> json {
      dr.scenario = self->source_of(req);  // parsing and edits inside the slot and the time limit
      dr.cancel = cancel;
      return json(render(deal(dr), Format::json));
    });
    return Reply{200, "application/json", body.get<std::string>()};
  }

  Reply static_file(const std::string& path) const {
    std::string rel = path == "/" ? "index.html" : path.substr(1);
    for (const auto& f : embedded_files()) {
      if (f.path != rel) continue;
      std::string type = "application/octet-stream";
      auto ends = [&](std::string_view ext) { return rel.size() >= ext.size() && rel.compare(rel.size() - ext.size(), ext.size(), ext) == 0; };
      if (ends(".html")) type = "text/html; charset=utf-8";
      else if (ends(".js")) type = "text/javascript; charset=utf-8";
      else if (ends(".css")) type = "text/css; charset=utf-8";
      else if (ends(".svg")) type = "image/svg+xml";
      return Reply{200, type, std::string(f.content)};
    }
    return json_reply(404, json{{"error", fmt::format("not found: {}", path)}});
  }

  Reply dispatch(const std::string& method, const std::string& path, const std::string& body) const {
    if (path.rfind("/api/", 0) != 0) {
      if (method != "GET" && method != "HEAD") return json_reply(405, json{{"error", "method not allowed"}});
      return static_file(path);
    }
    if (method == "GET" || method == "HEAD") {
      if (path == "/api/models") return get_models();
      if (path == "/api/scenario") return get_scenario();
      if (path == "/api/version") return json_reply(200, json{{"entente", version}});
      // The forecast ledger's timeline in the default run store (docs/ledger.md): points and an SVG chart per issue.
      if (path == "/api/ledger/timeline") return Reply{200, "application/json", render(ledger_timeline(LedgerRequest{}), Format::json)};
    } else if (method == "POST") {
      if (path == "/api/forecast") return post_forecast(parse_body(body, options.max_json_depth));
      if (path == "/api/parse") return post_parse(parse_body(body, options.max_json_depth));
      if (path == "/api/validate") return post_validate(parse_body(body, options.max_json_depth));
      if (path == "/api/yaml") return post_yaml(parse_body(body, options.max_json_depth));
      if (path == "/api/report") return post_report(parse_body(body, options.max_json_depth));
      if (path == "/api/simulate") return post_simulate(parse_body(body, options.max_json_depth));
      if (path == "/api/sensitivity") return post_sensitivity(parse_body(body, options.max_json_depth));
      if (path == "/api/deal") return post_deal(parse_body(body, options.max_json_depth));
    }
    for (const char* known : {"/api/models", "/api/scenario", "/api/version", "/api/forecast", "/api/parse",
                              "/api/validate", "/api/yaml", "/api/report", "/api/simulate", "/api/sensitivity",
                              "/api/ledger/timeline", "/api/deal"})
      if (path == known) return json_reply(405, json{{"error", fmt::format("method {} not allowed on {}", method, path)}});
    return json_reply(404, json{{"error", fmt::format("no such API endpoint: {}", path)}});
  }
};

Api::Api(Options options, std::optional<Scenario> initial, std::string initial_name)
    : state_(std::make_shared<State>()) {
  int slots = options.compute_slots > 0 ? options.compute_slots : static_cast<int>(std::thread::hardware_concurrency());
  state_->slots = std::make_shared<Slots>(std::max(1, slots));
  state_->options = std::move(options);
  state_->initial = std::move(initial);
  state_->initial_name = std::move(initial_name);
}
Api::~Api() = default;

Reply Api::handle(const std::string& method, const std::string& path, const std::string& body) const {
  try {
    return state_->dispatch(method, path, body);
  } catch (const Refusal& r) {
    return refusal_reply(r);
  } catch (const InputError& e) {
    std::string msg = e.diagnostics().empty() ? std::string("invalid input") : e.diagnostics().front().to_string();
    if (e.diagnostics().size() > 1) msg += fmt::format(" (and {} more)", e.diagnostics().size() - 1);
    return refusal_reply(Refusal{400, msg, diagnostics_json(e)});
  } catch (const json::exception& e) {
    return refusal_reply(Refusal{400, fmt::format("bad JSON value: {}", e.what())});
  } catch (const ResourceError& e) {
    return refusal_reply(Refusal{503, e.what()});
  } catch (const std::bad_alloc&) {
    return refusal_reply(Refusal{503, "out of memory"});
  } catch (const std::exception& e) {
    return refusal_reply(Refusal{500, fmt::format("internal error: {}", e.what())});
  } catch (...) {
    return refusal_reply(Refusal{500, "internal error"});
  }
}

}  // namespace entente::server

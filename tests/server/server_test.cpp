// The web server in-process on an ephemeral loopback port, hit with cpp-httplib's client.
#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "entente/edit.hpp"
#include "entente/model.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"
#include "entente/scenario.hpp"
#include "output/xlsx.hpp"
#include "server/server.hpp"

namespace entente {
namespace {

using json = nlohmann::json;

// A model that takes its time, to exercise the server's time limit (test binary only).
class SlowModel : public Model {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i = [] {
      ModelInfo m;
      m.name = "test-slow";
      m.title = "sleeps 600 ms, then forecasts nothing";
      return m;
    }();
    return i;
  }
  Result run(const Scenario& s, const Params&, std::uint64_t, const RunContext&) const override {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    Result r;
    r.forecasts.resize(s.issues.size());
    return r;
  }
};
ENTENTE_REGISTER_MODEL(SlowModel);

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string& talks_text() {
  static const std::string text = read_file(std::string(ENTENTE_TEST_DATA) + "/web/talks.yaml");
  return text;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override { stop(); }

  void start(server::Options o) {
    o.port = 0;
    o.threads = 8;
    if (o.max_body == (4u << 20)) o.max_body = 1u << 20;
    server_ = std::make_unique<server::Server>(o);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
  }
  void stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(20, 0);
    return c;
  }
  httplib::Result post(const std::string& path, const std::string& body) const {
    return client().Post(path.c_str(), body, "application/json");
  }
  static json forecast_request(const std::vector<std::string>& models, json edits = json::array()) {
    return json{{"text", talks_text()}, {"name", "talks.yaml"}, {"models", models}, {"edits", edits}};
  }

  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(ServerTest, ListsModels) {
  auto r = client().Get("/api/models");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const json j = json::parse(r->body);
  bool has_mean = false;
  for (const auto& m : j.at("models")) has_mean = has_mean || m.at("name") == "mean";
  EXPECT_TRUE(has_mean);
}

TEST_F(ServerTest, ServesTheEmbeddedUi) {
  auto r = client().Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(r->body.find("app.js"), std::string::npos);
  auto js = client().Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_NE(js->body.find("/api/forecast"), std::string::npos);
  auto missing = client().Get("/nope.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(ServerTest, ForecastMatchesTheLibrary) {
  auto r = post("/api/forecast", forecast_request({"compromise", "median"}).dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = json::parse(r->body);
  const Scenario s = parse_scenario(talks_text(), "talks.yaml");
  const Result comp = run_model(s, "compromise");
  const Result med = run_model(s, "median");
  EXPECT_EQ(j.at("issues").at(0).at("id"), "budget");
  EXPECT_DOUBLE_EQ(j["issues"][0]["forecasts"]["compromise"]["value"].get<double>(), comp.forecasts[0].value);
  EXPECT_DOUBLE_EQ(j["issues"][0]["forecasts"]["median"]["value"].get<double>(), med.forecasts[0].value);
  EXPECT_NE(j["issues"][0]["chart"].get<std::string>().find("<svg"), std::string::npos);
  // Hand check of the compromise (capability x salience weighted mean):
  // (80*.6*20 + 50*.9*70 + 30*.5*55) / (48 + 45 + 15) = (960 + 3150 + 825) / 108 = 45.6944...
  EXPECT_NEAR(j["issues"][0]["forecasts"]["compromise"]["value"].get<double>(), 4935.0 / 108.0, 1e-12);
}

TEST_F(ServerTest, EditsAreTheLibrarysWhatIfs) {
  const json edits = json::array({json{{"actor", "south"}, {"issue", "budget"}, {"field", "salience"}, {"value", 0.3}},
                                  json{{"drop", "east"}}});
  auto r = post("/api/forecast", forecast_request({"compromise"}, edits).dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = json::parse(r->body);
  Scenario s = parse_scenario(talks_text(), "talks.yaml");
  s = drop_actor(set_value(s, "south", "budget", "salience", 0.3), "east");
  EXPECT_DOUBLE_EQ(j["issues"][0]["forecasts"]["compromise"]["value"].get<double>(), run_model(s, "compromise").forecasts[0].value);
  // (80*.6*20 + 50*.3*70) / (48 + 15) = (960 + 1050) / 63
  EXPECT_NEAR(j["issues"][0]["forecasts"]["compromise"]["value"].get<double>(), 2010.0 / 63.0, 1e-12);
}

TEST_F(ServerTest, ParseThenForecastWithTheReturnedScenario) {
  auto p = post("/api/parse", json{{"text", talks_text()}, {"name", "talks.yaml"}}.dump());
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, 200) << p->body;
  const json parsed = json::parse(p->body);
  EXPECT_EQ(parsed["view"]["actors"].size(), 3u);
  EXPECT_DOUBLE_EQ(parsed["view"]["actors"][0]["stances"]["budget"]["salience"].get<double>(), 0.6);
  auto r = post("/api/forecast", json{{"scenario", parsed["scenario"]}, {"models", {"compromise"}}}.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NEAR(json::parse(r->body)["issues"][0]["forecasts"]["compromise"]["value"].get<double>(), 4935.0 / 108.0, 1e-12);
}

// Binary spreadsheets travel as base64 ("base64": true); their warnings and cell diagnostics come back.
std::string to_base64(const std::string& bytes) {
  static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned int acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += abc[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += abc[(acc << (6 - bits)) & 63];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

TEST_F(ServerTest, ParsesAnXlsxUploadSentAsBase64) {
  const std::string xlsx = write_xlsx({XlsxSheet{"Stances", {"Actor", "Issue", "Capability", "Position", "Salience"},
                                                 {{std::string("North"), std::string("Budget"), 80.0, 20.0, 0.6},
                                                  {std::string("South"), std::string("Budget"), 50.0, 70.0, 0.9},
                                                  {std::string("South"), std::string("Rail"), 50.0, 1.0, 0.2},
                                                  {std::string("North"), std::string("Rail"), 80.0, 3.0, 0.4}}}});
  auto p = post("/api/parse", json{{"text", to_base64(xlsx)}, {"base64", true}, {"name", "up.xlsx"}}.dump());
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, 200) << p->body;
  const json j = json::parse(p->body);
  EXPECT_EQ(j["view"]["actors"].size(), 2u);
  EXPECT_EQ(j["view"]["issues"].size(), 2u);
  ASSERT_EQ(j["warnings"].size(), 2u);  // both scales taken from the data
  EXPECT_EQ(j["warnings"][0]["sheet"], "Stances");
  // The forecast of the same upload goes through the same importer and carries the same warnings.
  auto f = post("/api/forecast", json{{"text", to_base64(xlsx)}, {"base64", true}, {"name", "up.xlsx"},
                                      {"models", {"compromise"}}, {"charts", false}}.dump());
  ASSERT_TRUE(f);
  ASSERT_EQ(f->status, 200) << f->body;
  const json fj = json::parse(f->body);
  ASSERT_EQ(fj["warnings"].size(), 2u);
  EXPECT_EQ(fj["warnings"][1]["sheet"], "Stances");
  // A bad cell: a 400 naming sheet, row and column.
  const std::string bad = write_xlsx({XlsxSheet{"Stances", {"Actor", "Issue", "Capability", "Position", "Salience"},
                                                {{std::string("North"), std::string("Budget"), 80.0, std::string("lots"), 0.6}}}});
  auto b = post("/api/parse", json{{"text", to_base64(bad)}, {"base64", true}, {"name", "up.xlsx"}}.dump());
  ASSERT_TRUE(b);
  EXPECT_EQ(b->status, 400);
  const json e = json::parse(b->body);
  EXPECT_EQ(e["diagnostics"][0]["sheet"], "Stances");
  EXPECT_EQ(e["diagnostics"][0]["line"], 2);
  EXPECT_EQ(e["diagnostics"][0]["column"], 4);
  EXPECT_NE(e["error"].get<std::string>().find("up.xlsx:Stances!D2"), std::string::npos) << e["error"];
  auto junk = post("/api/parse", json{{"text", "not base64!"}, {"base64", true}, {"name", "up.xlsx"}}.dump());
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->status, 400);
}

TEST_F(ServerTest, YamlOfTheEditedScenarioReadsBack) {
  const json edits = json::array({json{{"set", "north.budget.position=35"}}});
  auto r = post("/api/yaml", json{{"text", talks_text()}, {"name", "talks.yaml"}, {"edits", edits}}.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const Scenario back = parse_scenario(r->body, "edited.yaml");
  EXPECT_DOUBLE_EQ(back.stance(back.actor_index("north"), 0)->position.value, 35);
}

// POST /api/simulate is `entente simulate --format json`: the same issues for the same draws.
TEST_F(ServerTest, SimulateIsTheLibrarysDocument) {
  json req = forecast_request({"mean", "compromise"});
  req["draws"] = 60;
  req["seed"] = 4;
  auto r = post("/api/simulate", req.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = json::parse(r->body);
  SimulateRequest rq;
  rq.scenario.text = talks_text();
  rq.scenario.name = "talks.yaml";
  rq.models.models = {"mean", "compromise"};
  rq.models.seed = 4;
  rq.draws = 60;
  rq.bins = 20;
  const json lib = json::parse(render(simulate(rq), Format::json));
  ASSERT_EQ(j.at("simulations").size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) EXPECT_EQ(j["simulations"][k]["issues"], lib["simulations"][k]["issues"]);
  // Hand bound: the mean of the three positions, with East's triangular on [40, 70] and the others
  // fixed at 20 and 70, lies in [(20+70+40)/3, (20+70+70)/3] = [43.33, 53.33] in every draw.
  const json& q = j["simulations"][0]["issues"][0]["forecast"]["quantiles"];
  EXPECT_GE(q["5"].get<double>(), 130.0 / 3 - 1e-9);
  EXPECT_LE(q["95"].get<double>(), 160.0 / 3 + 1e-9);
  EXPECT_EQ(j["simulations"][0]["draws_completed"], 60);
  // Too many draws, or none: 400 naming the member.
  req["draws"] = 0;
  auto bad = post("/api/simulate", req.dump());
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("draws"), std::string::npos);
}

TEST_F(ServerTest, SensitivityIsTheLibrarysTopInputs) {
  json req = forecast_request({"compromise"});
  req["top"] = 2;
  auto r = post("/api/sensitivity", req.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = json::parse(r->body);
  SensitivityRequest rq;
  rq.scenario.text = talks_text();
  rq.scenario.name = "talks.yaml";
  rq.models.models = {"compromise"};
  rq.top = 2;
  const json lib = json::parse(render(sensitivity(rq), Format::json));
  EXPECT_EQ(j["issues"], lib["issues"]);
  for (const auto& is : j["issues"]) EXPECT_LE(is["ranking"].size(), 2u);
  auto two = post("/api/sensitivity", forecast_request({"compromise", "mean"}).dump());
  ASSERT_TRUE(two);
  EXPECT_EQ(two->status, 400);
}

// A categorical utility edited in the UI ("utility:OPTION") is the library's set_value.
TEST_F(ServerTest, UtilityEditsAreWhatIfs) {
  const json edits = json::array({json{{"actor", "north"}, {"issue", "venue"}, {"field", "utility:Vienna"}, {"value", 0.9}}});
  auto r = post("/api/forecast", forecast_request({"smp"}, edits).dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = json::parse(r->body);
  const Scenario s = set_value(parse_scenario(talks_text(), "talks.yaml"), "north", "venue", "utility:Vienna", 0.9);
  const Result lib = run_model(s, "smp");
  EXPECT_DOUBLE_EQ(j["issues"][1]["forecasts"]["smp"]["option_probabilities"]["Vienna"].get<double>(),
                   lib.forecasts[1].option_probabilities[1]);
  // The view lists the file's utilities of a categorical stance (talks.yaml: North Geneva 1, Vienna 0.2).
  auto p = post("/api/parse", json{{"text", talks_text()}, {"name", "talks.yaml"}}.dump());
  ASSERT_TRUE(p);
  const json view = json::parse(p->body)["view"];
  EXPECT_DOUBLE_EQ(view["actors"][0]["stances"]["venue"]["utilities"]["Geneva"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(view["actors"][0]["stances"]["venue"]["utilities"]["Vienna"].get<double>(), 0.2);
  const json bad = json::array({json{{"actor", "north"}, {"issue", "venue"}, {"field", "utility:Paris"}, {"value", 0.5}}});
  auto e = post("/api/forecast", forecast_request({"smp"}, bad).dump());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status, 400);
  EXPECT_NE(e->body.find("utility:Paris"), std::string::npos);
}

TEST_F(ServerTest, ValidateReportsProblemsAsData) {
  std::string bad = talks_text();
  bad.replace(bad.find("position: 70"), 12, "position: 170");
  auto r = post("/api/validate", json{{"text", bad}, {"name", "bad.yaml"}}.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const json j = json::parse(r->body);
  EXPECT_FALSE(j["valid"].get<bool>());
  ASSERT_FALSE(j["diagnostics"].empty());
  EXPECT_GT(j["diagnostics"][0]["line"].get<int>(), 0);
  auto ok = post("/api/validate", json{{"text", talks_text()}, {"name", "talks.yaml"}}.dump());
  ASSERT_TRUE(ok);
  EXPECT_TRUE(json::parse(ok->body)["valid"].get<bool>());
}

TEST_F(ServerTest, ReportEndpointReturnsHtml) {
  auto r = post("/api/report", forecast_request({"compromise"}).dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body.rfind("<!DOCTYPE html>", 0), 0u);
}

// The UI's "Report" sends its draws box: the report then has the Monte Carlo section, as
// `entente report --draws N` (it had none from the server before).
TEST_F(ServerTest, ReportEndpointTakesDraws) {
  json req = forecast_request({"compromise"});
  auto none = post("/api/report", req.dump());
  req["draws"] = 50;
  auto some = post("/api/report", req.dump());
  ASSERT_TRUE(none && some);
  ASSERT_EQ(some->status, 200) << some->body;
  const std::string marker = "Simulation was not asked for";  // the report's note without draws
  EXPECT_NE(none->body.find(marker), std::string::npos);
  EXPECT_EQ(some->body.find(marker), std::string::npos);
  EXPECT_NE(some->body.find("<h3>Distribution of the forecast (simulation)</h3>\n<h4>compromise</h4>"), std::string::npos);
  req["draws"] = 100000;
  auto too_many = post("/api/report", req.dump());
  ASSERT_TRUE(too_many);
  EXPECT_EQ(too_many->status, 400);
}

// ---- Bad requests -------------------------------------------------------------------------------

void expect_error(const httplib::Result& r, int status, const std::string& fragment = {}) {
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, status) << r->body;
  const json j = json::parse(r->body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r->body;
  ASSERT_TRUE(j.contains("error")) << r->body;
  if (!fragment.empty()) {
    EXPECT_NE(j["error"].get<std::string>().find(fragment), std::string::npos) << j["error"];
  }
}

TEST_F(ServerTest, MalformedJsonIs400) {
  expect_error(post("/api/forecast", "{\"models\": [\"mean\""), 400, "malformed JSON");
  expect_error(post("/api/forecast", ""), 400);
  expect_error(post("/api/forecast", "[1,2,3]"), 400, "JSON object");
  expect_error(post("/api/forecast", "\xff\xfe\x00garbage"), 400);
  expect_error(post("/api/forecast", json{{"models", "mean"}}.dump()), 400, "models");
  expect_error(post("/api/forecast", json{{"models", {"mean"}}}.dump()), 400, "scenario");
  expect_error(post("/api/forecast", json{{"models", {"mean"}}, {"scenario", 3}}.dump()), 400);
  expect_error(post("/api/forecast", json{{"models", {"mean"}}, {"text", "title: [unclosed"}}.dump()), 400);
}

TEST_F(ServerTest, UnknownModelIs400ListingTheModels) {
  expect_error(post("/api/forecast", forecast_request({"no-such-model"}).dump()), 400, "mean");
  expect_error(post("/api/forecast", forecast_request({}).dump()), 400, "empty");
  std::vector<std::string> many(50, "mean");
  expect_error(post("/api/forecast", forecast_request(many).dump()), 400, "too many models");
}

TEST_F(ServerTest, HugeAndNonFiniteNumbersAre400) {
  // 1e400 overflows a double: JSON allows it, the engine must refuse it, not propagate inf.
  json req = forecast_request({"mean"});
  std::string body = req.dump();
  body.insert(body.size() - 1, R"(,"edits":[{"actor":"south","issue":"budget","field":"position","value":1e400}])");
  // the duplicate "edits" key: nlohmann keeps the last one
  expect_error(post("/api/forecast", body), 400);
  expect_error(post("/api/forecast",
                    forecast_request({"mean"}, json::array({json{{"actor", "south"}, {"issue", "budget"},
                                                                  {"field", "position"}, {"value", 1e300}}}))
                        .dump()),
               400);
  expect_error(post("/api/forecast", forecast_request({"mean"}, json::array({json{{"actor", "south"}, {"issue", "budget"},
                                                                                      {"field", "salience"}, {"value", "x"}}}))
                                         .dump()),
               400);
  json seeded = forecast_request({"mean"});
  seeded["seed"] = 1e30;
  expect_error(post("/api/forecast", seeded.dump()), 400, "seed");
  seeded["seed"] = -1;
  expect_error(post("/api/forecast", seeded.dump()), 400, "seed");
  std::string big_int = forecast_request({"mean"}).dump();
  big_int.insert(big_int.size() - 1, R"(,"seed":123456789012345678901234567890)");
  expect_error(post("/api/forecast", big_int), 400, "seed");
  expect_error(post("/api/forecast", forecast_request({"mean"}, json::array({json{{"drop", "nobody"}}})).dump()), 400,
               "nobody");
}

TEST_F(ServerTest, OversizedBodyIs413) {
  std::string body = R"({"text": ")" + std::string(1100000, 'a') + R"("})";
  auto r = post("/api/forecast", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  // The server is still fine afterwards.
  auto ok = client().Get("/api/models");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, UnknownRoutesAndMethods) {
  expect_error(client().Get("/api/nothing"), 404);
  expect_error(client().Get("/api/forecast"), 405);
  expect_error(client().Delete("/api/forecast"), 405);
}

TEST_F(ServerTest, ForeignHostHeaderIsRefused) {
  httplib::Headers h{{"Host", "evil.example:80"}};
  auto r = client().Get("/api/models", h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
}

TEST_F(ServerTest, RawGarbageOnTheSocketDoesNotHurt) {
  // A request line that is not HTTP, then a request cut in the middle.
  for (const char* raw : {"NOT HTTP AT ALL\r\n\r\n", "POST /api/forecast HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"a\":"}) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_GT(::send(fd, raw, std::strlen(raw), 0), 0);
    ::shutdown(fd, SHUT_WR);
    char buf[512];
    while (::recv(fd, buf, sizeof buf, 0) > 0) {
    }
    ::close(fd);
  }
  auto ok = client().Get("/api/models");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, ConcurrentClientsAllSucceed) {
  const std::string body = forecast_request({"compromise", "median", "nbs"}).dump();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int k = 0; k < 5; ++k) {
        auto r = post("/api/forecast", body);
        if (r && r->status == 200) ++ok;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
}

TEST(ServerTimeout, SlowComputationGets503AndTheServerRecovers) {
  server::Options o;
  o.port = 0;
  o.threads = 4;
  o.timeout_seconds = 0.1;
  o.compute_slots = 1;
  server::Server srv(o);
  const int port = srv.bind();
  std::thread t([&] { srv.run(); });
  httplib::Client c("127.0.0.1", port);
  const json req{{"text", talks_text()}, {"name", "talks.yaml"}, {"models", {"test-slow"}}};
  auto r = c.Post("/api/forecast", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  // The slow work still holds the only slot for a while; once it ends, requests are served again.
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  const json fast{{"text", talks_text()}, {"name", "talks.yaml"}, {"models", {"mean"}}};
  auto r2 = c.Post("/api/forecast", fast.dump(), "application/json");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 200) << r2->body;
  srv.stop();
  t.join();
}

TEST(ServerApi, HandleNeverThrows) {
  server::Api api(server::Options{});
  for (const char* body : {"", "{", "null", "{\"text\": 5, \"models\": [\"mean\"]}", "{\"models\": [1]}"}) {
    const auto r = api.handle("POST", "/api/forecast", body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
  }
  EXPECT_EQ(api.handle("GET", "/api/scenario", "").status, 200);
}

}  // namespace
}  // namespace entente

#include "restbox/mock/landing.hpp"

#include <functional>
#include <optional>
#include <string_view>

#include "restbox/core/url.hpp"

namespace restbox::mock {
namespace {

using core::Json;

// A shell word: kept as it is when nothing in it means anything to a shell, else single-quoted.
std::string ShellWord(std::string_view word) {
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_-./:@%+=,").find(c) != std::string_view::npos;
  };
  bool quote = word.empty();
  for (char c : word) quote = quote || !plain(c);
  if (!quote) return std::string(word);
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A fixture member that must be a non-empty string; nullopt when the service does not have it.
std::optional<std::string> Text(const Json& fixtures, const char* name) {
  auto it = fixtures.find(name);
  if (it == fixtures.end() || !it->is_string() || it->get<std::string>().empty())
    return std::nullopt;
  return it->get<std::string>();
}

// "curl -s [-X METHOD] [-H header]... [-d body] URL"
std::string Curl(const std::string& method, const std::vector<std::string>& headers,
                 const std::string& body, const std::string& url) {
  std::string line = "curl -s";
  if (method != "GET") line += " -X " + method;
  for (const auto& h : headers) line += " -H " + ShellWord(h);
  if (!body.empty()) line += " -d " + ShellWord(body);
  return line + " " + ShellWord(url);
}

using Builder =
    std::function<std::optional<ExampleCall>(const Json& fixtures, const std::string& base)>;

// Per API, the simplest read that succeeds on a fresh mock with its demo credentials. Each
// knows its API's auth (a bearer key, a token in the body, a key and a secret) and which fixture
// names its demo record.
const std::vector<std::pair<std::string, Builder>>& Builders() {
  static const std::vector<std::pair<std::string, Builder>> kBuilders = {
      {"chikage",
       [](const Json& f, const std::string& base) -> std::optional<ExampleCall> {
         auto key = Text(f, "test_key");
         auto slug = Text(f, "slug");
         auto record = Text(f, "test_record_id");
         if (!key || !slug || !record) return std::nullopt;
         return ExampleCall{"chikage",
                            Curl("GET", {"Authorization: Bearer " + *key}, "",
                                 base + "/api/v1/data/" + core::EncodePathSegment(*slug) + "/" +
                                     core::EncodePathSegment(*record)),
                            "200 {\"success\":true,\"id\":\"" + *record + "\",\"data\":{...}}"};
       }},
      {"wncms",
       [](const Json& f, const std::string& base) -> std::optional<ExampleCall> {
         auto token = Text(f, "api_token");
         if (!token) return std::nullopt;
         return ExampleCall{
             "wncms",
             Curl("POST", {"Content-Type: application/json"},
                  core::DumpJson(Json{{"api_token", *token}}), base + "/api/v1/posts/index"),
             "200 {\"code\":200,\"status\":\"success\","
             "\"data\":{\"data\":[...],\"pagination\":{...}}}"};
       }},
      {"inventory",
       [](const Json& f, const std::string& base) -> std::optional<ExampleCall> {
         auto key = Text(f, "api_key");
         if (!key) return std::nullopt;
         return ExampleCall{
             "inventory", Curl("GET", {"Authorization: Bearer " + *key}, "", base + "/apiV1/items"),
             "200 {\"success\":true,\"data\":...}"};
       }},
      {"market",
       [](const Json& f, const std::string& base) -> std::optional<ExampleCall> {
         auto key = Text(f, "consumer_key");
         auto project = Text(f, "project");
         auto slug = Text(f, "slug");
         auto params = f.find("params");
         if (!key || !project || !slug || params == f.end() || !params->is_object())
           return std::nullopt;
         // The demo endpoint has no Json Schema, so it is also served as GET with its params in the
         // query: no body to quote.
         std::string query;
         for (auto it = params->begin(); it != params->end(); ++it) {
           std::string value = it->is_string() ? it->get<std::string>() : it->dump();
           query += (query.empty() ? "?" : "&") + core::EncodeQueryComponent(it.key()) + "=" +
                    core::EncodeQueryComponent(value);
         }
         return ExampleCall{"market",
                            Curl("GET", {"Authorization: Bearer " + *key}, "",
                                 base + "/market/" + core::EncodePathSegment(*project) + "/" +
                                     core::EncodePathSegment(*slug) + query),
                            "200 {\"code\":0,\"result\":{...},\"msg\":...}"};
       }},
      {"findhelper",
       [](const Json& f, const std::string& base) -> std::optional<ExampleCall> {
         auto key = Text(f, "api_key");
         auto secret = Text(f, "api_secret");
         if (!key || !secret) return std::nullopt;
         return ExampleCall{"findhelper",
                            Curl("GET", {"X-API-Key: " + *key, "X-API-Secret: " + *secret}, "",
                                 base + "/api/jobs"),
                            "200 {\"success\":true,\"data\":[...]}"};
       }},
  };
  return kBuilders;
}

}  // namespace

std::string ServiceBasePath(const core::ServiceSpec& spec) {
  std::string prefix;
  bool first = true;
  for (const auto& ep : spec.endpoints) {
    std::string literal = ep.path.substr(0, ep.path.find('{'));
    if (first) prefix = literal;
    first = false;
    std::size_t n = 0;
    while (n < prefix.size() && n < literal.size() && prefix[n] == literal[n]) ++n;
    prefix.resize(n);
  }
  while (!prefix.empty() && prefix.back() != '/') prefix.pop_back();
  if (prefix.size() > 1) prefix.pop_back();
  return prefix.empty() ? "/" : prefix;
}

std::vector<ExampleCall> ExampleCalls(MockServer& server, const std::string& base_url) {
  const Json fixtures = server.Fixtures();
  std::vector<ExampleCall> out;
  for (const auto& id : server.ServiceIds()) {
    for (const auto& [service, build] : Builders()) {
      if (service != id || !fixtures.contains(id)) continue;
      if (auto call = build(fixtures[id], base_url)) out.push_back(std::move(*call));
    }
  }
  return out;
}

Json LandingDocument(MockServer& server, const std::string& base_url) {
  const auto examples = ExampleCalls(server, base_url);
  Json services = Json::array();
  Json openapi = Json::object();
  for (const auto& id : server.ServiceIds()) {
    const ServiceModule* module = server.FindService(id);
    if (!module) continue;
    const auto& spec = module->Spec();
    const std::string base_path = ServiceBasePath(spec);
    const std::string doc = base_url + "/__restbox/openapi/" + id + ".json";
    openapi[id] = doc;
    Json service = {{"id", id},
                    {"title", spec.title},
                    {"base_path", base_path},
                    {"base_url", base_url + (base_path == "/" ? "" : base_path)},
                    {"endpoints", spec.endpoints.size()},
                    {"openapi", doc}};
    for (const auto& e : examples) {
      if (e.service == id) service["try"] = {{"curl", e.curl}, {"answers", e.answer}};
    }
    services.push_back(std::move(service));
  }
  return {
      {"restbox_mock", "the mocked APIs are served here; this process serves no console"},
      {"services", std::move(services)},
      {"fixtures", base_url + "/__restbox/fixtures"},
      {"fixtures_note", "the demo keys, ids and slugs of every API"},
      {"health", base_url + "/__restbox/health"},
      {"openapi", std::move(openapi)},
      {"admin", base_url + "/__restbox/ (settings, faults, clock, journal, state, config, limits)"},
      {"console",
       {{"how",
         "run ./run.sh (builds the wasm console and serves it beside the APIs), or start "
         "restbox-mock --static build/wasm/web after building the wasm preset, then open /"},
        {"run_sh", "./run.sh"},
        {"command", "restbox-mock --static build/wasm/web"}}}};
}

}  // namespace restbox::mock

// Bad input to the mock (any bytes as body, any header values, any path, any method) gets a
// documented answer and never crashes. A seeded PRNG makes the randomized run deterministic: a
// failure reproduces with the same seed and iteration number, printed in the message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "restbox/mock/all.hpp"
#include "restbox/services/registry.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using core::Method;

constexpr std::uint64_t kSeed = 20260101;
// Natively 20,000 random requests (about 12 s at -O1). Instrumented builds and node run 4,000 of
// the same sequence: there the point is the memory and race checks on the same paths
// (ThreadSanitizer made the full run take 272 s, ASan 61 s), and 4,000 still reach every status of
// the histogram well past the thresholds checked at the end.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(__EMSCRIPTEN__)
#define RESTBOX_ROBUSTNESS_SHORT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RESTBOX_ROBUSTNESS_SHORT 1
#endif
#endif
#ifdef RESTBOX_ROBUSTNESS_SHORT
constexpr int kIterations = 4'000;
#else
constexpr int kIterations = 20'000;
#endif

// Statuses any matched endpoint may answer besides its documented ones: the generic refusals of
// malformed requests (Prefer, routing, size, media type).
const std::set<int> kGenericErrors = {400, 404, 405, 413, 415};
const std::set<int> kNoRouteStatuses = {400, 404, 405};
const std::set<int> kAdminStatuses = {200, 201, 400, 404, 405};

std::string Printable(std::string_view s, std::size_t max = 160) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < s.size() && out.size() < max; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  if (s.size() > max) out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

// Every string found in the fixtures: keys, slugs, ids. Requests built from them get past
// authentication often enough to reach the handlers' deeper checks.
void CollectStrings(const Json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_object() || j.is_array()) {
    for (const auto& v : j) CollectStrings(v, out);
  } else if (j.is_number_integer()) {
    out.push_back(j.dump());
  }
}

class RequestFuzzer {
 public:
  RequestFuzzer(std::uint64_t seed, const Json& fixtures) : rng_(seed) {
    CollectStrings(fixtures, known_);
    if (known_.empty()) known_.push_back("x");
    for (const core::ServiceSpec* spec : services::AllSpecs()) {
      for (const auto& ep : spec->endpoints) endpoints_.push_back(&ep);
    }
  }

  core::HttpRequest Next() {
    core::HttpRequest r;
    const core::EndpointSpec* ep =
        endpoints_.empty() ? nullptr : endpoints_[Below(endpoints_.size())];
    // Mostly the endpoint's own method, so that many requests get past routing.
    r.method = ep && Chance(60) ? ep->method : kMethods[Below(kMethods.size())];
    r.url = Url(ep);
    r.headers = HeadersFor(ep);
    r.body = Body(ep);
    return r;
  }

 private:
  static constexpr std::array<Method, 7> kMethods{Method::kGet,    Method::kPost,  Method::kPut,
                                                  Method::kDelete, Method::kPatch, Method::kHead,
                                                  Method::kOptions};

  std::size_t Below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }
  bool Chance(int percent) { return Below(100) < static_cast<std::size_t>(percent); }
  const std::string& Known() { return known_[Below(known_.size())]; }

  std::string Bytes(std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng_() & 0xFF);
    return s;
  }

  // Text that looks almost right: unicode, invalid UTF-8, NULs, percent garbage, known values.
  std::string Text() {
    static const std::vector<std::string> kPieces = {"a",
                                                     "Z",
                                                     "0",
                                                     "-",
                                                     "_",
                                                     ".",
                                                     "..",
                                                     "/",
                                                     "%",
                                                     "%z",
                                                     "%zz",
                                                     "%00",
                                                     "%2F",
                                                     "%2e%2e",
                                                     "%ff",
                                                     "%E5%8F",
                                                     "%%",
                                                     "台北",
                                                     "😀",
                                                     "\xff",
                                                     "\xc0\xaf",
                                                     "\xe5\x8f",
                                                     std::string(1, '\0'),
                                                     " ",
                                                     "\t",
                                                     "\r\n",
                                                     "?",
                                                     "#",
                                                     "&",
                                                     "=",
                                                     "{",
                                                     "}",
                                                     "\"",
                                                     "\\",
                                                     "'",
                                                     "<script>",
                                                     "rec_",
                                                     "tm_test_",
                                                     "tm_live_",
                                                     "inv_",
                                                     "-1",
                                                     "99999999999999999999",
                                                     "1e309",
                                                     "null",
                                                     "true"};
    std::string out;
    std::size_t n = 1 + Below(8);
    for (std::size_t i = 0; i < n; ++i) {
      if (Chance(15))
        out += Known();
      else
        out += kPieces[Below(kPieces.size())];
    }
    return out;
  }

  std::string FillTemplate(const std::string& tmpl) {
    std::string out;
    for (std::size_t i = 0; i < tmpl.size();) {
      if (tmpl[i] == '{') {
        auto close = tmpl.find('}', i);
        if (close != std::string::npos) {
          switch (Below(5)) {
            case 0:
              out += Text();
              break;
            case 1:
              out += core::EncodePathSegment(Text());
              break;
            case 2:
              out += "";
              break;
            default:
              out += core::EncodePathSegment(Known());
              break;
          }
          i = close + 1;
          continue;
        }
      }
      out.push_back(tmpl[i++]);
    }
    return out;
  }

  std::string Path(const core::EndpointSpec* ep) {
    static const std::vector<std::string> kAdmin = {"health",
                                                    "fixtures",
                                                    "settings/chikage",
                                                    "settings/nope",
                                                    "faults",
                                                    "faults/1",
                                                    "faults/x",
                                                    "clock",
                                                    "clock/advance",
                                                    "journal",
                                                    "journal?limit=-1",
                                                    "state",
                                                    "openapi/chikage.json",
                                                    "openapi/x.json",
                                                    "nothing",
                                                    ""};
    switch (Below(20)) {
      case 0: {  // random segments, dot segments and empty ones
        std::string p;
        std::size_t n = Below(12);
        for (std::size_t i = 0; i < n; ++i) p += "/" + Text();
        return p.empty() ? "/" : p;
      }
      case 1:  // very long
        return "/" + std::string(1000 + Below(100'000), static_cast<char>('a' + Below(26)));
      case 2:
        return "/" + Text() + "//" + Text() + "/../" + Text();
      case 3:  // the admin API (answers before any service route)
        return "/__restbox/" + kAdmin[Below(kAdmin.size())];
      default: {
        std::string p = ep ? FillTemplate(ep->path) : "/";
        if (Chance(5)) p += "/";
        if (Chance(3)) p = "/" + p;
        return p;
      }
    }
  }

  std::string Url(const core::EndpointSpec* ep) {
    std::string url;
    switch (Below(20)) {
      case 0:
        url = Path(ep);
        break;
      case 1:
        url = "https://[::1]:8443" + Path(ep);
        break;
      case 2:
        url = Text() + Path(ep);
        break;  // garbage before the path
      case 3:
        url = "http://h:" + std::to_string(Below(100'000)) + Path(ep);
        break;
      case 4:
        url = Bytes(Below(64));
        break;
      default:
        url = "http://mock" + Path(ep);
        break;
    }
    if (Chance(40)) {
      url += "?";
      std::size_t n = 1 + Below(4);
      for (std::size_t i = 0; i < n; ++i) {
        if (i) url += Chance(90) ? "&" : "&&";
        url += Chance(50) ? Text() : std::string("page");
        if (Chance(80))
          url += "=" +
                 (Chance(50) ? Text() : std::to_string(static_cast<long long>(rng_() % 200) - 50));
      }
    }
    if (Chance(3)) url += "#" + Text();
    return url;
  }

  std::string PreferValue(const core::EndpointSpec* ep) {
    switch (Below(6)) {
      case 0:
        return "code=" + std::to_string(static_cast<int>(Below(700)) - 50);
      case 1:
        return "code=" + Text();
      case 2:
        return Text();
      case 3:
        return "respond-async, code=" + std::to_string(400 + Below(200));
      default:
        if (ep && !ep->errors.empty()) {
          const auto& e = ep->errors[Below(ep->errors.size())];
          return "code=" + (Chance(30) && !e.code.empty() ? e.code : std::to_string(e.status));
        }
        return "code=503";
    }
  }

  core::Headers HeadersFor(const core::EndpointSpec* ep) {
    core::Headers h;
    switch (Below(10)) {
      case 0:
        break;
      case 1:
        h.Set("Authorization", Bytes(Below(40)));
        break;
      case 2:
        h.Set("Authorization", "Bearer " + Text());
        break;
      case 3:
        h.Set("authorization", "bearer " + Known());
        break;
      default:
        h.Set("Authorization", "Bearer " + Known());
        break;
    }
    if (Chance(30)) h.Set("X-API-Key", Chance(80) ? Known() : Text());
    if (Chance(30)) h.Set("X-API-Secret", Chance(80) ? Known() : Text());
    switch (Below(8)) {
      case 0:
        break;
      case 1:
        h.Set("Content-Type", Text());
        break;
      case 2:
        h.Set("Content-Type", "text/plain");
        break;
      case 3:
        h.Set("Content-Type", "application/json; charset=utf-8");
        break;
      case 4:
        h.Set("Content-Type", "APPLICATION/JSON ;");
        break;
      default:
        h.Set("Content-Type", "application/json");
        break;
    }
    if (Chance(20)) h.Set("Prefer", PreferValue(ep));
    if (Chance(10)) h.Add("Prefer", PreferValue(ep));
    if (Chance(15))
      h.Set("X-Webhook-Callback", Chance(50) ? "http://hooks.test/" + Text() : Text());
    if (Chance(10)) h.Set("X-Webhook-Auth", Text());
    if (Chance(10)) h.Set("X-Webhook-Auth-Header", Chance(50) ? Text() : std::string());
    if (Chance(10)) h.Set("X-Request-Id", Bytes(Below(30)));
    std::size_t extra = Below(4);
    for (std::size_t i = 0; i < extra; ++i)
      h.Add(Chance(50) ? Text() : Bytes(Below(20)), Bytes(Below(200)));
    return h;
  }

  Json RandomValue(int depth) {
    switch (Below(depth > 3 ? 6 : 8)) {
      case 0:
        return nullptr;
      case 1:
        return Chance(50);
      case 2:
        return static_cast<std::int64_t>(rng_()) >> Below(64);
      case 3:
        return static_cast<double>(static_cast<std::int64_t>(rng_() % 2'000'001) - 1'000'000) / 7.0;
      case 4:
        return Chance(50) ? Known() : Text();
      case 5:
        return std::string(Below(300), 'x');
      case 6: {
        Json a = Json::array();
        std::size_t n = Below(5);
        for (std::size_t i = 0; i < n; ++i) a.push_back(RandomValue(depth + 1));
        return a;
      }
      default: {
        Json o = Json::object();
        std::size_t n = Below(5);
        for (std::size_t i = 0; i < n; ++i)
          o[Chance(60) ? Known() : Text()] = RandomValue(depth + 1);
        return o;
      }
    }
  }

  // A plausible body for the endpoint with random members swapped, removed or retyped.
  Json PlausibleBody(const core::EndpointSpec* ep) {
    Json body = Json::object();
    if (ep && !ep->example_request.empty()) {
      auto parsed = core::ParseJson(ep->example_request);
      if (parsed.ok() && parsed->is_object()) body = *parsed;
    }
    if (ep) {
      for (const auto& f : ep->fields) {
        if (f.in != core::FieldIn::kBody) continue;
        if (Chance(30))
          body[f.name] = RandomValue(1);
        else if (Chance(10))
          body.erase(f.name);
      }
    }
    if (Chance(30)) body["api_token"] = Known();
    if (Chance(20)) body[Text()] = RandomValue(0);
    return body;
  }

  std::string Body(const core::EndpointSpec* ep) {
    switch (Below(40)) {
      case 0:
        return Bytes(Below(4096));
      case 1:
        return Bytes(Below(64)) + std::string(1, '\0') + Bytes(Below(64));
      case 2:
        return std::string(200 * 1024 + Below(1000), static_cast<char>('a' + Below(26)));
      case 3:
        return core::DumpJson(Json{{"order_id", "x"}, {"pad", std::string(200 * 1024, 'p')}});
      case 4:
        return std::string(100'000, '[');
      // Deep but under chikage's 100 KB, so the parser (not the size check) has to refuse them.
      case 5:
        return std::string(50'000, '[') + std::string(50'000, ']');
      case 6: {
        std::string deep = R"({"order_id":"ORD-1","extra":)";
        deep += std::string(50'000, '[') + std::string(50'000, ']') + "}";
        return deep;
      }
      case 7: {
        std::string deep;
        for (int i = 0; i < 20'000; ++i) deep += R"({"a":)";
        deep += "1";
        for (int i = 0; i < 20'000; ++i) deep += "}";
        return deep;
      }
      case 8:
        return "{\"order_id\":\"\xff\xfe\"}";
      case 9:
        return R"({"order_id":"\ud800"})";
      case 10:
        return Text();
      case 11: {  // truncated JSON
        std::string s = core::DumpJson(PlausibleBody(ep));
        return s.substr(0, Below(s.size() + 1));
      }
      case 12: {  // one corrupted byte
        std::string s = core::DumpJson(PlausibleBody(ep));
        if (!s.empty()) s[Below(s.size())] = static_cast<char>(rng_() & 0xFF);
        return s;
      }
      case 13:
        return core::DumpJson(RandomValue(0));
      case 14:
        return "[]";
      case 15:
        return "null";
      case 16:
      case 17:
      case 18:
      case 19:
      case 20:
      case 21:
      case 22:
      case 23:
      case 24:
      case 25:
        return "";
      default:
        return core::DumpJson(PlausibleBody(ep));
    }
  }

  std::mt19937_64 rng_;
  std::vector<std::string> known_;
  std::vector<const core::EndpointSpec*> endpoints_;
};

struct Failure {
  int iteration = 0;
  std::string what;
};

std::string Describe(const core::HttpRequest& r, const MockOutcome& out) {
  std::string d = std::string(core::ToString(r.method)) + " " + Printable(r.url) + "\n  headers:";
  for (const auto& [n, v] : r.headers) d += " [" + Printable(n, 40) + ": " + Printable(v, 60) + "]";
  d += "\n  body: " + Printable(r.body, 120);
  d += "\n  -> " + std::to_string(out.response.status) + (out.drop ? " (drop)" : "") + " " +
       Printable(out.response.body, 300);
  return d;
}

TEST(MockRobustness, RandomRequestsGetDocumentedAnswersAndNeverCrash) {
  auto clock = std::make_shared<core::ManualClock>();
  MockOptions options;
  options.clock = clock;
  auto server = MakeMockServer(options);
  RequestFuzzer fuzzer(kSeed, server->Fixtures());
  std::vector<Failure> failures;
  std::map<int, int> histogram;
  auto fail = [&](int i, std::string what) {
    if (failures.size() < 25) failures.push_back({i, std::move(what)});
  };

  for (int i = 0; i < kIterations; ++i) {
    if (i % 997 == 0) server->AdvanceClock(std::chrono::seconds(i % 7 * 13));
    core::HttpRequest request = fuzzer.Next();
    const auto before = server->Journal(1);
    const std::uint64_t seq_before = before.empty() ? 0 : before[0].seq;
    MockOutcome out;
    try {
      out = server->Process(request);
    } catch (const std::exception& e) {
      fail(i, std::string("Process threw: ") + e.what() + "\n  " + Describe(request, out));
      continue;
    } catch (...) {
      fail(i, "Process threw a non-std exception\n  " + Describe(request, out));
      continue;
    }
    const int status = out.response.status;
    ++histogram[status];
    const auto after = server->Journal(1);
    const bool journaled = !after.empty() && after[0].seq != seq_before;
    if (!out.response.body.empty() && !core::ParseJson(out.response.body).ok()) {
      fail(i, "answer is not JSON\n  " + Describe(request, out));
    }
    if (!out.response.headers.Has("X-Request-Id") && journaled) {
      fail(i, "no X-Request-Id\n  " + Describe(request, out));
    }
    if (!journaled) {
      // Admin API requests are not journaled; they have their own small set of answers. A random
      // body may have installed a fault rule: remove it so it cannot mask later requests.
      if (!kAdminStatuses.count(status))
        fail(i, "admin answer outside its set\n  " + Describe(request, out));
      server->ClearFaults();
      continue;
    }
    const JournalEntry& entry = after[0];
    if (entry.status != (out.drop ? 0 : status))
      fail(i, "journal status differs\n  " + Describe(request, out));
    if (out.drop && entry.fault != "drop")
      fail(i, "dropped without a drop rule\n  " + Describe(request, out));
    if (entry.endpoint.empty()) {
      if (!kNoRouteStatuses.count(status))
        fail(i, "unrouted answer outside 400/404/405\n  " + Describe(request, out));
      continue;
    }
    const core::ServiceSpec* spec = services::FindSpec(entry.service);
    const core::EndpointSpec* ep = spec ? spec->Find(entry.endpoint) : nullptr;
    if (!ep) {
      fail(i, "journal names an unknown endpoint " + entry.service + "." + entry.endpoint);
      continue;
    }
    if (!ep->Documents(status) && !kGenericErrors.count(status)) {
      fail(i, "status " + std::to_string(status) + " is not documented for " + entry.service + "." +
                  entry.endpoint + "\n  " + Describe(request, out));
    }
    // 5xx only on demand (Prefer or a fault rule): anything else is the mock failing.
    if (status >= 500 && entry.fault.empty()) {
      fail(i, "unforced " + std::to_string(status) + "\n  " + Describe(request, out));
    }
  }

  std::string report;
  for (const auto& f : failures) report += "\n#" + std::to_string(f.iteration) + ": " + f.what;
  EXPECT_TRUE(failures.empty()) << failures.size() << "+ failures (seed " << kSeed
                                << "):" << report;
  // The run reached the handlers, not just the front door.
  std::string seen;
  for (const auto& [status, count] : histogram)
    seen += " " + std::to_string(status) + "x" + std::to_string(count);
  EXPECT_GT(histogram[200] + histogram[201] + histogram[202], 10) << "statuses:" << seen;
  EXPECT_GT(histogram[400], 50) << "statuses:" << seen;
  EXPECT_GT(histogram[401], 50) << "statuses:" << seen;
  EXPECT_GT(histogram[404], 50) << "statuses:" << seen;
  EXPECT_GT(histogram[405], 50) << "statuses:" << seen;
  std::printf("[ status histogram ]%s\n", seen.c_str());
}

// The hostile bodies of the brief, one by one, with the answers chikage documents.
TEST(MockRobustness, HostileBodiesToChikageGetItsDocumentedErrors) {
  auto clock = std::make_shared<core::ManualClock>();
  MockOptions options;
  options.clock = clock;
  auto server = MakeMockServer(options);
  if (!server->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
  const Json fix = server->Fixtures()["chikage"];
  auto post = [&](std::string body, const std::string& content_type = "application/json") {
    core::HttpRequest r;
    r.method = Method::kPost;
    r.url = "http://mock/api/v1/data/orders";
    r.headers.Set("Authorization", "Bearer " + fix["test_key"].get<std::string>());
    r.headers.Set("Content-Type", content_type);
    r.body = std::move(body);
    return server->Process(r).response;
  };
  auto expect = [&](int status, std::string body, const char* what) {
    auto r = post(std::move(body));
    EXPECT_EQ(r.status, status) << what << ": " << Printable(r.body);
    auto parsed = core::ParseJson(r.body);
    ASSERT_TRUE(parsed.ok()) << what;
    EXPECT_EQ((*parsed)["success"], status == 202) << what;
  };
  expect(400, std::string(100'000, '['), "100k unclosed [");
  // 50k deep: still under the 100 KB limit, so the parser is what must refuse them.
  expect(400, std::string(50'000, '[') + std::string(50'000, ']'), "50k nested arrays");
  expect(400,
         R"({"order_id":"x","extra":)" + std::string(50'000, '[') + std::string(50'000, ']') + "}",
         "a valid record with a 50k-deep member");
  static constexpr char kNulInString[] = "{\"order_id\":\"a\0b\"}";
  expect(400, std::string(kNulInString, sizeof kNulInString - 1), "NUL inside a string");
  expect(400, std::string("\0\0\0\0", 4), "NULs");
  expect(400, "{\"order_id\":\"\xff\xfe\"}", "invalid UTF-8");
  expect(400, R"({"order_id":"\ud800"})", "lone surrogate");
  expect(400, "", "empty body");
  expect(400, "[]", "array body");
  expect(400, R"({"order_id":12})", "wrong type");
  expect(413, std::string(200 * 1024, 'x'), "200 KB of garbage");
  expect(413, core::DumpJson(Json{{"order_id", "x"}, {"pad", std::string(200 * 1024, 'p')}}),
         "200 KB of JSON");
  // Deep but reasonable nesting is accepted and can be read back.
  std::string nested =
      R"({"order_id":"deep","extra":)" + std::string(100, '[') + std::string(100, ']') + "}";
  auto created = post(nested);
  ASSERT_EQ(created.status, 202) << created.body;
  EXPECT_EQ(post(nested, "text/plain").status, 415);
  EXPECT_EQ(post(nested, "application/json; charset=utf-8").status, 202);
  // Everything above was journaled without trouble.
  EXPECT_EQ(server->Journal().size(), 15u);
}

}  // namespace
}  // namespace restbox::mock

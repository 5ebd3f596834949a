// Cassettes (restbox/transports/cassette.hpp): HAR 1.2 written and read back, redaction at
// capture, the incremental file, and the matcher. Runs natively and under node (wasm).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "restbox/core/json_codec.hpp"
#include "restbox/transports/cassette.hpp"

namespace restbox::transports {
namespace {

using core::HttpRequest;
using core::HttpResponse;
using core::Json;
using core::Method;

const core::TimePoint kStart = core::ParseIso8601("2026-03-01T10:00:00.250Z").value();

HttpRequest Request(Method method, std::string url, core::Headers headers = {},
                    std::string body = {}) {
  HttpRequest r;
  r.method = method;
  r.url = std::move(url);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

HttpResponse Response(int status, std::string body,
                      const std::string& type = "application/json; charset=utf-8") {
  HttpResponse r;
  r.status = status;
  if (!type.empty()) r.headers.Set("Content-Type", type);
  r.body = std::move(body);
  return r;
}

CassetteEntry Entry(const HttpRequest& request, HttpResponse response) {
  return Capture(request, core::Result<HttpResponse>(std::move(response)), kStart,
                 core::Duration(12));
}

std::string ReadAll(const std::string& path) {
  std::string text;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) text.append(buffer, n);
    std::fclose(f);
  }
  return text;
}

// ---- Redaction at capture ----------------------------------------------------------------------

TEST(CassetteRedaction, CredentialsNeverReachTheFileWhereverTheyAre) {
  const std::string bearer = "tm_test_demo4d2f8a9c0b1e7f3a";
  const std::string key = "fh_key_demo_3f9a1c7e52b8";
  const std::string secret = "fh_secret_demo_8b2e6d4f1a9c7305";
  const std::string token = "wncms_demo_7f3a9c2e5b1d4f60a8e2c4b6";
  const std::string query_key = "qk_0123456789abcdef";
  const std::string form_token = "form_token_0123456789";
  Cassette cassette;
  cassette.Add(
      Entry(Request(Method::kGet,
                    "https://api.example.com/api/v1/data/orders/" + bearer +
                        "?api_key=" + query_key + "&page=2",
                    {{"Authorization", "Bearer " + bearer}, {"Accept", "application/json"}}),
            Response(200, R"({"echo":")" + bearer + R"(","id":"rec_1"})")));
  cassette.Add(Entry(
      Request(Method::kPost, "https://jobs.example.com/api/jobs",
              {{"X-API-Key", key}, {"X-API-Secret", secret}, {"Content-Type", "application/json"}},
              R"({"title":"t","nested":{"client_secret":")" + secret + R"("}})"),
      Response(201, R"({"success":true})")));
  cassette.Add(Entry(Request(Method::kPost, "https://cms.example.com/api/v1/posts/index",
                             {{"Content-Type", "application/json"}},
                             R"({"api_token":")" + token + R"(","page":1})"),
                     Response(200, R"({"code":200,"data":[]})")));
  cassette.Add(Entry(Request(Method::kPost, "https://cms.example.com/form",
                             {{"Content-Type", "application/x-www-form-urlencoded"}},
                             "title=hello&api_token=" + form_token),
                     Response(200, "saw " + form_token, "text/plain")));
  const std::string har = cassette.ToHar();
  for (const auto& s : {bearer, key, secret, token, query_key, form_token}) {
    EXPECT_EQ(har.find(s), std::string::npos) << s << " is in the cassette:\n" << har;
  }
  // Masked as the SDK masks them everywhere: recognisable, not usable.
  EXPECT_NE(har.find("Bearer tm_test_****7f3a"), std::string::npos) << har;
  EXPECT_NE(har.find(R"(\"api_token\":\"****c4b6\")"), std::string::npos) << har;
  // What is not secret is kept.
  EXPECT_NE(har.find("page=2"), std::string::npos);
  EXPECT_NE(har.find(R"(\"id\":\"rec_1\")"), std::string::npos) << har;
  EXPECT_NE(har.find("application/json"), std::string::npos);
}

TEST(CassetteRedaction, ABodyWithoutSecretsIsKeptByteForByte) {
  const std::string body = "{ \"b\": 1,\n  \"a\": [true, null] }";
  auto entry =
      Entry(Request(Method::kPost, "http://h/x", {{"Content-Type", "application/json"}}, body),
            Response(200, "{}"));
  EXPECT_EQ(entry.request.body, body);
}

TEST(CassetteRedaction, ResponseTokensThatAreIdsStay) {
  // inventory answers template tokens in "token" members; later requests use them in paths.
  auto entry =
      Entry(Request(Method::kPost, "http://h/apiV1/templates",
                    {{"Authorization", "Bearer inv_sVHDJD69MlVnw1ghKe19MzWFgCz40CyGpVoChpOaUOT"}},
                    R"({"title":"x"})"),
            Response(201, R"({"success":true,"data":{"token":"tpl_LNea3pK2uuUVXGyP6v_7CK"}})"));
  EXPECT_NE(entry.response->body.find("tpl_LNea3pK2uuUVXGyP6v_7CK"), std::string::npos);
}

TEST(CassetteRedaction, TransportErrorsAreKeptWithTheirKind) {
  core::Result<HttpResponse> failed =
      core::MakeError(core::ErrorKind::kTimeout, "no answer within 30000 ms");
  auto entry = Capture(Request(Method::kGet, "http://h/x"), failed, kStart, core::Duration(30000));
  ASSERT_FALSE(entry.response);
  EXPECT_EQ(entry.error.kind, core::ErrorKind::kTimeout);
  auto back = Cassette::FromHar([&] {
    Cassette c;
    c.Add(entry);
    return c.ToHar();
  }());
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 1u);
  EXPECT_FALSE(back->entries()[0].response);
  EXPECT_EQ(back->entries()[0].error.kind, core::ErrorKind::kTimeout);
  EXPECT_EQ(back->entries()[0].error.message, "no answer within 30000 ms");
}

// ---- HAR 1.2 -----------------------------------------------------------------------------------

TEST(CassetteHar, TheDocumentHasEveryMemberHar12Requires) {
  Cassette cassette;
  cassette.Add(Entry(Request(Method::kPost, "https://api.example.com/a/b?x=1&y=%20z",
                             {{"Content-Type", "application/json"}}, R"({"n":1})"),
                     Response(201, R"({"ok":true})")));
  auto doc = core::ParseJson(cassette.ToHar());
  ASSERT_TRUE(doc.ok());
  const Json& log = (*doc)["log"];
  EXPECT_EQ(log["version"], "1.2");
  EXPECT_EQ(log["creator"]["name"], "restbox");
  EXPECT_TRUE(log["creator"]["version"].is_string());
  ASSERT_EQ(log["entries"].size(), 1u);
  const Json& e = log["entries"][0];
  EXPECT_EQ(e["startedDateTime"], "2026-03-01T10:00:00.250Z");
  EXPECT_EQ(e["time"], 12.0);
  EXPECT_TRUE(e["cache"].is_object());
  for (const char* t : {"send", "wait", "receive"}) EXPECT_TRUE(e["timings"][t].is_number()) << t;
  const Json& rq = e["request"];
  for (const char* m : {"method", "url", "httpVersion", "cookies", "headers", "queryString",
                        "headersSize", "bodySize", "postData"})
    EXPECT_TRUE(rq.contains(m)) << "request." << m;
  EXPECT_EQ(rq["queryString"],
            Json::parse(R"([{"name":"x","value":"1"},{"name":"y","value":" z"}])"));
  EXPECT_EQ(rq["postData"]["mimeType"], "application/json");
  EXPECT_EQ(rq["postData"]["text"], R"({"n":1})");
  EXPECT_EQ(rq["bodySize"], 7);
  const Json& rs = e["response"];
  for (const char* m : {"status", "statusText", "httpVersion", "cookies", "headers", "content",
                        "redirectURL", "headersSize", "bodySize"})
    EXPECT_TRUE(rs.contains(m)) << "response." << m;
  EXPECT_EQ(rs["status"], 201);
  EXPECT_EQ(rs["statusText"], "Created");
  EXPECT_EQ(rs["content"]["size"], 11);
  EXPECT_EQ(rs["content"]["mimeType"], "application/json; charset=utf-8");
  EXPECT_EQ(rs["content"]["text"], R"({"ok":true})");
}

TEST(CassetteHar, WhatIsWrittenReadsBackTheSame) {
  std::string binary("\x89PNG\r\n\x1a\n\0\xff\xfe", 11);
  Cassette cassette;
  cassette.Add(Entry(Request(Method::kPut, "http://127.0.0.1:9/x/%E4%BD%A0?q=%E5%A5%BD",
                             {{"X-Trace", "a"}, {"X-Trace", "b"}}, "{\"t\":\"你好\"}"),
                     Response(200, binary, "image/png")));
  cassette.Add(Entry(Request(Method::kDelete, "/relative/only"), Response(204, "", "")));
  auto back = Cassette::FromHar(cassette.ToHar());
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 2u);
  const auto& a = back->entries()[0];
  EXPECT_EQ(a.started, kStart);
  EXPECT_EQ(a.elapsed, core::Duration(12));
  EXPECT_EQ(a.request.method, Method::kPut);
  EXPECT_EQ(a.request.url, "http://127.0.0.1:9/x/%E4%BD%A0?q=%E5%A5%BD");
  EXPECT_EQ(a.request.headers.fields(), cassette.entries()[0].request.headers.fields());
  EXPECT_EQ(a.request.body, "{\"t\":\"你好\"}");
  ASSERT_TRUE(a.response);
  EXPECT_EQ(a.response->status, 200);
  EXPECT_EQ(a.response->body, binary);  // base64 in the file, the same bytes back
  EXPECT_NE(cassette.ToHar().find("\"encoding\":\"base64\""), std::string::npos);
  const auto& b = back->entries()[1];
  EXPECT_EQ(b.request.method, Method::kDelete);
  EXPECT_EQ(b.response->status, 204);
  EXPECT_EQ(b.response->body, "");
}

TEST(CassetteHar, AnotherToolsHarIsAccepted) {
  // A devtools-style export: BOM, pages, extra members, form params instead of text.
  const std::string har =
      "\xEF\xBB\xBF"
      R"({"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},
      "pages":[{"id":"page_1"}],"entries":[{"pageref":"page_1","_priority":"High",
      "startedDateTime":"2026-03-01T11:00:00.000+01:00","time":3.5,
      "request":{"method":"POST","url":"https://x.test/login","httpVersion":"h2","headers":[],
        "queryString":[],"cookies":[],"headersSize":-1,"bodySize":7,
        "postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"a","value":"1 2"}]}},
      "response":{"status":200,"statusText":"","httpVersion":"h2","headers":[{"name":"content-type","value":"text/plain"}],
        "cookies":[],"content":{"size":2,"mimeType":"text/plain","text":"b2s=","encoding":"base64"},
        "redirectURL":"","headersSize":-1,"bodySize":-1},
      "cache":{},"timings":{"send":1,"wait":2,"receive":0.5}}]}})";
  auto cassette = Cassette::FromHar(har);
  ASSERT_TRUE(cassette.ok()) << cassette.error().message;
  ASSERT_EQ(cassette->size(), 1u);
  const auto& e = cassette->entries()[0];
  EXPECT_EQ(e.started, core::ParseIso8601("2026-03-01T10:00:00Z").value());
  EXPECT_EQ(e.request.body, "a=1%202");
  EXPECT_EQ(e.response->body, "ok");
  EXPECT_EQ(e.response->headers.GetOr("Content-Type", ""), "text/plain");
}

TEST(CassetteHar, WhatIsNotAHarCassetteIsNamedWithItsPath) {
  struct Bad {
    std::string text;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {"{", "not a HAR cassette: not JSON"},
      {"[]", "not a HAR cassette: $.log: absent or not an object"},
      {R"({"log":{"version":"2.0","entries":[]}})", "$.log.version: expected \"1.2\", got \"2.0\""},
      {R"({"log":{"version":"1.2"}})", "$.log.entries: absent or not an array"},
      {R"({"log":{"entries":[{"response":{"status":200,"content":{}}}]}})",
       "$.log.entries[0].request: absent (HAR 1.2 requires it)"},
      {R"({"log":{"entries":[{"request":{"method":7,"url":"/x"},"response":{"status":200,"content":{}}}]}})",
       "$.log.entries[0].request.method: expected a string, got number"},
      {R"({"log":{"entries":[{"request":{"method":"BREW","url":"/x"},"response":{"status":200,"content":{}}}]}})",
       "$.log.entries[0].request.method: expected GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS, "
       "got \"BREW\""},
      {R"({"log":{"entries":[{"request":{"method":"GET","url":"nowhere"},"response":{"status":200,"content":{}}}]}})",
       "$.log.entries[0].request.url: expected an absolute URL"},
      {R"({"log":{"entries":[{"request":{"method":"GET","url":"/x"},"response":{"status":"200","content":{}}}]}})",
       "$.log.entries[0].response.status: expected an HTTP status (an integer), got \"200\""},
      {R"({"log":{"entries":[{"request":{"method":"GET","url":"/x"},"response":{"status":200}}]}})",
       "$.log.entries[0].response.content: absent (HAR 1.2 requires it)"},
      {R"({"log":{"entries":[{"request":{"method":"GET","url":"/x","headers":[{"name":"a"}]},"response":{"status":200,"content":{}}}]}})",
       "$.log.entries[0].request.headers[0]: expected {\"name\": string, \"value\": string}"},
      {R"({"log":{"entries":[{"request":{"method":"GET","url":"/x"},"response":{"status":200,"content":{"text":"!!","encoding":"base64"}}}]}})",
       "$.log.entries[0].response.content.text: not valid base64"},
      {R"({"log":{"entries":[{"startedDateTime":"yesterday","request":{"method":"GET","url":"/x"},"response":{"status":200,"content":{}}}]}})",
       "$.log.entries[0].startedDateTime: expected an ISO 8601 date and time, got \"yesterday\""},
  };
  for (const auto& b : bad) {
    auto r = Cassette::FromHar(b.text);
    ASSERT_FALSE(r.ok()) << b.text;
    EXPECT_EQ(r.error().kind, core::ErrorKind::kInvalidArgument);
    EXPECT_NE(r.error().message.find(b.message), std::string::npos)
        << r.error().message << "\n  expected to contain: " << b.message;
  }
}

TEST(CassetteHar, LoadNamesTheFileThatCannotBeRead) {
  auto missing = Cassette::Load("/no/such/dir/cassette.har");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("cannot read /no/such/dir/cassette.har: "),
            std::string::npos)
      << missing.error().message;
}

// ---- The file written one entry at a time ------------------------------------------------------

TEST(CassetteFileTest, TheFileIsACompleteHarAfterEveryEntry) {
  const std::string path = ::testing::TempDir() + "restbox_cassette_file_test.har";
  auto file = CassetteFile::Create(path);
  ASSERT_TRUE(file.ok()) << file.error().message;
  auto empty = Cassette::FromHar(ReadAll(path));
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(empty->size(), 0u);
  for (int i = 1; i <= 3; ++i) {
    auto appended =
        (*file)->Append(Entry(Request(Method::kGet, "http://h/item/" + std::to_string(i)),
                              Response(200, "{\"n\":" + std::to_string(i) + "}")));
    ASSERT_TRUE(appended.ok()) << appended.error().message;
    // Read while the writer still holds the file open: what a crash now would leave.
    auto now = Cassette::FromHar(ReadAll(path));
    ASSERT_TRUE(now.ok()) << now.error().message << "\n" << ReadAll(path);
    ASSERT_EQ(now->size(), static_cast<std::size_t>(i));
    EXPECT_EQ(now->entries().back().request.url, "http://h/item/" + std::to_string(i));
  }
  EXPECT_EQ((*file)->entries(), 3u);
  std::remove(path.c_str());
}

TEST(CassetteFileTest, AFileThatCannotBeCreatedIsNamed) {
  auto file = CassetteFile::Create("/no/such/dir/x.har");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().kind, core::ErrorKind::kInvalidArgument);
  EXPECT_NE(file.error().message.find("cannot write /no/such/dir/x.har: "), std::string::npos);
}

// ---- Matching ----------------------------------------------------------------------------------

class Matching : public ::testing::Test {
 protected:
  // The answer's body (which recording answered), or "miss: <message>".
  std::string Answer(CassetteMatcher& matcher, const HttpRequest& request) {
    auto found = matcher.Find(request);
    if (auto* miss = std::get_if<ReplayMiss>(&found)) return "miss: " + miss->Message();
    return std::get<CassetteMatcher::Match>(found).entry->response->body;
  }
};

TEST_F(Matching, QueryIsAMultisetAndTheHostDoesNotMatter) {
  Cassette c;
  c.Add(Entry(Request(Method::kGet, "https://real.example/api/jobs?city=A&page=1&tag=x&tag=y"),
              Response(200, "jobs")));
  CassetteMatcher m(c);
  EXPECT_EQ(Answer(m, Request(Method::kGet, "/api/jobs?tag=x&page=1&city=A&tag=y")), "jobs");
  EXPECT_EQ(
      Answer(m, Request(Method::kGet, "http://127.0.0.1:8080/api/jobs?tag=y&page=1&tag=x&city=A")),
      "jobs");
  EXPECT_EQ(Answer(m, Request(Method::kGet, "/api/jobs?city=%41&page=1&tag=x&tag=y")), "jobs");
  EXPECT_NE(Answer(m, Request(Method::kGet, "/api/jobs?city=A&page=1&tag=x")).find("miss: "),
            std::string::npos);  // a repeat is missing
  EXPECT_NE(Answer(m, Request(Method::kPost, "/api/jobs?city=A&page=1&tag=x&tag=y")).find("miss: "),
            std::string::npos);
}

TEST_F(Matching, JsonBodiesCompareAsJsonFormsAsPairsOthersAsBytes) {
  Cassette c;
  c.Add(Entry(Request(Method::kPost, "/j", {{"Content-Type", "application/json"}},
                      R"({"a":1,"b":{"c":[1,2]}})"),
              Response(200, "json")));
  c.Add(Entry(Request(Method::kPost, "/f", {{"Content-Type", "application/x-www-form-urlencoded"}},
                      "x=1&y=2"),
              Response(200, "form")));
  c.Add(Entry(Request(Method::kPost, "/t", {{"Content-Type", "text/plain"}}, "hello"),
              Response(200, "text")));
  CassetteMatcher m(c);
  EXPECT_EQ(Answer(m, Request(Method::kPost, "/j", {}, "{ \"b\": {\"c\": [1, 2.0]}, \"a\": 1 }")),
            "json");
  EXPECT_NE(Answer(m, Request(Method::kPost, "/j", {}, R"({"a":1,"b":{"c":[2,1]}})")).find("miss"),
            std::string::npos);
  EXPECT_EQ(Answer(m, Request(Method::kPost, "/f",
                              {{"Content-Type", "application/x-www-form-urlencoded"}}, "y=2&x=1")),
            "form");
  EXPECT_EQ(Answer(m, Request(Method::kPost, "/t", {}, "hello")), "text");
  EXPECT_NE(Answer(m, Request(Method::kPost, "/t", {}, "hello ")).find("miss"), std::string::npos);
}

TEST_F(Matching, RedactedValuesMatchAnyCredentialButMustBePresent) {
  Cassette c;
  c.Add(
      Entry(Request(Method::kPost, "https://cms.example/api/v1/posts/index?api_key=real_key_123456",
                    {{"Authorization", "Bearer real_bearer_0123456789"}},
                    R"({"api_token":"wncms_demo_7f3a9c2e5b1d4f60a8e2c4b6","page":1})"),
            Response(200, "posts")));
  CassetteMatcher m(c);
  // Other credentials (a test's dummy ones) find the recording...
  EXPECT_EQ(
      Answer(m, Request(Method::kPost, "/api/v1/posts/index?api_key=dummy",
                        {{"Authorization", "Bearer dummy"}}, R"({"page":1,"api_token":"dummy"})")),
      "posts");
  // ...a request without the credential does not (its answer would be a 401), and the miss does
  // not show the credentials it was sent with.
  const std::string miss =
      Answer(m, Request(Method::kPost, "/api/v1/posts/index?api_key=other_key_0123456789", {},
                        R"({"page":1})"));
  EXPECT_NE(
      miss.find("miss: no recording matches POST /api/v1/posts/index?api_key=%2A%2A%2A%2A6789"),
      std::string::npos)
      << miss;
  EXPECT_NE(miss.find("body $.api_token: absent, recorded \"****c4b6\""), std::string::npos)
      << miss;
  EXPECT_EQ(miss.find("other_key_0123456789"), std::string::npos) << miss;
}

TEST_F(Matching, RecordingsAreServedInOrderThenTheLastOneRepeats) {
  Cassette c;
  c.Add(Entry(Request(Method::kGet, "/r/1"), Response(200, "first")));
  c.Add(Entry(Request(Method::kDelete, "/r/1"), Response(200, "deleted")));
  c.Add(Entry(Request(Method::kGet, "/r/1"), Response(404, "gone")));
  CassetteMatcher m(c);
  EXPECT_EQ(m.Unused().size(), 3u);
  EXPECT_EQ(Answer(m, Request(Method::kGet, "/r/1")), "first");
  EXPECT_EQ(Answer(m, Request(Method::kDelete, "/r/1")), "deleted");
  EXPECT_EQ(Answer(m, Request(Method::kGet, "/r/1")), "gone");
  EXPECT_TRUE(m.Unused().empty());
  auto again = m.Find(Request(Method::kGet, "/r/1"));
  ASSERT_TRUE(std::holds_alternative<CassetteMatcher::Match>(again));
  EXPECT_TRUE(std::get<CassetteMatcher::Match>(again).repeated);
  EXPECT_EQ(std::get<CassetteMatcher::Match>(again).index, 2u);
}

TEST_F(Matching, AMissNamesTheNearestRecordingsAndWhatDiffers) {
  Cassette c;
  c.Add(Entry(Request(Method::kGet, "https://x.test/apiV1/items?page=1"), Response(200, "p1")));
  c.Add(Entry(Request(Method::kGet, "https://x.test/apiV1/templates"), Response(200, "t")));
  c.Add(Entry(Request(Method::kPost, "https://x.test/apiV1/items", {}, R"({"title":"a"})"),
              Response(201, "c")));
  c.Add(Entry(Request(Method::kGet, "https://x.test/other"), Response(200, "o")));
  CassetteMatcher m(c);
  auto found = m.Find(Request(Method::kGet, "/apiV1/items?page=2"));
  ASSERT_TRUE(std::holds_alternative<ReplayMiss>(found));
  const ReplayMiss& miss = std::get<ReplayMiss>(found);
  EXPECT_EQ(miss.recordings, 4u);
  ASSERT_EQ(miss.candidates.size(), 3u);
  EXPECT_EQ(miss.candidates[0].index, 0u);  // same method and path, other query
  EXPECT_EQ(miss.candidates[0].differences,
            std::vector<std::string>{"query page=2, recorded page=1"});
  EXPECT_EQ(miss.candidates[1].index, 2u);  // same path, other method
  EXPECT_EQ(miss.Message().rfind("no recording matches GET /apiV1/items?page=2 (4 recordings); "
                                 "nearest: #0 GET https://x.test/apiV1/items?page=1 (query page=2, "
                                 "recorded page=1); #2 POST",
                                 0),
            0u)
      << miss.Message();
  const Json j = miss.ToJson();
  EXPECT_EQ(j["error"], "no_recording");
  EXPECT_EQ(j["restbox_error"], miss.Message());
  EXPECT_EQ(j["request"], Json::parse(R"({"method":"GET","url":"/apiV1/items?page=2"})"));
  EXPECT_EQ(j["candidates"][0]["url"], "https://x.test/apiV1/items?page=1");
  EXPECT_EQ(j["candidates"].size(), 3u);

  CassetteMatcher none{Cassette{}};
  auto empty = none.Find(Request(Method::kGet, "/x"));
  ASSERT_TRUE(std::holds_alternative<ReplayMiss>(empty));
  EXPECT_EQ(std::get<ReplayMiss>(empty).Message(),
            "no recording matches GET /x: the cassette is empty");
}

}  // namespace
}  // namespace restbox::transports

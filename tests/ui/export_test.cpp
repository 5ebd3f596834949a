// The exporters (export.hpp) as pure functions: the cURL command reproduces the wire request
// through shell quoting, the SDK snippets carry the call, HAR 1.2 is structurally valid, and
// secrets are masked unless revealed.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "export.hpp"
#include "export_typed.hpp"
#include "restbox/services/registry.hpp"

namespace restbox::console {
namespace {

constexpr const char* kKey = "tm_test_abcdef0123456789";
constexpr const char* kSecret = "fh_secret_demo_8b2e6d4f1a9c7305";
constexpr const char* kToken = "tok_body_9f8e7d6c5b4a";

// Splits a command line the way a POSIX shell does for the subset the exporter emits: words
// separated by blanks, '...' quoting, \' outside quotes, backslash-newline continuations and
// # comment lines. nullopt when the text is not well-formed.
std::optional<std::vector<std::string>> ShellWords(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == '#' && !in_word) {
      while (i < command.size() && command[i] != '\n') ++i;
    } else if (c == '\'') {
      const std::size_t end = command.find('\'', i + 1);
      if (end == std::string::npos) return std::nullopt;
      word += command.substr(i + 1, end - i - 1);
      in_word = true;
      i = end;
    } else if (c == '\\') {
      if (i + 1 >= command.size()) return std::nullopt;
      if (command[i + 1] != '\n') {
        word += command[i + 1];
        in_word = true;
      }
      ++i;
    } else if (c == ' ' || c == '\n' || c == '\t') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

Exchange SampleExchange() {
  Exchange e;
  e.id = 7;
  e.service = "chikage";
  e.endpoint = "create";
  e.method = "POST";
  e.url = "http://127.0.0.1:8080/api/v1/data/orders?note=it's%20ok&api_key=" + std::string(kToken);
  e.target = TargetKind::kHttpMock;
  e.environment_name = "Local HTTP mock";
  e.base_url = "http://127.0.0.1:8080";
  e.credentials = {kKey, kSecret};
  e.secrets = {kKey, kSecret};
  e.started_unix_ms = 1767225600000.0;  // 2026-01-01T00:00:00Z
  e.draft.service = "chikage";
  e.draft.endpoint = "create";
  e.draft.params = {{"slug", "orders"}, {"order_id", "O'Brien \"A-1\""}, {"api_token", kToken}};
  e.draft.extra_headers.Set("Prefer", "code=503");
  e.done = true;
  e.status = 202;
  e.outcome = {
      {"ok", true},
      {"status", 202},
      {"attempts",
       {{{"number", 1}, {"status", 503}, {"elapsedMs", 2.5}, {"note", "retry"}, {"delayMs", 250}},
        {{"number", 2}, {"status", 202}, {"elapsedMs", 1.5}, {"note", ""}, {"delayMs", 0}}}}};
  for (int status : {503, 202}) {
    WireAttempt a;
    a.request.method = core::Method::kPost;
    a.request.url = e.url;
    a.request.headers.Set("Authorization", std::string("Bearer ") + kKey);
    a.request.headers.Set("Content-Type", "application/json");
    a.request.headers.Set("Prefer", "code=503");
    a.request.body =
        core::DumpJson(core::Json{{"order_id", "O'Brien \"A-1\""}, {"api_token", kToken}});
    a.elapsed_ms = status == 503 ? 2.5 : 1.5;
    core::HttpResponse r;
    r.status = status;
    r.headers.Set("Content-Type", "application/json");
    r.body = status == 503 ? R"({"success":false,"error":"busy"})"
                           : std::string(R"({"success":true,"id":"rec_1","echo":")") + kKey + "\"}";
    a.response = r;
    e.wire.push_back(a);
  }
  return e;
}

// The console passes every credential of every environment as known secrets (Model::KnownSecrets).
ExportOptions Masked() {
  return ExportOptions{false, {kKey, kSecret, kToken}};
}
ExportOptions Revealed() {
  return ExportOptions{true, {kKey, kSecret}};
}

TEST(Export, ShellQuoteSurvivesQuotesAndSpaces) {
  EXPECT_EQ(ShellQuote("plain"), "'plain'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  auto words = ShellWords("x " + ShellQuote("a 'b' \\ $HOME \"c\"") + " " + ShellQuote(""));
  ASSERT_TRUE(words);
  ASSERT_EQ(words->size(), 3u);
  EXPECT_EQ((*words)[1], "a 'b' \\ $HOME \"c\"");
  EXPECT_EQ((*words)[2], "");
}

TEST(Export, CurlReproducesTheWireRequestWhenRevealed) {
  const Exchange e = SampleExchange();
  const std::string curl = ExportCurl(e, Revealed());
  auto words = ShellWords(curl);
  ASSERT_TRUE(words) << curl;
  const WireAttempt& sent = e.wire.front();
  std::vector<std::string> expected = {"curl", "-X", "POST", sent.request.url};
  for (const auto& [name, value] : sent.request.headers) {
    expected.push_back("-H");
    expected.push_back(name + ": " + value);
  }
  expected.push_back("--data-raw");
  expected.push_back(sent.request.body);
  EXPECT_EQ(*words, expected) << curl;
}

TEST(Export, CurlReadsCredentialsFromVariablesAndMasksOtherSecrets) {
  const Exchange e = SampleExchange();
  const std::string curl = ExportCurl(e, Masked());
  EXPECT_EQ(curl.find(kKey), std::string::npos) << curl;
  EXPECT_EQ(curl.find(kToken), std::string::npos) << curl;
  // The exchange's own key is a variable the shell expands (and stops on when unset)...
  EXPECT_NE(curl.find("-H 'Authorization: Bearer '\"${RESTBOX_CHIKAGE_KEY:?"), std::string::npos)
      << curl;
  // ...which one commented line sets; the key is no demo value here, so it says "your key".
  EXPECT_NE(curl.find("#   export RESTBOX_CHIKAGE_KEY='your key'"), std::string::npos) << curl;
  EXPECT_NE(curl.find("#   export RESTBOX_CHIKAGE_SECRET='your secret'"), std::string::npos)
      << curl;
  // A secret that is not the exchange's credential (a token typed into the body) stays masked.
  EXPECT_NE(curl.find("****"), std::string::npos) << curl;
}

TEST(Export, DemoCredentialsAreShownInTheLineThatSetsThem) {
  const Exchange e = SampleExchange();
  ExportOptions options = Masked();
  options.public_values = {kKey};
  const std::string curl = ExportCurl(e, options);
  EXPECT_NE(curl.find(std::string("#   export RESTBOX_CHIKAGE_KEY='") + kKey + "'"),
            std::string::npos)
      << curl;
  for (const std::string& text : {ExportCpp(e, options), ExportJs(e, options)}) {
    EXPECT_NE(text.find(std::string("//   export RESTBOX_CHIKAGE_KEY='") + kKey + "'"),
              std::string::npos)
        << text;
  }
}

TEST(Export, AnInProcessCurlTargetsTheLocalMock) {
  Exchange e = SampleExchange();
  e.target = TargetKind::kInProcess;
  for (auto& a : e.wire) a.request.url = "http://mock/api/v1/data/orders?x=1";
  ExportOptions options = Masked();
  options.mock_url = "http://127.0.0.1:9999/";
  const std::string curl = ExportCurl(e, options);
  EXPECT_NE(curl.find("'http://127.0.0.1:9999/api/v1/data/orders?x=1'"), std::string::npos) << curl;
  EXPECT_EQ(curl.find("http://mock"), std::string::npos) << curl;
}

TEST(Export, CurlOfAGetHasNoMethodFlagAndACallThatNeverLeftSaysSo) {
  Exchange e = SampleExchange();
  e.wire.resize(1);
  e.wire[0].request.method = core::Method::kGet;
  e.wire[0].request.body.clear();
  auto words = ShellWords(ExportCurl(e, Revealed()));
  ASSERT_TRUE(words);
  EXPECT_EQ((*words)[1], e.wire[0].request.url);
  EXPECT_EQ(std::count(words->begin(), words->end(), "--data-raw"), 0);

  e.wire.clear();
  const std::string none = ExportCurl(e, Revealed());
  EXPECT_EQ(none.rfind("# ", 0), 0u) << none;
  EXPECT_EQ(ShellWords(none)->size(), 0u);
}

TEST(Export, CppSnippetCallsTheDynamicClientWithTheDraft) {
  const Exchange e = SampleExchange();
  const std::string revealed = ExportCpp(e, Revealed());
  for (const std::string& part :
       {std::string("DynamicClient::ForService(\"chikage\", options)"),
        std::string("client->Call(\"create\""),
        std::string("options.base_url = \"http://127.0.0.1:8080\""),
        std::string("options.credentials.key = \"") + kKey + "\"",
        std::string("request.headers.Set(\"Prefer\", \"code=503\")"), std::string("int main()"),
        // The parameters as JSON in a raw string (quotes kept as they are).
        std::string("\"order_id\": \"O'Brien \\\"A-1\\\"\"")}) {
    EXPECT_NE(revealed.find(part), std::string::npos) << part << "\n" << revealed;
  }
  const std::string masked = ExportCpp(e, Masked());
  EXPECT_EQ(masked.find(kKey), std::string::npos) << masked;
  EXPECT_EQ(masked.find(kSecret), std::string::npos) << masked;
  EXPECT_EQ(masked.find(kToken), std::string::npos) << masked;
  EXPECT_NE(masked.find("options.credentials.key = RequiredEnv(\"RESTBOX_CHIKAGE_KEY\");"),
            std::string::npos)
      << masked;
  EXPECT_NE(masked.find("options.credentials.secret = RequiredEnv(\"RESTBOX_CHIKAGE_SECRET\");"),
            std::string::npos)
      << masked;
}

// Without extra headers or a raw body, the C++ export calls the typed client of its API.
TEST(Export, CppSnippetCallsTheTypedClientOfItsApi) {
  Exchange e = SampleExchange();
  e.draft.extra_headers = {};
  e.draft.params = {{"slug", "orders"}, {"order_id", "O'Brien \"A-1\""}, {"amount", 45000.5}};
  const std::string masked = ExportCpp(e, Masked());
  for (const std::string& part :
       {std::string("#include \"restbox/chikage/client.hpp\""),
        std::string("restbox::chikage::ClientOptions options;"),
        std::string("options.api_key = RequiredEnv(\"RESTBOX_CHIKAGE_KEY\");"),
        std::string("restbox::chikage::Client client(options);"),
        std::string("client.Create(\"orders\", "),
        std::string("\"order_id\": \"O'Brien \\\"A-1\\\"\""), std::string("if (!result) {")}) {
    EXPECT_NE(masked.find(part), std::string::npos) << part << "\n" << masked;
  }
  EXPECT_EQ(masked.find("DynamicClient"), std::string::npos) << masked;
  EXPECT_EQ(masked.find(kKey), std::string::npos) << masked;

  // A parameter the typed method does not take: the dynamic client, which takes what the table
  // allows.
  e.endpoint = e.draft.endpoint = "get";
  e.draft.params = {{"slug", "orders"}, {"record_id", "rec_1"}, {"unexpected", 1}};
  EXPECT_NE(ExportCpp(e, Masked()).find("DynamicClient::ForService"), std::string::npos);
  e.draft.params.erase("unexpected");
  EXPECT_NE(ExportCpp(e, Masked()).find("client.Get(\"orders\", \"rec_1\")"), std::string::npos);
}

// Every endpoint of every endpoint table has a typed recipe (no endpoint silently falls back).
TEST(Export, EveryEndpointOfEveryTableHasATypedRecipe) {
  std::vector<std::string> missing;
  for (const auto& entry : services::AllServices()) {
    for (const auto& endpoint : entry.spec->endpoints) {
      if (!HasTypedRecipe(entry.spec->id, endpoint.id))
        missing.push_back(entry.spec->id + "/" + endpoint.id);
    }
  }
  EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);
}

TEST(Export, CppSnippetOfTheInProcessTargetBringsItsOwnMock) {
  Exchange e = SampleExchange();
  e.target = TargetKind::kInProcess;
  e.base_url = "http://mock";
  e.draft.raw_body = "{not json)json\"";
  const std::string code = ExportCpp(e, Revealed());
  EXPECT_NE(code.find("restbox::mock::MakeMockServer()"), std::string::npos) << code;
  EXPECT_NE(code.find("InProcessTransport"), std::string::npos) << code;
  // The raw body's text contains the default delimiter's end: another delimiter is chosen.
  EXPECT_NE(code.find("request.raw_body = R\"json1({not json)json\")json1\""), std::string::npos)
      << code;
}

TEST(Export, JsSnippetUsesTheNpmApi) {
  Exchange e = SampleExchange();
  const std::string http = ExportJs(e, Revealed());
  EXPECT_NE(http.find("import { loadRestbox } from 'restbox-wasm';"), std::string::npos) << http;
  EXPECT_NE(http.find("restbox.createClient(\"chikage\", { baseUrl: \"http://127.0.0.1:8080\", "
                      "credentials: { key: \"" +
                      std::string(kKey) + "\", secret: \"" + kSecret + "\" } })"),
            std::string::npos)
      << http;
  EXPECT_NE(http.find("client.call(\"create\", params)"), std::string::npos) << http;
  // Extra headers travel in params.headers, as the JS API takes them.
  EXPECT_NE(http.find("\"Prefer\": \"code=503\""), std::string::npos) << http;

  e.target = TargetKind::kInProcess;
  e.draft.raw_body = "oops";
  const std::string mock = ExportJs(e, Masked());
  EXPECT_NE(mock.find("const mock = restbox.createMock();"), std::string::npos) << mock;
  EXPECT_NE(mock.find("{ mock, credentials: {"), std::string::npos) << mock;
  EXPECT_NE(mock.find("{ rawBody: \"oops\" }"), std::string::npos) << mock;
  EXPECT_EQ(mock.find(kKey), std::string::npos) << mock;
  EXPECT_EQ(mock.find(kSecret), std::string::npos) << mock;
  EXPECT_EQ(mock.find(kToken), std::string::npos) << mock;
}

TEST(Export, HarIsStructurallyValidWithOneEntryPerAttempt) {
  std::deque<Exchange> history;
  Exchange older = SampleExchange();
  Exchange newer = SampleExchange();
  newer.id = 8;
  newer.started_unix_ms += 1000;
  newer.wire.resize(1);
  newer.wire[0].response.reset();
  newer.wire[0].transport_error = "connection refused";
  history.push_front(older);
  history.push_front(newer);  // newest first, as Model keeps it

  const core::Json har = ExportHar(history, Masked());
  ASSERT_TRUE(har.contains("log"));
  const core::Json& log = har["log"];
  EXPECT_EQ(log["version"], "1.2");
  EXPECT_TRUE(log["creator"]["name"].is_string());
  EXPECT_TRUE(log["creator"]["version"].is_string());
  ASSERT_EQ(log["entries"].size(), 3u);
  for (const auto& entry : log["entries"]) {
    for (const char* key : {"startedDateTime", "time", "request", "response", "cache", "timings"}) {
      EXPECT_TRUE(entry.contains(key)) << key;
    }
    for (const char* key : {"method", "url", "httpVersion", "cookies", "headers", "queryString",
                            "headersSize", "bodySize"}) {
      EXPECT_TRUE(entry["request"].contains(key)) << key;
    }
    for (const char* key : {"status", "statusText", "httpVersion", "cookies", "headers", "content",
                            "redirectURL", "headersSize", "bodySize"}) {
      EXPECT_TRUE(entry["response"].contains(key)) << key;
    }
    EXPECT_TRUE(entry["response"]["content"].contains("size"));
    EXPECT_TRUE(entry["response"]["content"].contains("mimeType"));
    for (const char* key : {"send", "wait", "receive"})
      EXPECT_TRUE(entry["timings"][key].is_number()) << key;
    EXPECT_GE(entry["time"].get<double>(), 0.0);
  }
  // Oldest first; the retry started after the first attempt and its backoff.
  const auto& entries = log["entries"];
  EXPECT_EQ(entries[0]["startedDateTime"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(entries[1]["startedDateTime"], "2026-01-01T00:00:00.252Z");
  EXPECT_EQ(entries[0]["response"]["status"], 503);
  EXPECT_EQ(entries[1]["response"]["status"], 202);
  EXPECT_EQ(entries[1]["response"]["statusText"], "Accepted");
  EXPECT_EQ(entries[2]["response"]["status"], 0);
  EXPECT_EQ(entries[2]["response"]["_error"], "connection refused");
  EXPECT_EQ(entries[0]["request"]["postData"]["mimeType"], "application/json");
  bool has_note = false;
  for (const auto& q : entries[0]["request"]["queryString"])
    has_note = has_note || q["name"] == "note";
  EXPECT_TRUE(has_note);

  const std::string masked = core::DumpJson(har);
  EXPECT_EQ(masked.find(kKey), std::string::npos);  // header, and echoed in a response body
  EXPECT_EQ(masked.find(kToken), std::string::npos);
  const std::string revealed = core::DumpJson(ExportHar(history, Revealed()));
  EXPECT_NE(revealed.find(kKey), std::string::npos);
  EXPECT_NE(revealed.find(kToken), std::string::npos);
}

}  // namespace
}  // namespace restbox::console

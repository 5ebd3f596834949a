// Secret masking (DESIGN rule 6): prefixes stay readable, secrets never survive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "restbox/core/json_codec.hpp"
#include "restbox/core/masking.hpp"

namespace restbox::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTestKey = "tm_test_abcdef0123456789";
constexpr const char* kLiveKey = "tm_live_zyxwvu9876543210";
constexpr const char* kInvKey = "inv_9f8e7d6c5b4a3f2e1d";
constexpr const char* kToken = "wncms-token-0123456789abcdef";

TEST(MaskSecret, KeepsKnownPrefixesAndTheLastFour) {
  EXPECT_EQ(MaskSecret(kTestKey), "tm_test_****6789");
  EXPECT_EQ(MaskSecret(kLiveKey), "tm_live_****3210");
  EXPECT_EQ(MaskSecret(kInvKey), "inv_****2e1d");
  EXPECT_EQ(MaskSecret(kToken), "****cdef");
}

TEST(MaskSecret, MasksBearerCredentials) {
  EXPECT_EQ(MaskSecret(std::string("Bearer ") + kTestKey), "Bearer tm_test_****6789");
  EXPECT_EQ(MaskSecret(std::string("bearer ") + kToken), "bearer ****cdef");
  EXPECT_EQ(MaskSecret("Bearer abc"), "Bearer ****");
  EXPECT_EQ(MaskSecret("Bearer "), "Bearer ****");
}

TEST(MaskSecret, ShortSecretsRevealNothing) {
  EXPECT_EQ(MaskSecret(""), "****");
  EXPECT_EQ(MaskSecret("x"), "****");
  EXPECT_EQ(MaskSecret("hunter2"), "****");
  EXPECT_EQ(MaskSecret("12345678901"), "****");            // 11 characters
  EXPECT_EQ(MaskSecret("123456789012"), "****9012");       // 12: long enough to show 4
  EXPECT_EQ(MaskSecret("tm_test_short"), "tm_test_****");  // the prefix does not count
  EXPECT_EQ(MaskSecret("inv_"), "inv_****");
}

TEST(MaskSecret, OutputNeverContainsTheSecret) {
  for (const std::string& s :
       {std::string(kTestKey), std::string(kLiveKey), std::string(kInvKey), std::string(kToken),
        std::string("Bearer ") + kTestKey, std::string(200, 'z'), std::string("secretsecret")}) {
    auto masked = MaskSecret(s);
    EXPECT_THAT(masked, HasSubstr("****")) << s;
    EXPECT_EQ(masked.find(s), std::string::npos) << s;
    EXPECT_LT(masked.size(), std::max<std::size_t>(s.size(), 13)) << s;
  }
}

TEST(MaskHeaders, MasksCredentialHeadersWhateverTheirCase) {
  Headers h{{"authorization", std::string("Bearer ") + kTestKey},
            {"X-API-KEY", kInvKey},
            {"x-api-secret", "s3cr3t-value-0123456789"},
            {"X-Webhook-Auth", std::string("Bearer ") + kToken},
            {"Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZA=="},
            {"Cookie", "session=abcdefabcdef0123"},
            {"Content-Type", "application/json"},
            {"X-Request-Id", "req-1"}};
  Headers m = MaskHeaders(h);
  ASSERT_EQ(m.size(), h.size());
  // Order and spelling of the names are kept.
  for (std::size_t i = 0; i < h.size(); ++i) EXPECT_EQ(m.fields()[i].first, h.fields()[i].first);
  EXPECT_EQ(m.Get("Authorization"), "Bearer tm_test_****6789");
  EXPECT_EQ(m.Get("X-Api-Key"), "inv_****2e1d");
  EXPECT_EQ(m.Get("X-API-Secret"), "****6789");
  EXPECT_EQ(m.Get("x-webhook-auth"), "Bearer ****cdef");
  EXPECT_EQ(m.Get("Content-Type"), "application/json");
  EXPECT_EQ(m.Get("X-Request-Id"), "req-1");
  for (const auto& [name, value] : m) {
    for (const char* secret : {kTestKey, kInvKey, kToken, "s3cr3t-value-0123456789",
                               "dXNlcjpwYXNzd29yZA==", "abcdefabcdef0123"}) {
      EXPECT_THAT(value, Not(HasSubstr(secret))) << name;
    }
  }
}

TEST(MaskHeaders, KnowsWhichHeadersAreSecret) {
  for (const char* n : {"Authorization", "AUTHORIZATION", "x-api-key", "X-Api-Secret",
                        "x-webhook-auth", "Set-Cookie", "cookie", "proxy-authorization"}) {
    EXPECT_TRUE(IsSecretHeader(n)) << n;
  }
  for (const char* n : {"Content-Type", "X-Webhook-Auth-Header", "X-Webhook-Callback", "Accept",
                        "X-Request-Id", "Keep-Alive", ""}) {
    EXPECT_FALSE(IsSecretHeader(n)) << n;
  }
  // The header that names the auth header is not itself a secret.
  EXPECT_EQ(MaskHeaderValue("X-Webhook-Auth-Header", "X-Hook-Token"), "X-Hook-Token");
}

// Issue 11: names are secret by pattern, not from a list.
TEST(MaskHeaders, AnyNameWithASecretWordIsSecret) {
  for (const char* n :
       {"X-Auth-Token", "X-Client-Secret", "X-Password", "Idempotency-Key", "X-Amz-Security-Token",
        "Authorization2", "X-Forwarded-Authorization", "x-api-KEY"}) {
    EXPECT_TRUE(IsSecretHeader(n)) << n;
  }
  Headers m = MaskHeaders({{"X-Auth-Token", "abcdefghijklmnop1234"}});
  EXPECT_EQ(m.Get("X-Auth-Token"), "****1234");
}

TEST(MaskBody, MasksEveryMemberWhoseNameHasASecretWord) {
  Json body = {
      {"token", "tok-0123456789abcdef"},
      {"client_secret", "cs-0123456789abcdef"},
      {"refresh_token", "rt-0123456789abcdef"},
      {"accessToken", "at-0123456789abcdef"},
      {"user", {{"PassWord", "pw-0123456789abcdef"}, {"privateKey", "pk-0123456789abcdef"}}},
      {"authorization", "Bearer az-0123456789abcdef"},
      // Search terms are not credentials: "key" inside "keyword" does not count.
      {"keywords", {"invoice"}},
      {"keywordKeys", {"date"}},
      {"title", "token talk"}};
  std::string masked = MaskBody(DumpJson(body));
  for (const char* secret :
       {"tok-0123456789abcdef", "cs-0123456789abcdef", "rt-0123456789abcdef", "at-0123456789abcdef",
        "pw-0123456789abcdef", "pk-0123456789abcdef", "az-0123456789abcdef"}) {
    EXPECT_THAT(masked, Not(HasSubstr(secret)));
  }
  Json j = ParseJson(masked).value();
  EXPECT_EQ(j["token"], "****cdef");
  EXPECT_EQ(j["accessToken"], "****cdef");
  EXPECT_EQ(j["authorization"], "Bearer ****cdef");
  EXPECT_EQ(j["keywords"], Json({"invoice"}));
  EXPECT_EQ(j["keywordKeys"], Json({"date"}));
  EXPECT_EQ(j["title"], "token talk");
  for (const char* n :
       {"token", "client_secret", "refresh_token", "accessToken", "API_KEY", "shareToken"})
    EXPECT_TRUE(IsSecretField(n)) << n;
  for (const char* n : {"keyword", "keywords", "title", "id", "auth_header"})
    EXPECT_FALSE(IsSecretField(n)) << n;
}

TEST(MaskBody, TextPairsEndingInASecretWordAreMasked) {
  std::string form = "refresh_token=rt-0123456789abcdef&client_secret=cs-0123456789abcdef&page=2";
  std::string masked = MaskBody(form);
  EXPECT_EQ(masked, "refresh_token=****cdef&client_secret=****cdef&page=2");
  EXPECT_EQ(MaskUrl("/x?accessToken=at-0123456789abcdef&q=1"), "/x?accessToken=****cdef&q=1");
  // Each value is masked once, whatever number of secret words its name ends with.
  EXPECT_EQ(MaskBody("api_token=tm_test_abcdef0123456789"), "api_token=tm_test_****6789");
  EXPECT_EQ(MaskBody("keywords=invoice&keyword=a"), "keywords=invoice&keyword=a");
  // Linear: a long run of separators after a long name does not rescan the name.
  std::string big = std::string(1 << 20, 'a') + std::string(1 << 20, ':');
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(MaskBody(big).size(), big.size());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(MaskBody, MasksSecretMembersAnywhereInJson) {
  Json body = {{"api_token", kToken},
               {"post", {{"title", "hello"}, {"author", {{"password", "correct-horse-battery"}}}}},
               {"items", {{{"api_key", kInvKey}}, {{"name", "x"}}}},
               {"ApiSecret", "another-secret-0123456789"},
               {"count", 3}};
  std::string masked = MaskBody(DumpJson(body));
  for (const char* secret :
       {kToken, "correct-horse-battery", kInvKey, "another-secret-0123456789"}) {
    EXPECT_THAT(masked, Not(HasSubstr(secret)));
  }
  auto parsed = ParseJson(masked);
  ASSERT_TRUE(parsed.ok()) << masked;
  const Json& j = *parsed;
  EXPECT_EQ(j["api_token"], "****cdef");
  EXPECT_EQ(j["post"]["title"], "hello");
  EXPECT_EQ(j["post"]["author"]["password"], "****tery");
  EXPECT_EQ(j["items"][0]["api_key"], "inv_****2e1d");
  EXPECT_EQ(j["items"][1]["name"], "x");
  EXPECT_EQ(j["ApiSecret"], "****6789");
  EXPECT_EQ(j["count"], 3);
}

TEST(MaskBody, MasksSecretsThatAreNotStrings) {
  // A numeric PIN or an object-valued secret must not slip through because of its type.
  Json body = {{"password", 12345678901234},
               {"api_token", {{"value", "nested-secret-value"}}},
               {"secret", true},
               {"api_key", nullptr}};
  std::string masked = MaskBody(DumpJson(body));
  EXPECT_THAT(masked, Not(HasSubstr("12345678901234")));
  EXPECT_THAT(masked, Not(HasSubstr("nested-secret-value")));
  auto parsed = ParseJson(masked);
  ASSERT_TRUE(parsed.ok()) << masked;
  EXPECT_TRUE((*parsed)["password"].is_string());
  EXPECT_EQ((*parsed)["secret"], "****");
  EXPECT_TRUE((*parsed)["api_key"].is_null());  // nothing to hide
}

TEST(MaskBody, MasksTopLevelArrays) {
  std::string masked =
      MaskBody(R"([{"api_token":"tm_test_abcdef0123456789"},[{"secret":"zzzzzzzzzzzzzzzz"}]])");
  EXPECT_THAT(masked, Not(HasSubstr(kTestKey)));
  EXPECT_THAT(masked, Not(HasSubstr("zzzzzzzzzzzzzzzz")));
  EXPECT_THAT(masked, HasSubstr("tm_test_****6789"));
}

TEST(MaskBody, MasksJsonLikePairsInTextThatIsNotJson) {
  // Truncated JSON (a journal entry cut at 64 KiB) is not parseable: masked textually.
  std::string truncated =
      std::string(R"({"title":"x","api_token": ")") + kToken + R"(","body":"abc)";
  std::string masked = MaskBody(truncated);
  EXPECT_THAT(masked, Not(HasSubstr(kToken)));
  EXPECT_THAT(masked, HasSubstr(R"("api_token": "****cdef")"));
  EXPECT_THAT(masked, HasSubstr(R"("title":"x")"));

  std::string compact = std::string(R"(garbage "API_TOKEN":")") + kToken + R"(" more)";
  EXPECT_THAT(MaskBody(compact), Not(HasSubstr(kToken)));
}

TEST(MaskBody, MasksFormEncodedPairs) {
  std::string form =
      std::string("title=hi&api_token=") + kToken + "&password=pa55word-long-enough&x=1";
  std::string masked = MaskBody(form);
  EXPECT_THAT(masked, Not(HasSubstr(kToken)));
  EXPECT_THAT(masked, Not(HasSubstr("pa55word-long-enough")));
  EXPECT_THAT(masked, HasSubstr("title=hi&api_token=****cdef&"));
  EXPECT_THAT(masked, HasSubstr("&x=1"));
  // Names that merely contain a secret name are left alone.
  EXPECT_EQ(MaskBody("my_api_token_label=visible"), "my_api_token_label=visible");
}

TEST(MaskBody, LeavesOrdinaryBodiesAlone) {
  EXPECT_EQ(MaskBody(""), "");
  EXPECT_EQ(MaskBody("plain text"), "plain text");
  EXPECT_EQ(MaskBody(R"({"title":"台北","n":1})"), R"({"n":1,"title":"台北"})");
}

TEST(MaskBody, SurvivesHostileBodies) {
  // Invalid UTF-8 and NULs: JSON path replaces bad bytes, text path keeps the bytes.
  std::string bad = std::string("{\"api_token\":\"") + kToken + "\",\"x\":\"\xff\xfe\"}";
  EXPECT_THAT(MaskBody(bad), Not(HasSubstr(kToken)));
  std::string with_nul("api_token=abcdefghijklmnop\0tail", 31);
  EXPECT_THAT(MaskBody(with_nul), Not(HasSubstr("abcdefghijklmnop")));
  // Deep nesting does not exhaust the stack.
  std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_NO_THROW((void)MaskBody(deep));
  std::string deep_obj;
  for (int i = 0; i < 50'000; ++i) deep_obj += "{\"a\":";
  deep_obj += "{\"api_token\":\"" + std::string(kToken) + "\"}";
  for (int i = 0; i < 50'000; ++i) deep_obj += "}";
  EXPECT_THAT(MaskBody(deep_obj), Not(HasSubstr(kToken)));
  // A secret name at the very end, without a value.
  EXPECT_EQ(MaskBody("x api_token"), "x api_token");
  EXPECT_EQ(MaskBody("api_token="), "api_token=****");
}

TEST(MaskUrl, MasksSecretQueryParameters) {
  std::string url = std::string("https://h/api/v1/posts?page=2&api_token=") + kToken + "&q=a%20b";
  std::string masked = MaskUrl(url);
  EXPECT_EQ(masked, "https://h/api/v1/posts?page=2&api_token=****cdef&q=a%20b");
  EXPECT_EQ(MaskUrl("https://h/x?API_KEY=abcdefghijklmnopqrst"), "https://h/x?API_KEY=****qrst");
  EXPECT_EQ(MaskUrl("https://h/no-query"), "https://h/no-query");
  EXPECT_EQ(MaskUrl("/p?keep=1"), "/p?keep=1");
}

TEST(RedactKnownSecrets, ReplacesEveryOccurrence) {
  std::string text = std::string("key ") + kTestKey + " rejected; retry with " + kTestKey + "!";
  std::string out = RedactKnownSecrets(text, {kTestKey, kToken});
  EXPECT_EQ(out, "key tm_test_****6789 rejected; retry with tm_test_****6789!");
  EXPECT_THAT(RedactKnownSecrets(std::string("t=") + kToken, {kTestKey, kToken}),
              Not(HasSubstr(kToken)));
  // Empty and tiny "secrets" would redact ordinary words: they are ignored.
  EXPECT_EQ(RedactKnownSecrets("a bc abc", {"", "a", "bc", "abc"}), "a bc abc");
  EXPECT_EQ(RedactKnownSecrets("nothing here", {}), "nothing here");
  // Adjacent copies.
  std::string twice = std::string(kToken) + kToken;
  EXPECT_EQ(RedactKnownSecrets(twice, {kToken}), "****cdef****cdef");
}

}  // namespace
}  // namespace restbox::core

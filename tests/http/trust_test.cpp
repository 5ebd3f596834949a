// restbox-mock's trust boundary as pure functions (mock-server/http trust.hpp): loopback names
// and addresses, the Host and Origin allow-lists, the admin-token decision, log escaping and the
// webhook destination check (with a fake resolver: no test names a real private or public
// address; the non-loopback answers here are 0.0.0.0 and ::, which no packet ever leaves for).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "restbox/mock/trust.hpp"

namespace restbox::mock {
namespace {

using ::testing::HasSubstr;

TEST(Trust, LoopbackAddressesAreCanonical127And1) {
  for (const char* ip :
       {"127.0.0.1", "127.255.255.254", "127.0.0.2", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(IsLoopbackAddress(ip)) << ip;
  for (const char* ip : {"0.0.0.0", "::", "::ffff:0.0.0.0", "255.255.255.255", "127.1",
                         "0x7f.0.0.1", "2130706433", "localhost", "", "[::1]", "127.0.0.1 "})
    EXPECT_FALSE(IsLoopbackAddress(ip)) << ip;
}

TEST(Trust, LoopbackNamesAreLocalhostAndItsSubdomains) {
  for (const char* host :
       {"localhost", "LOCALHOST", "localhost.", "app.localhost", "127.0.0.1", "[::1]", "::1"})
    EXPECT_TRUE(IsLoopbackName(host)) << host;
  for (const char* host : {"localhost.attacker.example", "xlocalhost", ".localhost",
                           "127.0.0.1.attacker.example", "0.0.0.0", "", "local"})
    EXPECT_FALSE(IsLoopbackName(host)) << host;
}

TEST(Trust, AListenerBeyondLoopbackNeedsAnAdminToken) {
  for (const char* host : {"127.0.0.1", "127.0.0.5", "::1", "localhost"})
    EXPECT_FALSE(AdminTokenRequired(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "devbox.lan", ""})
    EXPECT_TRUE(AdminTokenRequired(host)) << host;
  std::string a = GenerateAdminToken(), b = GenerateAdminToken();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

TEST(Trust, ParsesAuthorities) {
  auto a = ParseAuthority("Example.COM:8080");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "example.com");
  EXPECT_EQ(a->port, 8080);
  auto v6 = ParseAuthority("[0:0::1]:3000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 3000);
  auto plain = ParseAuthority("localhost.");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "localhost");
  EXPECT_EQ(plain->port, 0);
  for (const char* bad :
       {"", ":80", "::1", "[::1", "[nope]:1", "a:b", "a:70000", "a b", "a/b", "a@b", "a:1:2"})
    EXPECT_FALSE(ParseAuthority(bad)) << bad;
}

TEST(TrustPolicy, HostsAreLoopbackTheBoundAddressOrAllowedNames) {
  TrustPolicy policy({.bind_host = "127.0.0.1", .port = 8080});
  for (const char* ok : {"localhost", "localhost:8080", "LOCALHOST:1", "127.0.0.1:8080",
                         "127.9.9.9", "[::1]:8080", "app.localhost:3000"})
    EXPECT_TRUE(policy.HostAllowed(ok)) << ok;
  for (const char* bad :
       {"rebind.attacker.example", "rebind.attacker.example:8080", "localhost.attacker.example",
        "127.0.0.1.attacker.example", "", "[::1", "::1", "0.0.0.0:8080", "hook.invalid"})
    EXPECT_FALSE(policy.HostAllowed(bad)) << bad;

  TrustPolicy any_interface({.bind_host = "0.0.0.0", .port = 8080});
  EXPECT_TRUE(any_interface.HostAllowed("0.0.0.0:8080"));
  EXPECT_FALSE(any_interface.HostAllowed("rebind.attacker.example"));

  TrustPolicy named({.bind_host = "127.0.0.1", .port = 8080, .allow_hosts = {"devbox.test"}});
  EXPECT_TRUE(named.HostAllowed("DevBox.test:1234"));
  EXPECT_TRUE(named.HostAllowed("devbox.test."));
  EXPECT_FALSE(named.HostAllowed("other.test"));
  EXPECT_FALSE(named.HostAllowed("sub.devbox.test"));

  TrustPolicy open({.allow_hosts = {"*"}});
  EXPECT_TRUE(open.HostAllowed("anything.example:1"));
  EXPECT_FALSE(open.HostAllowed("bad host"));
}

TEST(TrustPolicy, OriginsAreLoopbackPagesTheirOwnPagesOrAllowedOnes) {
  TrustPolicy policy({.bind_host = "127.0.0.1", .port = 8080});
  for (const char* ok :
       {"http://localhost:5173", "https://127.0.0.1:1", "http://[::1]", "http://app.localhost"})
    EXPECT_TRUE(policy.OriginAllowed(ok, "127.0.0.1:8080")) << ok;
  for (const char* bad :
       {"http://attacker.example", "null", "", "file://", "http://localhost.attacker.example"})
    EXPECT_FALSE(policy.OriginAllowed(bad, "127.0.0.1:8080")) << bad;

  // The page's own origin: the Host it was loaded from, once that Host is allowed.
  TrustPolicy named({.bind_host = "127.0.0.1", .port = 8080, .allow_hosts = {"devbox.test"}});
  EXPECT_TRUE(named.OriginAllowed("http://devbox.test:8080", "devbox.test:8080"));
  EXPECT_TRUE(named.OriginAllowed("http://devbox.test", "devbox.test:80"));
  EXPECT_FALSE(named.OriginAllowed("http://devbox.test:9090", "devbox.test:8080"));
  EXPECT_FALSE(named.OriginAllowed("https://devbox.test:8080", "devbox.test:8080"));
  EXPECT_FALSE(
      policy.OriginAllowed("http://rebind.attacker.example:8080", "rebind.attacker.example:8080"));

  TrustPolicy bound({.bind_host = "0.0.0.0", .port = 8080});
  EXPECT_TRUE(bound.OriginAllowed("http://0.0.0.0:8080", ""));
  EXPECT_FALSE(bound.OriginAllowed("http://0.0.0.0:8081", ""));

  TrustPolicy widened({.allow_origins = {"http://DevBox.test:5173/", "null"}});
  EXPECT_TRUE(widened.OriginAllowed("http://devbox.test:5173", ""));
  EXPECT_FALSE(widened.OriginAllowed("http://devbox.test:5174", ""));
  EXPECT_FALSE(widened.OriginAllowed("https://devbox.test:5173", ""));
  EXPECT_TRUE(widened.OriginAllowed("null", ""));
  EXPECT_TRUE(TrustPolicy::ValidOrigin("https://x.test:1"));
  EXPECT_TRUE(TrustPolicy::ValidOrigin("null"));
  EXPECT_FALSE(TrustPolicy::ValidOrigin("x.test"));
  EXPECT_FALSE(TrustPolicy::ValidOrigin("http://x.test/path"));
}

TEST(EscapeForLog, ControlCharactersCannotBreakOrForgeALine) {
  EXPECT_EQ(EscapeForLog("/a\r\n2026-01-01T00:00:00.000Z GET /admin 200"),
            "/a\\x0d\\x0a2026-01-01T00:00:00.000Z GET /admin 200");
  EXPECT_EQ(EscapeForLog("\x1b[31mred\x7f"), "\\x1b[31mred\\x7f");
  EXPECT_EQ(EscapeForLog(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(EscapeForLog("C:\\x0a"), "C:\\x5cx0a");  // a literal "\x0a" cannot pass for an escape
  EXPECT_EQ(EscapeForLog("/台北?q=1"), "/台北?q=1");
}

// A resolver with fixed answers that counts its calls.
struct FakeResolver {
  std::map<std::string, std::vector<std::string>> answers;
  std::shared_ptr<int> calls = std::make_shared<int>(0);
  HostResolver Get() const {
    return [answers = answers, calls = calls](
               const std::string& host, core::Duration) -> std::optional<std::vector<std::string>> {
      ++*calls;
      auto it = answers.find(host);
      if (it == answers.end()) return std::nullopt;
      return it->second;
    };
  }
};

std::string Refusal(const std::variant<WebhookDestination, std::string>& v) {
  auto* why = std::get_if<std::string>(&v);
  return why ? *why : std::string();
}

TEST(WebhookPolicy, LoopbackDestinationsPassWithTheirCheckedAddresses) {
  auto checked = CheckWebhookUrl("http://127.0.0.1:9/hook?x=1", {});
  auto* d = std::get_if<WebhookDestination>(&checked);
  ASSERT_TRUE(d) << Refusal(checked);
  EXPECT_EQ(d->scheme, "http");
  EXPECT_EQ(d->host, "127.0.0.1");
  EXPECT_EQ(d->port, 9);
  EXPECT_EQ(d->target, "/hook?x=1");
  EXPECT_EQ(d->addresses, std::vector<std::string>{"127.0.0.1"});

  auto v6 = CheckWebhookUrl("https://[::1]/h", {});
  ASSERT_TRUE(std::holds_alternative<WebhookDestination>(v6)) << Refusal(v6);
  EXPECT_EQ(std::get<WebhookDestination>(v6).port, 443);

  auto named = CheckWebhookUrl("http://localhost:9/h", {});
  ASSERT_TRUE(std::holds_alternative<WebhookDestination>(named)) << Refusal(named);
  for (const auto& a : std::get<WebhookDestination>(named).addresses)
    EXPECT_TRUE(IsLoopbackAddress(a)) << a;
}

TEST(WebhookPolicy, AnyNonLoopbackResolvedAddressRefusesTheName) {
  FakeResolver fake{{{"mixed.invalid", {"127.0.0.1", "0.0.0.0"}}, {"loop.invalid", {"::1"}}}};
  WebhookPolicy policy{.resolver = fake.Get()};
  std::string why = Refusal(CheckWebhookUrl("http://mixed.invalid/hook", policy));
  EXPECT_THAT(why, HasSubstr("only to this machine"));
  EXPECT_THAT(why, HasSubstr("mixed.invalid resolves to 0.0.0.0"));
  EXPECT_THAT(why, HasSubstr("--webhook-allow mixed.invalid:80"));
  EXPECT_EQ(*fake.calls, 1);  // resolved once, and the answer checked is the answer used

  auto loop = CheckWebhookUrl("http://loop.invalid:8000/hook", policy);
  ASSERT_TRUE(std::holds_alternative<WebhookDestination>(loop)) << Refusal(loop);
  EXPECT_EQ(std::get<WebhookDestination>(loop).addresses, std::vector<std::string>{"::1"});
  EXPECT_EQ(std::get<WebhookDestination>(loop).host,
            "loop.invalid");  // the Host header keeps the name

  EXPECT_THAT(Refusal(CheckWebhookUrl("http://0.0.0.0:9/", {})),
              HasSubstr("0.0.0.0 is not loopback"));
  EXPECT_THAT(Refusal(CheckWebhookUrl("http://[::]:9/", {})), HasSubstr("[::] is not loopback"));
}

TEST(WebhookPolicy, UnresolvableNamesAndOtherUrlsAreRefused) {
  EXPECT_THAT(Refusal(CheckWebhookUrl("http://hook.invalid/x", {})),
              HasSubstr("hook.invalid does not resolve"));
  EXPECT_THAT(Refusal(CheckWebhookUrl("ftp://127.0.0.1/x", {})), HasSubstr("http:// or https://"));
  EXPECT_THAT(Refusal(CheckWebhookUrl("/relative", {})), HasSubstr("http:// or https://"));
  EXPECT_THAT(Refusal(CheckWebhookUrl("http://127.0.0.1@hook.invalid/x", {})),
              HasSubstr("user information"));
}

TEST(WebhookPolicy, AllowEntriesAdmitExactlyTheirHostAndPort) {
  FakeResolver fake{{{"hooks.invalid", {"0.0.0.0"}}}};
  WebhookPolicy any_port{.allow = {*ParseWebhookAllow("HOOKS.invalid")}, .resolver = fake.Get()};
  EXPECT_TRUE(std::holds_alternative<WebhookDestination>(
      CheckWebhookUrl("http://hooks.invalid:1/x", any_port)));
  WebhookPolicy one_port{.allow = {*ParseWebhookAllow("hooks.invalid:8443")},
                         .resolver = fake.Get()};
  EXPECT_TRUE(std::holds_alternative<WebhookDestination>(
      CheckWebhookUrl("https://hooks.invalid:8443/x", one_port)));
  EXPECT_THAT(Refusal(CheckWebhookUrl("https://hooks.invalid/x", one_port)),
              HasSubstr("--webhook-allow hooks.invalid:443"));
  EXPECT_FALSE(std::holds_alternative<WebhookDestination>(
      CheckWebhookUrl("http://other.invalid:8443/x", one_port)));
  // An allowed name must still resolve.
  EXPECT_THAT(Refusal(CheckWebhookUrl("http://gone.invalid/x",
                                      {.allow = {*ParseWebhookAllow("gone.invalid")}})),
              HasSubstr("does not resolve"));

  auto v6 = ParseWebhookAllow("[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9000);
  for (const char* bad : {"", ":80", "a:b", "a:70000", "a b", "http://x"})
    EXPECT_FALSE(ParseWebhookAllow(bad)) << bad;
}

TEST(WebhookPolicy, ASlowResolverIsCutOffAtItsTimeout) {
  auto start = std::chrono::steady_clock::now();
  // A resolver that never answers in time is a name that does not resolve (the real one runs
  // getaddrinfo on a thread it can leave behind).
  WebhookPolicy slow{
      .resolver = [](const std::string&,
                     core::Duration timeout) -> std::optional<std::vector<std::string>> {
        return timeout.count() <= 200 ? std::nullopt
                                      : std::optional<std::vector<std::string>>({"127.0.0.1"});
      },
      .resolve_timeout = core::Duration(200)};
  EXPECT_THAT(Refusal(CheckWebhookUrl("http://slow.invalid/", slow)),
              HasSubstr("does not resolve"));
  auto real = ResolveHost("hook.invalid", core::Duration(3000));
  EXPECT_FALSE(real);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  auto literal = ResolveHost("::1", core::Duration(1));
  ASSERT_TRUE(literal);
  EXPECT_EQ(*literal, std::vector<std::string>{"::1"});
}

}  // namespace
}  // namespace restbox::mock

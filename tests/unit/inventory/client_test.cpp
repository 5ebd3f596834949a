// The typed client: client-side validation gives the server's error without sending, forced
// codes, the client-side rate windows.
#include <gtest/gtest.h>

#include <functional>

#include "inventory/harness.hpp"

namespace restbox::inventory {
namespace {

using testing::Chinese;
using testing::Harness;
using testing::Ready;

// One request the server refuses, as a call on a client.
struct BadCall {
  std::string name;
  std::function<core::Result<core::Empty>(Client&, const Harness&)> run;
};

template <typename T>
core::Result<core::Empty> Drop(core::Future<T> f) {
  auto r = Ready(std::move(f));
  if (!r.ok()) return core::Result<core::Empty>(r.error(), r.meta());
  return core::Empty{};
}

std::vector<BadCall> BadCalls() {
  return {
      {"title of 33 characters",
       [](Client& c, const Harness&) {
         return Drop(
             c.CreateTemplate({.image_url = "https://example.com/a.png", .title = Chinese(33)}));
       }},
      {"ftp image",
       [](Client& c, const Harness&) {
         return Drop(c.CreateTemplate({.image_url = "ftp://example.com/a.png", .title = "t"}));
       }},
      {"bad keyword",
       [](Client& c, const Harness&) {
         return Drop(c.CreateTemplate({.image_url = "https://example.com/a.png",
                                       .title = "t",
                                       .keywords = std::vector<std::string>{"d:@2025-02-30@"}}));
       }},
      {"template token that is not URL-safe",
       [](Client& c, const Harness&) { return Drop(c.GetTemplate("not a token!")); }},
      {"share of 59 minutes",
       [](Client& c, const Harness& h) {
         return Drop(
             c.ShareTemplate(h.Fix("template_token"), {.duration_minutes = 59, .tags = {"A"}}));
       }},
      {"revoke with a share token that is not URL-safe",
       [](Client& c, const Harness&) { return Drop(c.RevokeShare("tpl/../shr")); }},
      {"pageSize 101",
       [](Client& c, const Harness&) {
         ItemQuery q;
         q.page_size = 101;
         return Drop(c.ListItems(q));
       }},
      {"message of 201 characters",
       [](Client& c, const Harness& h) {
         return Drop(c.SendTemplate(
             h.Fix("template_token"),
             {.recipient_email = "recipient@example.com", .message = std::string(201, 'x')}));
       }},
  };
}

TEST(InventoryClient, ValidationStopsTheRequestWithTheServersError) {
  for (const auto& bad : BadCalls()) {
    Harness h;
    auto checked = h.Main(true);
    auto unchecked = h.Main(false);

    auto local = bad.run(checked, h);
    EXPECT_EQ(h.Requests(), 0u) << bad.name << ": nothing may be sent";
    auto remote = bad.run(unchecked, h);
    EXPECT_EQ(h.Requests(), 1u) << bad.name;
    ASSERT_FALSE(local.ok()) << bad.name;
    ASSERT_FALSE(remote.ok()) << bad.name;

    EXPECT_EQ(local.error().kind, core::ErrorKind::kClientValidation) << bad.name;
    EXPECT_EQ(local.error().http_status, 0) << bad.name;
    EXPECT_EQ(remote.error().kind, core::ErrorKind::kBadRequest) << bad.name;
    EXPECT_EQ(remote.error().http_status, 400) << bad.name;
    EXPECT_EQ(local.error().code, remote.error().code) << bad.name;
    // The server's message, after "not sent: " (nothing reached the server).
    EXPECT_TRUE(local.error().message.starts_with("not sent: " + remote.error().message))
        << bad.name << ": " << local.error().message;
    EXPECT_TRUE(local.error().not_sent) << bad.name;
    EXPECT_EQ(local.error().attempts, 0) << bad.name;
    EXPECT_EQ(local.error().details, remote.error().details) << bad.name;
  }
}

// The documents say nothing of a token's shape and only "about 50 characters" of a key's: the
// client sends what another server could accept, and only the server (here the mock, with its
// own formats) refuses it.
TEST(InventoryClient, TokensAndKeysOfOtherFormatsAreSent) {
  Harness h;
  auto client = h.Main(true);
  auto other_format = Ready(client.GetTemplate("encrypted_template_id"));
  EXPECT_EQ(h.Requests(), 1u);
  ASSERT_FALSE(other_format.ok());
  EXPECT_EQ(other_format.error().code, "INVALID_TOKEN");
  EXPECT_EQ(other_format.error().http_status, 400);
  auto short_key = Ready(h.MakeClient("inv_short", true).GetUserStats());
  EXPECT_EQ(h.Requests(), 2u);
  ASSERT_FALSE(short_key.ok());
  EXPECT_EQ(short_key.error().code, "INVALID_API_KEY");
  EXPECT_EQ(short_key.error().http_status, 401);
}

TEST(InventoryClient, MalformedKeyIsStoppedLikeTheServerWould) {
  Harness h;
  auto local = Ready(h.MakeClient("tm_test_notinventory", true).GetUserStats());
  EXPECT_EQ(h.Requests(), 0u);
  auto remote = Ready(h.MakeClient("tm_test_notinventory", false).GetUserStats());
  ASSERT_FALSE(local.ok());
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(local.error().code, "INVALID_API_KEY");
  EXPECT_EQ(remote.error().code, "INVALID_API_KEY");
  EXPECT_EQ(remote.error().http_status, 401);
  EXPECT_EQ(local.error().message, "not sent: " + remote.error().message);
  // A well-formed but unknown key can only be refused by the server.
  auto unknown = Ready(h.MakeClient("inv_" + std::string(43, 'Q')).GetUserStats());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, core::ErrorKind::kUnauthorized);
  EXPECT_EQ(unknown.error().message, "Invalid API key");
}

TEST(InventoryClient, SuccessDecodesTheDataPayload) {
  Harness h;
  auto client = h.Main();
  auto created =
      Ready(client.CreateTemplate({.image_url = "https://example.com/a.png",
                                   .title = Chinese(32),
                                   .keywords = std::vector<std::string>{"日期:@date@"}}));
  ASSERT_TRUE(created.ok()) << created.error().Describe();
  EXPECT_EQ(created.status(), 200);
  EXPECT_TRUE(IsWellFormedToken(created->token, TokenKind::kTemplate));
  EXPECT_EQ(created->title, Chinese(32));
  EXPECT_EQ(created->created_at, core::FormatIso8601(h.clock->Now()));
  auto detail = Ready(client.GetTemplate(created->token));
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->comment_mode, "independent");  // the documented default
  EXPECT_EQ(detail->keywords, std::vector<std::string>{"日期:@date@"});
  EXPECT_FALSE(detail->is_sharing);
}

TEST(InventoryClient, PreferCodeForcesOneRowAmongSeveralOfTheSameStatus) {
  Harness h;
  auto client = h.Main();
  RequestOptions forced;
  forced.headers.Set("Prefer", "code=NOT_SHARED");
  auto r = Ready(client.RevokeShare(h.Fix("share_token"), forced));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_EQ(r.error().code, "NOT_SHARED");
  forced.headers.Set("Prefer", "code=400");  // by status: the first 400 row of the endpoint
  EXPECT_EQ(Ready(client.RevokeShare(h.Fix("share_token"), forced)).error().code,
            "VALIDATION_ERROR");
  // A code the endpoint does not document is refused by the mock itself.
  forced.headers.Set("Prefer", "code=RECIPIENT_NOT_FOUND");
  auto undocumented = Ready(client.RevokeShare(h.Fix("share_token"), forced));
  ASSERT_FALSE(undocumented.ok());
  EXPECT_EQ(undocumented.error().http_status, 400);
  EXPECT_EQ(undocumented.error().code, "");
  // The share was never touched by the forced answers.
  EXPECT_TRUE(Ready(client.RevokeShare(h.Fix("share_token"))).ok());
}

TEST(InventoryClient, DocumentedWindowsKeepTheClientUnderTheLimit) {
  Harness h;
  ClientOptions o;
  o.transport = h.transport;
  o.base_url = "http://mock";
  o.clock = h.clock;
  o.scheduler = h.clock;
  o.retry.max_attempts = 1;
  o.api_key = h.Fix("api_key");
  o.rate_limit.windows = DocumentedRateWindows();
  o.rate_limit.mode = core::RateLimitMode::kFail;
  Client client(o);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(Ready(client.GetUserStats()).ok()) << i;
  auto refused = Ready(client.GetUserStats());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, core::ErrorKind::kClientRateLimited);
  EXPECT_EQ(h.Requests(), 60u);
  h.clock->Advance(std::chrono::minutes(1));
  EXPECT_TRUE(Ready(client.GetUserStats()).ok());
}

TEST(InventoryClient, KeyNeverAppearsInErrors) {
  Harness h;
  const std::string key = h.Fix("api_key");
  auto client = h.Main(false);
  auto r = Ready(client.GetItem("itm_AAAAAAAAAAAAAAAAAAAAAA"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NOT_FOUND");
  EXPECT_EQ(r.error().Describe().find(key), std::string::npos);
  for (const auto& entry : h.server->Journal()) {
    EXPECT_EQ(entry.request_headers.GetOr("Authorization", "").find(key), std::string::npos);
  }
}

TEST(InventoryClient, ServiceCodesAreInMeta) {
  Harness h;
  auto client = h.Main(false);
  auto stats = Ready(client.GetUserStats());
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats.meta().service_code, "");  // {"success":true,"data":…} carries no code
  auto missing = Ready(client.GetItem("itm_AAAAAAAAAAAAAAAAAAAAAA"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.meta().service_code, "NOT_FOUND");
  EXPECT_EQ(missing.meta().service_code, missing.error().code);
  EXPECT_EQ(missing.meta().service_message, missing.error().message);
  // Refused before sending: the service said nothing.
  auto refused = Ready(h.Main(true).GetItem("not a token!"));
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().not_sent);
  EXPECT_EQ(refused.meta().service_code, "");
}

}  // namespace
}  // namespace restbox::inventory

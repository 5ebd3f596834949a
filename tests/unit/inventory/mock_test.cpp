// The mocked service's behaviour on a ManualClock: shares on the clock, send + merge + ownership,
// rate limits and quota, keys (regenerate, delete, expiry), stats, paging, settings, persistence,
// and garbage input.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "inventory/harness.hpp"
#include "restbox/mock/inventory/inventory_module.hpp"

namespace restbox::inventory {
namespace {

using core::Json;
using testing::Harness;
using testing::Ready;
using namespace std::chrono_literals;

std::string CodeOf(const core::Error& e) {
  return e.code;
}

template <typename T>
std::string Code(core::Future<T> f) {
  auto r = Ready(std::move(f));
  return r.ok() ? "OK" : CodeOf(r.error());
}

bool Listed(const SharedTemplateList& list, const std::string& share_token) {
  for (const auto& s : list.shared_templates) {
    if (s.share_token == share_token) return true;
  }
  return false;
}

TEST(InventoryShares, ExpireOnTheClock) {
  Harness h;
  auto client = h.Main();
  const std::string tpl = h.Fix("template_token");
  auto share = Ready(client.ShareTemplate(tpl, {.duration_minutes = 60, .tags = {"a"}}));
  ASSERT_TRUE(share.ok()) << share.error().Describe();
  EXPECT_EQ(share->expires_at, core::FormatIso8601(h.clock->Now() + 60min));
  EXPECT_TRUE(Ready(client.GetTemplate(tpl))->is_sharing);
  EXPECT_EQ(Code(client.ShareTemplate(tpl, {.duration_minutes = 60, .tags = {"a"}})),
            "ALREADY_SHARED");

  h.clock->Advance(59min);
  EXPECT_TRUE(Listed(*Ready(client.ListSharedTemplates()), share->share_token));
  h.clock->Advance(1min);
  EXPECT_FALSE(Ready(client.GetTemplate(tpl))->is_sharing);
  EXPECT_FALSE(Listed(*Ready(client.ListSharedTemplates()), share->share_token));
  auto revoke = Ready(client.RevokeShare(share->share_token));
  ASSERT_FALSE(revoke.ok());
  EXPECT_EQ(revoke.error().code, "NOT_SHARED");
  EXPECT_EQ(revoke.error().message, "This share has expired");
  // Tick() recorded the expiry in the browsable state.
  bool recorded = false;
  const Json state = h.server->State();
  for (const auto& s : state["inventory"]["shares"]) {
    if (s["shareToken"] == share->share_token) recorded = s["state"] == "expired";
  }
  EXPECT_TRUE(recorded);
  // An expired share does not block a new one.
  EXPECT_EQ(Code(client.ShareTemplate(tpl, {.duration_minutes = 0, .tags = {"a"}})), "OK");
}

TEST(InventoryShares, UnlimitedShareNeverExpiresAndTagsAreUpperCased) {
  Harness h;
  auto client = h.Main();
  auto share = Ready(client.ShareTemplate(
      h.Fix("template_token"), {.duration_minutes = 0, .tags = {"gift", "Birthday", "生日"}}));
  ASSERT_TRUE(share.ok());
  EXPECT_FALSE(share->expires_at.has_value());
  EXPECT_EQ(share->tags, (std::vector<std::string>{"GIFT", "BIRTHDAY", "生日"}));
  h.clock->Advance(std::chrono::hours(24 * 400));
  auto list = Ready(client.ListSharedTemplates());
  ASSERT_TRUE(list.ok());
  ASSERT_TRUE(Listed(*list, share->share_token));
  for (const auto& s : list->shared_templates) {
    if (s.share_token == share->share_token) {
      EXPECT_FALSE(s.expires_at.has_value());
      EXPECT_EQ(s.tags, share->tags);
    }
  }
}

TEST(InventoryShares, RevokeThenRevokeAgainIsNotShared) {
  Harness h;
  auto client = h.Main();
  auto first = Ready(client.RevokeShare(h.Fix("share_token")));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->message, "共享已成功撤销");
  EXPECT_FALSE(Ready(client.GetTemplate(h.Fix("shared_template_token")))->is_sharing);
  auto again = Ready(client.RevokeShare(h.Fix("share_token")));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "NOT_SHARED");
  EXPECT_EQ(again.error().message, "This share has already been revoked");
  EXPECT_EQ(Code(client.ShareTemplate(h.Fix("shared_template_token"),
                                      {.duration_minutes = 60, .tags = {"x"}})),
            "OK");
}

TEST(InventorySend, MergesKeywordsAndCreatesTheRecipientsItem) {
  Harness h;
  auto sender = h.Main();
  auto recipient = h.MakeClient(h.Fix("recipient_key"));
  const std::string tpl = h.Fix("template_token");  // keywords 日期:@date@, 价格:0
  const auto before = Ready(recipient.ListItems())->pagination.total_items;

  auto sent = Ready(sender.SendTemplate(
      tpl, {.recipient_email = "RECIPIENT@example.com",
            .message = "送给你的礼物!",
            .keywords = std::vector<std::string>{"日期:2025-01-15", "姓名:张三"}}));
  ASSERT_TRUE(sent.ok()) << sent.error().Describe();
  EXPECT_EQ(sent->status, "sent");
  EXPECT_TRUE(IsWellFormedToken(sent->item_token, TokenKind::kItem));

  auto items = Ready(recipient.ListItems());
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(items->pagination.total_items, before + 1);
  ASSERT_FALSE(items->items.empty());
  EXPECT_EQ(items->items.front().token, sent->item_token);  // newest first
  auto item = Ready(recipient.GetItem(sent->item_token));
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->keywords, (std::vector<std::string>{"日期:2025-01-15", "价格:0", "姓名:张三"}));
  EXPECT_EQ(item->type, "stamp");
  EXPECT_EQ(item->sender_email, h.Fix("user_email"));
  EXPECT_EQ(item->message, "送给你的礼物!");
  // The sender does not see the recipient's item.
  EXPECT_EQ(Code(sender.GetItem(sent->item_token)), "NOT_FOUND");

  auto owned = Ready(sender.CheckOwnership(
      tpl, {.email = h.Fix("recipient_email"),
            .keyword_keys = std::vector<std::string>{"日期", "姓名", "缺失"}}));
  ASSERT_TRUE(owned.ok());
  EXPECT_TRUE(owned->has_item);
  ASSERT_TRUE(owned->item_tokens.has_value());
  EXPECT_EQ(owned->item_tokens->size(), 2u);  // the fixture's clone and this one
  EXPECT_EQ(owned->item_tokens->back(), sent->item_token);
  EXPECT_EQ(owned->keywords,
            (std::map<std::string, std::string>{{"日期", "2025-01-15"}, {"姓名", "张三"}}));

  auto not_owned = Ready(sender.CheckOwnership(tpl, {.email = h.Fix("second_user_email")}));
  ASSERT_TRUE(not_owned.ok());
  EXPECT_FALSE(not_owned->has_item);
  EXPECT_FALSE(not_owned->item_tokens.has_value());
  EXPECT_FALSE(not_owned->keywords.has_value());
}

TEST(InventorySend, CountsCopiesOfASharedTemplateAndChecksTheMerge) {
  Harness h;
  auto client = h.Main();
  auto copies = [&] {
    auto list = Ready(client.ListSharedTemplates());
    if (!list.ok()) return std::int64_t{-1};
    for (const auto& s : list->shared_templates) {
      if (s.share_token == h.Fix("share_token")) return s.copy_count;
    }
    return std::int64_t{-1};
  };
  const auto before = copies();
  ASSERT_TRUE(Ready(client.SendTemplate(h.Fix("shared_template_token"),
                                        {.recipient_email = h.Fix("recipient_email")}))
                  .ok());
  EXPECT_EQ(copies(), before + 1);

  EXPECT_EQ(Code(client.SendTemplate(h.Fix("template_token"),
                                     {.recipient_email = h.Fix("unknown_email")})),
            "RECIPIENT_NOT_FOUND");
  // 127 new keys are a valid request, but merged with the template's 2 they exceed 128.
  std::vector<std::string> many;
  for (int i = 0; i < 127; ++i) many.push_back("n" + std::to_string(i) + ":v");
  auto over = Ready(client.SendTemplate(
      h.Fix("template_token"), {.recipient_email = h.Fix("recipient_email"), .keywords = many}));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "VALIDATION_ERROR");
  EXPECT_EQ(
      over.error().details,
      (std::vector<core::FieldError>{{"keywords", "merged keywords must be at most 128 items"}}));
  many.pop_back();
  EXPECT_EQ(
      Code(client.SendTemplate(h.Fix("template_token"),
                               {.recipient_email = h.Fix("recipient_email"), .keywords = many})),
      "OK");
}

TEST(InventoryLimits, SixtyFirstRequestInAMinuteIsRefused) {
  Harness h;
  auto main_key = h.Main();
  for (int i = 0; i < 60; ++i) ASSERT_EQ(Code(main_key.GetUserStats()), "OK") << i;
  h.clock->Advance(30s);
  auto refused = Ready(main_key.GetUserStats());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(refused.error().kind, core::ErrorKind::kRateLimited);
  EXPECT_EQ(refused.error().retry_after, std::chrono::seconds(30));  // until the next minute
  EXPECT_EQ(refused.meta().headers.Get("Retry-After"), "30");
  // The limit is per key: another key of the same account still passes.
  EXPECT_EQ(Code(h.MakeClient(h.Fix("read_only_key")).GetUserStats()), "OK");
  h.clock->Advance(30s);
  auto stats = Ready(main_key.GetUserStats());
  ASSERT_TRUE(stats.ok());
  // The refused request counted nothing: 60 + 1 (read-only key) + this one.
  EXPECT_EQ(stats->api.monthly_used, 62);
}

TEST(InventoryLimits, MonthlyQuotaIsPerAccount) {
  Harness h;
  ASSERT_FALSE(
      h.server->ApplySettings("inventory", {{"account.user@example.com.monthly_limit", 3}}));
  auto main_key = h.Main();
  auto read_key = h.MakeClient(h.Fix("read_only_key"));
  EXPECT_EQ(Code(main_key.ListItems()), "OK");
  EXPECT_EQ(Code(read_key.ListTemplates()), "OK");
  EXPECT_EQ(Code(main_key.GetUserStats()), "OK");
  auto refused = Ready(read_key.GetUserStats());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(refused.error().message, "Rate limit exceeded: 3 requests this month (account quota)");
  // Other accounts are not affected; a new month starts afresh.
  EXPECT_EQ(Code(h.MakeClient(h.Fix("second_user_key")).GetUserStats()), "OK");
  h.clock->Advance(std::chrono::hours(24 * 31));
  auto stats = Ready(main_key.GetUserStats());
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->api.monthly_used, 1);
  EXPECT_EQ(stats->api.monthly_limit, 3);
}

TEST(InventoryStats, CountRealUsage) {
  Harness h;
  auto client = h.Main();
  ItemQuery active, pending;
  pending.status = "pending";
  const auto active_total = Ready(client.ListItems(active))->pagination.total_items;
  const auto pending_total = Ready(client.ListItems(pending))->pagination.total_items;
  ItemQuery stamps;
  stamps.type = "stamp";
  stamps.status = "active";
  const auto active_stamps = Ready(client.ListItems(stamps))->pagination.total_items;
  stamps.status = "pending";
  const auto pending_stamps = Ready(client.ListItems(stamps))->pagination.total_items;
  const auto templates = Ready(client.ListTemplates())->pagination.total_items;
  const auto sharing =
      static_cast<std::int64_t>(Ready(client.ListSharedTemplates())->shared_templates.size());

  h.clock->Advance(5s);
  auto stats = Ready(client.GetUserStats());
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->email, h.Fix("user_email"));
  EXPECT_EQ(stats->items.total, active_total + pending_total);
  EXPECT_EQ(stats->items.stamp, active_stamps + pending_stamps);
  EXPECT_EQ(stats->items.paper, stats->items.total - stats->items.stamp);
  ASSERT_TRUE(stats->templates.has_value());
  EXPECT_EQ(stats->templates->total, templates);
  EXPECT_EQ(stats->templates->sharing, sharing);
  EXPECT_EQ(stats->api.monthly_used, 7);  // the six calls above and this one
  EXPECT_EQ(stats->api.last_used_at, core::FormatIso8601(h.clock->Now()));
  EXPECT_EQ(stats->api.monthly_limit, h.fix["monthly_limit"].get<std::int64_t>());

  // Creating and sharing show up at once.
  auto created =
      Ready(client.CreateTemplate({.image_url = "https://example.com/a.png", .title = "new"}));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(
      Ready(client.ShareTemplate(created->token, {.duration_minutes = 60, .tags = {"N"}})).ok());
  auto after = Ready(client.GetUserStats());
  EXPECT_EQ(after->templates->total, templates + 1);
  EXPECT_EQ(after->templates->sharing, sharing + 1);
  EXPECT_EQ(after->shares->active, stats->shares->active + 1);
  EXPECT_EQ(after->api.monthly_used, 10);
}

TEST(InventoryKeys, RegenerationRevokesTheOldKey) {
  Harness h;
  const std::string old_key = h.Fix("api_key");
  auto new_key = mock::inventory::RegenerateKey(*h.server, "api_key");
  ASSERT_TRUE(new_key.has_value());
  EXPECT_NE(*new_key, old_key);
  EXPECT_TRUE(IsWellFormedApiKey(*new_key));
  EXPECT_EQ(h.server->Fixtures()["inventory"]["api_key"], *new_key);

  auto old_result = Ready(h.MakeClient(old_key).GetUserStats());
  ASSERT_FALSE(old_result.ok());
  EXPECT_EQ(old_result.error().code, "API_KEY_EXPIRED");
  EXPECT_EQ(old_result.error().http_status, 401);
  EXPECT_EQ(Code(h.MakeClient(*new_key).GetUserStats()), "OK");

  ASSERT_TRUE(mock::inventory::DeleteKey(*h.server, "api_key"));
  EXPECT_EQ(Code(h.MakeClient(*new_key).GetUserStats()), "INVALID_API_KEY");
  EXPECT_EQ(Code(h.MakeClient(old_key).GetUserStats()), "INVALID_API_KEY");
  EXPECT_EQ(h.server->Fixtures()["inventory"]["api_key"], "");
  // Generating again after a deletion gives access back.
  auto fresh = mock::inventory::RegenerateKey(*h.server, "api_key");
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(Code(h.MakeClient(*fresh).GetUserStats()), "OK");
  EXPECT_FALSE(mock::inventory::RegenerateKey(*h.server, "no_such_slot").has_value());
  EXPECT_FALSE(mock::inventory::DeleteKey(*h.server, "no_such_slot"));
}

TEST(InventoryKeys, ExpiryIsOnTheClock) {
  Harness h;
  const std::string at = core::FormatIso8601(h.clock->Now() + 1h);
  ASSERT_FALSE(h.server->ApplySettings("inventory", {{"key.api_key.expires_at", at}}));
  auto client = h.Main();
  EXPECT_EQ(Code(client.GetUserStats()), "OK");
  h.clock->Advance(1h);
  auto expired = Ready(client.GetUserStats());
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, "API_KEY_EXPIRED");
  EXPECT_EQ(expired.error().message, "API key expired at " + at);
  ASSERT_FALSE(h.server->ApplySettings("inventory", {{"key.api_key.expires_at", nullptr}}));
  EXPECT_EQ(Code(client.GetUserStats()), "OK");
}

TEST(InventoryKeys, ApiSwitchAndWriteScope) {
  Harness h;
  auto client = h.Main();
  ASSERT_FALSE(
      h.server->ApplySettings("inventory", {{"account.user@example.com.api_enabled", false}}));
  EXPECT_EQ(Code(client.ListItems()), "API_DISABLED");
  ASSERT_FALSE(h.server->ApplySettings("inventory", {{"account.user@example.com.api_enabled", true},
                                                     {"key.api_key.write_scope", false}}));
  EXPECT_EQ(Code(client.ListItems()), "OK");
  EXPECT_EQ(Code(client.RevokeShare(h.Fix("share_token"))), "SCOPE_DENIED");
}

TEST(InventorySettings, BadPatchChangesNothing) {
  Harness h;
  const Json before = *h.server->Settings("inventory");
  EXPECT_TRUE(h.server->ApplySettings("inventory", {{"rate_limit_per_minute", 5}, {"bogus", 1}}));
  EXPECT_TRUE(h.server->ApplySettings(
      "inventory", {{"rate_limit_per_minute", 5}, {"key.api_key.value", "inv_x"}}));
  EXPECT_TRUE(h.server->ApplySettings("inventory", {{"key.api_key.action", "rotate"}}));
  EXPECT_TRUE(
      h.server->ApplySettings("inventory", {{"account.nobody@example.com.api_enabled", false}}));
  EXPECT_TRUE(h.server->ApplySettings("inventory", {{"rate_limit_per_minute", 0}}));
  EXPECT_TRUE(h.server->ApplySettings("inventory", Json::array()));
  EXPECT_EQ(*h.server->Settings("inventory"), before);
  // The settings as read are a valid patch (a UI may post them back unchanged).
  EXPECT_FALSE(h.server->ApplySettings("inventory", before));
  EXPECT_EQ(*h.server->Settings("inventory"), before);
  EXPECT_FALSE(h.server->ApplySettings("inventory", {{"rate_limit_per_minute", 2}}));
  auto client = h.Main();
  EXPECT_EQ(Code(client.ListItems()), "OK");
  EXPECT_EQ(Code(client.ListItems()), "OK");
  EXPECT_EQ(Code(client.ListItems()), "RATE_LIMIT_EXCEEDED");
}

TEST(InventoryState, SurvivesARestart) {
  Harness first;
  auto client = first.Main();
  auto created = Ready(client.CreateTemplate({.image_url = "https://example.com/a.png",
                                              .title = "持久",
                                              .keywords = std::vector<std::string>{"日期:@date@"},
                                              .publish_date = "2026-01-01"}));
  ASSERT_TRUE(created.ok());
  auto share = Ready(client.ShareTemplate(created->token, {.duration_minutes = 60, .tags = {"K"}}));
  auto sent =
      Ready(client.SendTemplate(created->token, {.recipient_email = first.Fix("recipient_email")}));
  ASSERT_TRUE(share.ok() && sent.ok());
  auto regenerated = mock::inventory::RegenerateKey(*first.server, "second_user_key");
  ASSERT_TRUE(regenerated);
  const Json state = first.server->State();

  Harness second;
  ASSERT_FALSE(second.server->LoadState(state));
  auto again = second.Main();
  auto detail = Ready(again.GetTemplate(created->token));
  ASSERT_TRUE(detail.ok()) << detail.error().Describe();
  EXPECT_EQ(detail->title, "持久");
  EXPECT_TRUE(detail->is_sharing);
  EXPECT_EQ(detail->publish_date, std::optional<std::string>("2026-01-01"));
  EXPECT_TRUE(Ready(second.MakeClient(second.Fix("recipient_key")).GetItem(sent->item_token)).ok());
  EXPECT_EQ(Code(second.MakeClient(*regenerated).GetUserStats()), "OK");
  EXPECT_EQ(Code(second.MakeClient(first.Fix("second_user_key")).GetUserStats()),
            "API_KEY_EXPIRED");
  // A broken state is refused and changes nothing.
  auto broken = core::ParseJson(R"({"inventory":{"templates":[{"title":"no token"}]}})");
  ASSERT_TRUE(broken.ok());
  EXPECT_TRUE(second.server->LoadState(*broken));
  EXPECT_TRUE(Ready(again.GetTemplate(created->token)).ok());
}

TEST(InventoryPaging, PagesFiltersAndOrder) {
  Harness h;
  auto client = h.Main();
  auto all = Ready(client.ListItems());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->pagination.page, 1);
  EXPECT_EQ(all->pagination.page_size, 20);
  for (const auto& i : all->items) {
    EXPECT_EQ(i.status, "active");  // the default filter
    EXPECT_FALSE(i.keywords.has_value());
  }
  for (std::size_t i = 1; i < all->items.size(); ++i)
    EXPECT_GE(all->items[i - 1].created_at, all->items[i].created_at);

  ItemQuery q;
  q.page_size = 5;
  const auto total = all->pagination.total_items;
  const int pages = static_cast<int>((total + 4) / 5);
  std::set<std::string> seen;
  for (int p = 1; p <= pages + 1; ++p) {
    q.page = p;
    auto page = Ready(client.ListItems(q));
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->pagination.total_pages, pages);
    EXPECT_EQ(page->pagination.total_items, total);
    const auto expected = p <= pages ? std::min<std::int64_t>(5, total - (p - 1) * 5) : 0;
    EXPECT_EQ(static_cast<std::int64_t>(page->items.size()), expected) << "page " << p;
    for (const auto& i : page->items) seen.insert(i.token);
  }
  EXPECT_EQ(static_cast<std::int64_t>(seen.size()), total);

  q = {};
  q.type = "paper";
  auto papers = Ready(client.ListItems(q));
  ASSERT_TRUE(papers.ok());
  EXPECT_FALSE(papers->items.empty());
  for (const auto& i : papers->items) EXPECT_EQ(i.type, "paper");
  auto detail = Ready(client.GetItem(h.Fix("item_token")));
  ASSERT_TRUE(detail.ok());
  EXPECT_TRUE(detail->keywords.has_value());
  EXPECT_EQ(Code(client.GetItem(h.Fix("other_item_token"))), "NOT_FOUND");  // another user's item
}

// Any bytes, headers or paths get a documented error body, never a crash or a 500.
TEST(InventoryRobustness, GarbageGetsDocumentedErrors) {
  Harness h;
  const std::set<std::string> codes = {
      "INVALID_API_KEY",     "API_KEY_EXPIRED",   "API_DISABLED",  "SCOPE_DENIED",
      "FORBIDDEN",           "VALIDATION_ERROR",  "INVALID_TOKEN", "INVALID_IMAGE",
      "ALREADY_SHARED",      "NOT_SHARED",        "NOT_FOUND",     "RECIPIENT_NOT_FOUND",
      "RATE_LIMIT_EXCEEDED", "METHOD_NOT_ALLOWED"};
  std::mt19937 rng(1234);
  auto bytes = [&](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(rng() % 256));
    return s;
  };
  const std::string tpl = h.Fix("template_token");
  const std::vector<std::string> paths = {"/apiV1/templates",
                                          "/apiV1/templates/" + tpl + "/share",
                                          "/apiV1/templates/revoke",
                                          "/apiV1/templates/" + tpl + "/send",
                                          "/apiV1/templates/" + tpl + "/check-ownership",
                                          "/apiV1/templates/%00%ff/share",
                                          "/apiV1/items/" + std::string(5000, 'a'),
                                          "/apiV1/items?pageSize=1e400",
                                          "/apiV1/items?page=-9223372036854775808",
                                          "/apiV1/templates/shared/extra",
                                          "/apiV1"};
  const std::vector<std::string> bodies = {"",
                                           "null",
                                           "[]",
                                           "{",
                                           "\"x\"",
                                           "{\"title\":{}}",
                                           R"({"imageUrl":7,"title":[],"keywords":"x"})",
                                           R"({"durationMinutes":1e308,"tags":[null]})",
                                           R"({"shareToken":{"a":1}})",
                                           R"({"recipientEmail":"a@b.co","keywords":[1,2]})",
                                           R"({"email":"x","keywordKeys":[{}]})"};
  const std::vector<std::string> auths = {"Bearer " + h.Fix("api_key"),
                                          "Bearer " + h.Fix("read_only_key"),
                                          "",
                                          "Bearer",
                                          "Bearer inv_" + bytes(45),
                                          bytes(30)};
  int answered = 0;
  for (int round = 0; round < 3; ++round) {
    for (const auto& path : paths) {
      for (std::size_t b = 0; b < bodies.size() + 2; ++b) {
        core::HttpRequest req;
        req.method = (b % 3 == 0) ? core::Method::kGet : core::Method::kPost;
        req.url = path;
        req.body = b < bodies.size() ? bodies[b] : bytes(64);
        const std::string& auth = auths[(b + static_cast<std::size_t>(round)) % auths.size()];
        if (!auth.empty()) req.headers.Set("Authorization", auth);
        auto out = h.server->Process(req);
        ++answered;
        ASSERT_FALSE(out.drop);
        EXPECT_LT(out.response.status, 500) << path << " " << req.body;
        auto body = core::ParseJson(out.response.body);
        ASSERT_TRUE(body.ok()) << path;
        if (out.response.status == 200) continue;
        std::string code =
            core::JsonValueOr<std::string>(body->value("error", Json::object()), "code", "");
        EXPECT_TRUE(codes.count(code)) << path << " -> " << out.response.body;
      }
    }
    h.clock->Advance(1min);  // keep the per-minute limit from answering everything
  }
  EXPECT_GT(answered, 300);
}

}  // namespace
}  // namespace restbox::inventory

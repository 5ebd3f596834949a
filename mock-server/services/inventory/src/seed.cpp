// Inventory mock: the demo data of a reset (accounts, keys, items, templates) and the fixtures
// that name it.

#include "inventory_internal.hpp"

namespace restbox::mock::inventory {

void Module::Reset(std::uint64_t seed) {
  seed_ = seed;
  rng_.seed(RngSeed(seed));
  token_draws_ = 0;
  accounts_.clear();
  keys_.clear();
  items_.clear();
  templates_.clear();
  shares_.clear();
  rate_limit_per_minute_ = api::kRequestsPerMinute;
  const TimePoint now = context_->Now();

  AddAccount({.email = kUser, .created_at = "2024-01-01T00:00:00.000Z"});
  AddAccount({.email = kSecond, .created_at = "2024-03-01T00:00:00.000Z"});
  AddAccount({.email = kRecipient, .created_at = "2024-06-01T00:00:00.000Z"});
  AddAccount({.email = kDisabled, .created_at = "2024-07-01T00:00:00.000Z", .api_enabled = false});
  AddAccount({.email = kQuota, .created_at = "2024-08-01T00:00:00.000Z"});
  // The quota account has used its whole month (RATE_LIMIT_EXCEEDED at its first request).
  context_->limiter().SetWindows(AccountRateKey(kQuota), MonthWindow(api::kDefaultMonthlyLimit));
  context_->limiter().SetUsed(AccountRateKey(kQuota), "month", api::kDefaultMonthlyLimit, now);

  AddKey("api_key", kUser, true, std::nullopt);
  AddKey("read_only_key", kUser, false, std::nullopt);
  // A fixed instant in the past (not "now - 1 day"), so the expiry message is the same in every
  // mock process and on every clock: the conformance suite compares answers across processes.
  AddKey("expired_key", kUser, true, core::ParseIso8601("2025-12-31T00:00:00Z"));
  AddKey("second_user_key", kSecond, true, std::nullopt);
  AddKey("recipient_key", kRecipient, true, std::nullopt);
  AddKey("api_disabled_key", kDisabled, true, std::nullopt);
  AddKey("quota_exhausted_key", kQuota, true, std::nullopt);

  // Templates: a plain one (the seed's send example keywords), one being shared, one whose share
  // was revoked, and another user's shared template.
  const std::string member = Token(api::TokenKind::kTemplate, "template_token");
  AddTemplate({.token = member,
               .owner = kUser,
               .title = "会员卡",
               .content = "会员卡模板",
               .image_url = "https://example.com/stamps/member.png",
               .keywords = {"日期:@date@", "价格:0"}},
              now - 30 * kDay);
  const std::string birthday = Token(api::TokenKind::kTemplate, "shared_template_token");
  AddTemplate({.token = birthday,
               .owner = kUser,
               .title = "生日贺卡",
               .content = "生日快乐",
               .image_url = "https://example.com/stamps/birthday.png",
               .comment_mode = "shared",
               .keywords = {"日期:@date@", "金额:$50000KRW$", "地点:%首尔 江南%", "电话:#phone#"}},
              now - 20 * kDay);
  const std::string coupon = Token(api::TokenKind::kTemplate, "revoked_template_token");
  AddTemplate({.token = coupon,
               .owner = kUser,
               .title = "旧优惠券",
               .content = "已停用",
               .image_url = "https://example.com/stamps/coupon.png"},
              now - 10 * kDay);
  const std::string contract = Token(api::TokenKind::kTemplate, "other_template_token");
  AddTemplate({.token = contract,
               .owner = kSecond,
               .title = "合同章",
               .content = "合同专用",
               .image_url = "https://example.com/stamps/contract.png"},
              now - 5 * kDay);

  shares_.push_back({.share_token = Token(api::TokenKind::kShare, "share_token"),
                     .template_token = birthday,
                     .owner = kUser,
                     .tags = {"GIFT", "BIRTHDAY"},
                     .created_at = now - kDay / 2,
                     .expires_at = now + kDay / 2,
                     .copy_count = 5});
  shares_.push_back({.share_token = Token(api::TokenKind::kShare, "revoked_share_token"),
                     .template_token = coupon,
                     .owner = kUser,
                     .tags = {"COUPON"},
                     .created_at = now - 9 * kDay,
                     .expires_at = std::nullopt,
                     .state = "revoked"});
  shares_.push_back({.share_token = Token(api::TokenKind::kShare, "other_share_token"),
                     .template_token = contract,
                     .owner = kSecond,
                     .tags = {"CONTRACT"},
                     .created_at = now - 4 * kDay,
                     .expires_at = std::nullopt});

  // 24 items of the main user (18 active, 6 pending; papers and stamps) for paging and filters.
  for (int i = 0; i < 24; ++i) {
    const std::string n = std::to_string(i + 1);
    AddItem(kUser, now - (60 - i) * kDay,
            {.token = Token(api::TokenKind::kItem, i == 0 ? "item_token" : "item_" + n),
             .title = "物品 " + n,
             .content = "物品内容 " + n,
             .type = i % 3 == 2 ? "stamp" : "paper",
             .status = i % 4 == 3 ? "pending" : "active",
             .image_url = "https://example.com/items/" + n + ".png",
             .keywords = std::vector<std::string>{"编号:" + n}});
  }
  AddItem(kSecond, now - 3 * kDay,
          {.token = Token(api::TokenKind::kItem, "other_item_token"),
           .title = "合同",
           .content = "第二位用户的文件",
           .type = "paper",
           .status = "active",
           .image_url = "https://example.com/items/contract.png",
           .keywords = std::vector<std::string>{"签署:@2025-01-15@"}});
  // The recipient already holds one clone of the plain template (check-ownership answers true).
  AddItem(kRecipient, now - 2 * kDay,
          {.token = Token(api::TokenKind::kItem, "recipient_item_token"),
           .title = "会员卡",
           .content = "会员卡模板",
           .type = "stamp",
           .status = "active",
           .image_url = "https://example.com/stamps/member.png",
           .keywords = std::vector<std::string>{"日期:2025-01-15", "价格:0", "姓名:张三"},
           .template_token = member,
           .sender_email = kUser,
           .message = "送给你的礼物!"});
}

Json Module::Fixtures() const {
  Json f = {{"user_email", kUser},
            {"second_user_email", kSecond},
            {"recipient_email", kRecipient},
            {"api_disabled_email", kDisabled},
            {"quota_exhausted_email", kQuota},
            {"unknown_email", "nobody@example.com"},
            {"template_token", Token(api::TokenKind::kTemplate, "template_token")},
            {"shared_template_token", Token(api::TokenKind::kTemplate, "shared_template_token")},
            {"revoked_template_token", Token(api::TokenKind::kTemplate, "revoked_template_token")},
            {"other_template_token", Token(api::TokenKind::kTemplate, "other_template_token")},
            {"unknown_template_token", Token(api::TokenKind::kTemplate, "unknown_template_token")},
            {"share_token", Token(api::TokenKind::kShare, "share_token")},
            {"revoked_share_token", Token(api::TokenKind::kShare, "revoked_share_token")},
            {"other_share_token", Token(api::TokenKind::kShare, "other_share_token")},
            {"unknown_share_token", Token(api::TokenKind::kShare, "unknown_share_token")},
            {"item_token", Token(api::TokenKind::kItem, "item_token")},
            {"other_item_token", Token(api::TokenKind::kItem, "other_item_token")},
            {"recipient_item_token", Token(api::TokenKind::kItem, "recipient_item_token")},
            {"unknown_item_token", Token(api::TokenKind::kItem, "unknown_item_token")},
            {"rate_limit_per_minute", rate_limit_per_minute_},
            {"monthly_limit", api::kDefaultMonthlyLimit}};
  // The current key of every slot (a regeneration shows here; "" once deleted).
  for (const auto& k : keys_) f[k.id] = k.value;
  return f;
}

std::string Module::Token(api::TokenKind kind, std::string_view label) const {
  return DemoToken(seed_, kind, label);
}

void Module::AddAccount(Account a) {
  accounts_.push_back(std::move(a));
}

void Module::AddKey(std::string slot, std::string account, bool write,
                    std::optional<TimePoint> expires_at) {
  std::string value = DemoKey(seed_, slot);
  keys_.push_back({std::move(slot), std::move(account), std::move(value), write, expires_at, {}});
}

void Module::AddItem(std::string owner, TimePoint created, api::Item item) {
  item.created_at = item.updated_at = Iso(created);
  items_.push_back({std::move(item), std::move(owner)});
}

void Module::AddTemplate(StoredTemplate t, TimePoint created) {
  t.created_at = t.updated_at = Iso(created);
  templates_.push_back(std::move(t));
}

}  // namespace restbox::mock::inventory

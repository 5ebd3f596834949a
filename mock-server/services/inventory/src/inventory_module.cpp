// The Inventory app's external API, mocked (API-CONTRACT section 3).
//
// Order of checks for every request (the first that fails answers):
//   401 INVALID_API_KEY / API_KEY_EXPIRED -> 403 API_DISABLED -> 429 RATE_LIMIT_EXCEEDED (60 a
//   minute per key, the account's monthly quota; every authenticated request counts) ->
//   403 SCOPE_DENIED (a POST with a read-only key) -> 400 VALIDATION_ERROR (invalid JSON) ->
//   the shared validator (INVALID_TOKEN, VALIDATION_ERROR, INVALID_IMAGE; validation.hpp) ->
//   404 NOT_FOUND -> 403 FORBIDDEN -> the endpoint's own state rules (ALREADY_SHARED, NOT_SHARED,
//   RECIPIENT_NOT_FOUND, merged keywords over 128).
// [choices] Another user's item answers NOT_FOUND (FORBIDDEN is documented for templates only);
// lists are newest first; tags are upper-cased in ASCII; emails match case-insensitively; a share
// is active until revoked or until expiresAt (Tick() records expiry, the answers never depend on
// it having run).

#include "restbox/mock/inventory/inventory_module.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "restbox/inventory/models.hpp"
#include "restbox/inventory/spec.hpp"
#include "restbox/inventory/validation.hpp"
#include "restbox/mock/endpoint_table.hpp"

namespace restbox::mock::inventory {
namespace api = restbox::inventory;
using core::Json;
using core::TimePoint;

namespace {

constexpr std::chrono::hours kDay{24};
constexpr const char* kRevokedMessage = "共享已成功撤销";

struct Account {
  std::string email;
  std::string created_at;
  bool api_enabled = true;
  std::int64_t monthly_limit = api::kDefaultMonthlyLimit;
  std::optional<TimePoint> last_used;
};

// One key per slot; the slot keeps the values its regenerations replaced (API_KEY_EXPIRED).
struct KeySlot {
  std::string id;
  std::string account;
  std::string value;  // "" after deletion
  bool write_scope = true;
  std::optional<TimePoint> expires_at;
  std::vector<std::string> replaced;
};

struct StoredItem {
  api::Item item;
  std::string owner;
};

struct StoredTemplate {
  std::string token;
  std::string owner;
  std::string title;
  std::string content;
  std::string image_url;
  std::string comment_mode = "independent";
  std::vector<std::string> keywords;
  std::optional<std::string> publish_date;
  std::optional<std::string> valid_until;
  std::string created_at;
  std::string updated_at;
};

struct StoredShare {
  std::string share_token;
  std::string template_token;
  std::string owner;
  std::vector<std::string> tags;
  TimePoint created_at;
  std::optional<TimePoint> expires_at;
  std::string state = "active";  // active | revoked | expired
  std::int64_t copy_count = 0;
};

bool SameEmail(std::string_view a, std::string_view b) {
  return core::EqualsIgnoreCase(a, b);
}

// Deterministic demo values: the same seed gives the same keys and tokens after every reset.
struct SplitMix {
  std::uint64_t state;
  std::uint64_t operator()() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};
SplitMix Stream(std::uint64_t seed, std::string_view label) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a of the label
  for (char c : label) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return SplitMix{seed ^ h};
}
std::string DemoKey(std::uint64_t seed, std::string_view role) {
  return api::MakeApiKey(Stream(seed, role));
}
std::string DemoToken(std::uint64_t seed, api::TokenKind kind, std::string_view label) {
  return api::MakeToken(kind, Stream(seed, label));
}

std::string Iso(TimePoint t) {
  return core::FormatIso8601(t);
}
Json IsoOrNull(const std::optional<TimePoint>& t) {
  return t ? Json(Iso(*t)) : Json(nullptr);
}

std::string UpperAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// A query integer the validator has already accepted (or its default).
int QueryInt(const MockRequest& r, std::string_view name, int fallback) {
  auto v = r.QueryValue(name);
  if (!v || v->empty()) return fallback;
  double d = std::strtod(v->c_str(), nullptr);
  return std::isfinite(d) && d >= 1 && d <= 1e9 ? static_cast<int>(d) : fallback;
}

// One page of `all` (already filtered and ordered) plus the pagination block.
template <typename T>
std::pair<std::vector<T>, api::Pagination> Paginate(const std::vector<T>& all, int page,
                                                    int page_size) {
  api::Pagination p;
  p.page = page;
  p.page_size = page_size;
  p.total_items = static_cast<std::int64_t>(all.size());
  p.total_pages = static_cast<int>((all.size() + static_cast<std::size_t>(page_size) - 1) /
                                   static_cast<std::size_t>(page_size));
  std::vector<T> out;
  std::size_t first = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(page_size);
  for (std::size_t i = first; i < all.size() && out.size() < static_cast<std::size_t>(page_size);
       ++i)
    out.push_back(all[i]);
  return {std::move(out), p};
}

// ---- persistence (SaveState / LoadState): plain JSON, read without throwing ----
std::vector<std::string> Strings(const Json& j, std::string_view name) {
  std::vector<std::string> out;
  auto it = j.is_object() ? j.find(name) : j.end();
  if (!j.is_object() || it == j.end() || !it->is_array()) return out;
  for (const auto& s : *it) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}
std::optional<std::string> OptString(const Json& j, std::string_view name) {
  auto it = j.is_object() ? j.find(name) : j.end();
  if (!j.is_object() || it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}
std::optional<TimePoint> OptTime(const Json& j, std::string_view name) {
  auto s = OptString(j, name);
  return s ? core::ParseIso8601(*s) : std::nullopt;
}
Json OptJson(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

class Module final : public ServiceModule {
 public:
  const core::ServiceSpec& Spec() const override { return api::Spec(); }

  void Register(Router& router, MockContext& context) override {
    context_ = &context;
    // One function per endpoint, each after the same Before stage.
    RegisterBehind(router, Spec(), Endpoints(),
                   [this](const core::EndpointSpec& ep, Call& c) { return Before(ep, c); });
  }

  void Reset(std::uint64_t seed) override {
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
    AddAccount(
        {.email = kDisabled, .created_at = "2024-07-01T00:00:00.000Z", .api_enabled = false});
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
    AddTemplate(
        {.token = birthday,
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

  Json Fixtures() const override {
    Json f = {
        {"user_email", kUser},
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

  Json Settings() const override {
    Json s = {{"rate_limit_per_minute", rate_limit_per_minute_}};
    for (const auto& a : accounts_) {
      s["account." + a.email + ".api_enabled"] = a.api_enabled;
      s["account." + a.email + ".monthly_limit"] = a.monthly_limit;
    }
    for (const auto& k : keys_) {
      s["key." + k.id + ".value"] = k.value;
      s["key." + k.id + ".write_scope"] = k.write_scope;
      s["key." + k.id + ".expires_at"] = IsoOrNull(k.expires_at);
      s["key." + k.id + ".action"] = "";
    }
    return s;
  }

  std::optional<std::string> ApplySettings(const Json& patch) override {
    if (!patch.is_object()) return "settings must be a JSON object";
    // Validate the whole patch first, so a bad one changes nothing.
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      if (auto err = CheckSetting(it.key(), *it)) return err;
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) ApplySetting(it.key(), *it);
    return std::nullopt;
  }

  Json SaveState() const override {
    return {{"accounts", JsonArray(accounts_, AccountJson)},
            {"keys", JsonArray(keys_, KeyJson)},
            {"templates", JsonArray(templates_, TemplateJson)},
            {"items", JsonArray(items_, ItemJson)},
            {"shares", JsonArray(shares_, ShareJson)},
            {"settings", {{"rate_limit_per_minute", rate_limit_per_minute_}}}};
  }

  std::optional<std::string> LoadState(const Json& state) override {
    if (!state.is_object()) return "state must be an object";
    auto list = [&](const char* name) -> const Json* {
      auto it = state.find(name);
      return it != state.end() && it->is_array() ? &*it : nullptr;
    };
    std::vector<Account> accounts;
    std::vector<KeySlot> keys;
    std::vector<StoredTemplate> templates;
    std::vector<StoredItem> items;
    std::vector<StoredShare> shares;
    if (const Json* a = list("accounts")) {
      for (const auto& j : *a) {
        auto email = OptString(j, "email");
        if (!email) return "account without email";
        accounts.push_back(
            {*email, OptString(j, "createdAt").value_or(""),
             core::JsonValueOr(j, "apiEnabled", true),
             core::JsonValueOr<std::int64_t>(j, "monthlyLimit", api::kDefaultMonthlyLimit),
             OptTime(j, "lastUsedAt")});
      }
    }
    if (const Json* k = list("keys")) {
      for (const auto& j : *k) {
        auto slot = OptString(j, "slot");
        auto account = OptString(j, "account");
        if (!slot || !account) return "key without slot or account";
        keys.push_back({*slot, *account, OptString(j, "value").value_or(""),
                        core::JsonValueOr(j, "writeScope", true), OptTime(j, "expiresAt"),
                        Strings(j, "replaced")});
      }
    }
    if (const Json* t = list("templates")) {
      for (const auto& j : *t) {
        auto token = OptString(j, "token");
        auto owner = OptString(j, "owner");
        if (!token || !owner) return "template without token or owner";
        templates.push_back(
            {*token, *owner, OptString(j, "title").value_or(""),
             OptString(j, "content").value_or(""), OptString(j, "imageUrl").value_or(""),
             OptString(j, "commentMode").value_or("independent"), Strings(j, "keywords"),
             OptString(j, "publishDate"), OptString(j, "validUntil"),
             OptString(j, "createdAt").value_or(""), OptString(j, "updatedAt").value_or("")});
      }
    }
    if (const Json* i = list("items")) {
      for (const auto& j : *i) {
        auto owner = OptString(j, "owner");
        auto item = core::ConvertJson<api::Item>(j);
        if (!owner || !item.ok()) return "item without token or owner";
        items.push_back({std::move(item.value()), *owner});
      }
    }
    if (const Json* s = list("shares")) {
      for (const auto& j : *s) {
        auto token = OptString(j, "shareToken");
        auto tpl = OptString(j, "templateToken");
        auto owner = OptString(j, "owner");
        auto created = OptTime(j, "createdAt");
        if (!token || !tpl || !owner || !created)
          return "share without token, template, owner or createdAt";
        shares.push_back({*token, *tpl, *owner, Strings(j, "tags"), *created,
                          OptTime(j, "expiresAt"), OptString(j, "state").value_or("active"),
                          core::JsonValueOr<std::int64_t>(j, "copyCount", 0)});
      }
    }
    if (auto s = state.find("settings"); s != state.end()) {
      if (auto err = ApplySettings(*s)) return err;
    }
    accounts_ = std::move(accounts);
    keys_ = std::move(keys);
    templates_ = std::move(templates);
    items_ = std::move(items);
    shares_ = std::move(shares);
    return std::nullopt;
  }

  // Durable rows: one per account, key slot, template, item and share, keyed by its position
  // (OrderedRowKey), and one ("meta") for the settings and the draws of the token generator. A
  // write costs the records it touches. Positions are stable because records are only ever
  // appended (no endpoint deletes one; reset and import rewrite every row), and they keep the
  // order that SaveState and the newest-first lists show.
  bool HasRows() const override { return true; }

  std::vector<StateRow> Rows() const override {
    std::vector<StateRow> rows;
    const std::string service = Spec().id;
    auto add = [&](std::string_view collection, const auto& records, auto to_json) {
      for (std::size_t i = 0; i < records.size(); ++i)
        rows.push_back({service, std::string(collection), OrderedRowKey(i),
                        core::DumpJson(to_json(records[i]))});
    };
    add(kAccountRows, accounts_, AccountJson);
    add(kKeyRows, keys_, KeyJson);
    add(kTemplateRows, templates_, TemplateJson);
    add(kItemRows, items_, ItemJson);
    add(kShareRows, shares_, ShareJson);
    rows.push_back({service, "meta", "", core::DumpJson(MetaJson())});
    return rows;
  }

  // Rebuilt through LoadState (rows are checked like an imported state), then the token
  // generator continues where it stopped, so a restart never hands out a token again.
  std::optional<std::string> LoadRows(const std::vector<StateRow>& rows) override {
    static constexpr std::pair<std::string_view, const char*> kCollections[] = {
        {kAccountRows, "accounts"},
        {kKeyRows, "keys"},
        {kTemplateRows, "templates"},
        {kItemRows, "items"},
        {kShareRows, "shares"}};
    std::map<std::string_view, std::map<std::string, Json>> by_collection;
    Json meta = Json::object();
    for (const auto& row : rows) {
      auto parsed = core::ParseJson(row.value);
      if (!parsed.ok() || !parsed.value().is_object())
        return "row " + row.collection + "/" + row.key + " is not a JSON object";
      if (row.collection == "meta") {
        meta = std::move(parsed.value());
        continue;
      }
      auto known = std::find_if(std::begin(kCollections), std::end(kCollections),
                                [&](const auto& c) { return c.first == row.collection; });
      if (known == std::end(kCollections))
        return "unknown row collection '" + row.collection +
               "' (account, key, template, item, share, meta)";
      by_collection[known->first][row.key] = std::move(parsed.value());
    }
    Json state = Json::object();
    for (const auto& [collection, member] : kCollections) {
      Json records = Json::array();
      // Keys must be the positions 0..n-1: the next record appended takes key n.
      for (auto& [key, value] : by_collection[collection]) {
        if (key != OrderedRowKey(records.size()))
          return std::string(collection) + " rows must be numbered 0 to n-1 (" +
                 std::string(collection) + "/" + key + " found where " +
                 OrderedRowKey(records.size()) + " was expected)";
        records.push_back(std::move(value));
      }
      state[member] = std::move(records);
    }
    state["settings"] = meta.value("settings", Json::object());
    if (auto error = LoadState(state)) return error;
    token_draws_ = core::JsonValueOr<std::uint64_t>(meta, "token_draws", 0);
    rng_.seed(RngSeed(seed_));
    rng_.discard(token_draws_);
    return std::nullopt;
  }

  core::HttpResponse ErrorResponse(int status, const std::string& code,
                                   const std::string& message) const override {
    return Error({status, code.empty() ? DefaultCode(status) : code, message, {}});
  }

  bool OwnsPath(std::string_view path) const override {
    return path == "/apiV1" || path.starts_with("/apiV1/");
  }

  void Tick(TimePoint now) override {
    for (auto& s : shares_) {
      if (s.state != "active" || Active(s, now)) continue;
      s.state = "expired";
      PutShare(s);
    }
  }

 private:
  static constexpr const char* kUser = "user@example.com";
  static constexpr const char* kSecond = "second@example.com";
  static constexpr const char* kRecipient = "recipient@example.com";
  static constexpr const char* kDisabled = "disabled@example.com";
  static constexpr const char* kQuota = "quota@example.com";

  // Durable row collections (Rows, LoadRows).
  static constexpr std::string_view kAccountRows = "account";
  static constexpr std::string_view kKeyRows = "key";
  static constexpr std::string_view kTemplateRows = "template";
  static constexpr std::string_view kItemRows = "item";
  static constexpr std::string_view kShareRows = "share";

  // ---- records as JSON (SaveState and durable rows) ----
  template <typename T, typename ToJson>
  static Json JsonArray(const std::vector<T>& records, ToJson to_json) {
    Json out = Json::array();
    for (const auto& r : records) out.push_back(to_json(r));
    return out;
  }
  static Json AccountJson(const Account& a) {
    return {{"email", a.email},
            {"createdAt", a.created_at},
            {"apiEnabled", a.api_enabled},
            {"monthlyLimit", a.monthly_limit},
            {"lastUsedAt", IsoOrNull(a.last_used)}};
  }
  static Json KeyJson(const KeySlot& k) {
    return {{"slot", k.id},
            {"account", k.account},
            {"value", k.value},
            {"writeScope", k.write_scope},
            {"expiresAt", IsoOrNull(k.expires_at)},
            {"replaced", k.replaced}};
  }
  static Json TemplateJson(const StoredTemplate& t) {
    return {{"token", t.token},
            {"owner", t.owner},
            {"title", t.title},
            {"content", t.content},
            {"imageUrl", t.image_url},
            {"commentMode", t.comment_mode},
            {"keywords", t.keywords},
            {"publishDate", OptJson(t.publish_date)},
            {"validUntil", OptJson(t.valid_until)},
            {"createdAt", t.created_at},
            {"updatedAt", t.updated_at}};
  }
  static Json ItemJson(const StoredItem& i) {
    Json j = i.item;
    j["owner"] = i.owner;
    return j;
  }
  static Json ShareJson(const StoredShare& s) {
    return {{"shareToken", s.share_token},
            {"templateToken", s.template_token},
            {"owner", s.owner},
            {"tags", s.tags},
            {"createdAt", Iso(s.created_at)},
            {"expiresAt", IsoOrNull(s.expires_at)},
            {"state", s.state},
            {"copyCount", s.copy_count}};
  }
  Json MetaJson() const {
    return {{"settings", {{"rate_limit_per_minute", rate_limit_per_minute_}}},
            {"token_draws", token_draws_}};
  }

  // ---- durable rows of what just changed (MockContext::RowChanged; nothing without a store) ----
  // `record` is an element of `records`: its row key is its position.
  template <typename T, typename ToJson>
  void PutRow(std::string_view collection, const std::vector<T>& records, const T& record,
              ToJson to_json) {
    if (!context_->durable()) return;
    context_->RowChanged(collection,
                         OrderedRowKey(static_cast<std::size_t>(&record - records.data())),
                         core::DumpJson(to_json(record)));
  }
  void PutAccount(const Account& a) { PutRow(kAccountRows, accounts_, a, AccountJson); }
  void PutKey(const KeySlot& k) { PutRow(kKeyRows, keys_, k, KeyJson); }
  void PutTemplate(const StoredTemplate& t) { PutRow(kTemplateRows, templates_, t, TemplateJson); }
  void PutItem(const StoredItem& i) { PutRow(kItemRows, items_, i, ItemJson); }
  void PutShare(const StoredShare& s) { PutRow(kShareRows, shares_, s, ShareJson); }
  void PutMeta() {
    if (context_->durable()) context_->RowChanged("meta", "", core::DumpJson(MetaJson()));
  }

  // ---- fixtures and keys ----
  std::string Token(api::TokenKind kind, std::string_view label) const {
    return DemoToken(seed_, kind, label);
  }

  void AddAccount(Account a) { accounts_.push_back(std::move(a)); }
  void AddKey(std::string slot, std::string account, bool write,
              std::optional<TimePoint> expires_at) {
    std::string value = DemoKey(seed_, slot);
    keys_.push_back({std::move(slot), std::move(account), std::move(value), write, expires_at, {}});
  }
  void AddItem(std::string owner, TimePoint created, api::Item item) {
    item.created_at = item.updated_at = Iso(created);
    items_.push_back({std::move(item), std::move(owner)});
  }
  void AddTemplate(StoredTemplate t, TimePoint created) {
    t.created_at = t.updated_at = Iso(created);
    templates_.push_back(std::move(t));
  }

  // Keys and tokens count their draws (meta row), so LoadRows can put the generator back where
  // it was. Callers report the meta row.
  std::uint64_t Draw() {
    ++token_draws_;
    return rng_();
  }
  std::string NewKey() {
    return api::MakeApiKey([this] { return Draw(); });
  }
  std::string NewToken(api::TokenKind kind) {
    return api::MakeToken(kind, [this] { return Draw(); });
  }
  static std::uint64_t RngSeed(std::uint64_t seed) { return seed ^ 0x1A7E47041ULL; }

  Account* FindAccount(std::string_view email) {
    auto it = std::find_if(accounts_.begin(), accounts_.end(),
                           [&](const Account& a) { return SameEmail(a.email, email); });
    return it == accounts_.end() ? nullptr : &*it;
  }
  KeySlot* FindSlot(std::string_view id) {
    auto it =
        std::find_if(keys_.begin(), keys_.end(), [&](const KeySlot& k) { return k.id == id; });
    return it == keys_.end() ? nullptr : &*it;
  }
  StoredTemplate* FindTemplate(std::string_view token) {
    auto it = std::find_if(templates_.begin(), templates_.end(),
                           [&](const StoredTemplate& t) { return t.token == token; });
    return it == templates_.end() ? nullptr : &*it;
  }
  StoredShare* ActiveShareOf(std::string_view template_token, TimePoint now) {
    auto it = std::find_if(shares_.begin(), shares_.end(), [&](const StoredShare& s) {
      return s.template_token == template_token && Active(s, now);
    });
    return it == shares_.end() ? nullptr : &*it;
  }
  static bool Active(const StoredShare& s, TimePoint now) {
    return s.state == "active" && (!s.expires_at || now < *s.expires_at);
  }

  static std::string AccountRateKey(std::string_view email) {
    return "inventory:account:" + std::string(email);
  }
  static std::string KeyRateKey(std::string_view key) {
    return "inventory:key:" + std::string(key);
  }
  static std::vector<core::RateWindow> MonthWindow(std::int64_t limit) {
    return {{"month", core::WindowUnit::kMonth, limit}};
  }

  // ---- settings ----
  // Splits "<prefix><name><suffix>" and returns <name>.
  static std::optional<std::string> Middle(const std::string& s, std::string_view prefix,
                                           std::string_view suffix) {
    if (s.size() > prefix.size() + suffix.size() && s.starts_with(prefix) && s.ends_with(suffix))
      return s.substr(prefix.size(), s.size() - prefix.size() - suffix.size());
    return std::nullopt;
  }

  std::optional<std::string> CheckSetting(const std::string& name, const Json& v) {
    auto non_negative = [&](std::int64_t min) -> std::optional<std::string> {
      if (!v.is_number_integer() || v.get<std::int64_t>() < min)
        return name + " must be an integer of at least " + std::to_string(min);
      return std::nullopt;
    };
    if (name == "rate_limit_per_minute") return non_negative(1);
    if (auto email = Middle(name, "account.", ".api_enabled")) {
      if (!FindAccount(*email)) return "unknown account '" + *email + "'";
      if (!v.is_boolean()) return name + " must be true or false";
      return std::nullopt;
    }
    if (auto email = Middle(name, "account.", ".monthly_limit")) {
      if (!FindAccount(*email)) return "unknown account '" + *email + "'";
      return non_negative(0);
    }
    for (std::string_view field : {".value", ".write_scope", ".expires_at", ".action"}) {
      auto slot_id = Middle(name, "key.", field);
      if (!slot_id) continue;
      KeySlot* slot = FindSlot(*slot_id);
      if (!slot) return "unknown key slot '" + *slot_id + "'";
      if (field == ".value") {
        if (!v.is_string() || v.get<std::string>() != slot->value)
          return name + " is read-only (use key." + *slot_id + ".action)";
      } else if (field == ".write_scope") {
        if (!v.is_boolean()) return name + " must be true or false";
      } else if (field == ".expires_at") {
        if (!v.is_null() && !(v.is_string() && core::ParseIso8601(v.get<std::string>())))
          return name + " must be an ISO 8601 date-time or null";
      } else {
        std::string action = v.is_string() ? v.get<std::string>() : "?";
        if (action != "" && action != "regenerate" && action != "delete")
          return name + " must be \"regenerate\", \"delete\" or \"\"";
      }
      return std::nullopt;
    }
    return "unknown setting '" + name + "'";
  }

  // Only called with a name and value CheckSetting accepted.
  void ApplySetting(const std::string& name, const Json& v) {
    if (name == "rate_limit_per_minute") {
      rate_limit_per_minute_ = v.get<std::int64_t>();
      PutMeta();
    } else if (auto email = Middle(name, "account.", ".api_enabled")) {
      Account* account = FindAccount(*email);
      account->api_enabled = v.get<bool>();
      PutAccount(*account);
    } else if (auto email2 = Middle(name, "account.", ".monthly_limit")) {
      Account* account = FindAccount(*email2);
      account->monthly_limit = v.get<std::int64_t>();
      PutAccount(*account);
    } else if (auto id = Middle(name, "key.", ".write_scope")) {
      KeySlot* slot = FindSlot(*id);
      slot->write_scope = v.get<bool>();
      PutKey(*slot);
    } else if (auto id2 = Middle(name, "key.", ".expires_at")) {
      KeySlot* slot = FindSlot(*id2);
      slot->expires_at = v.is_null() ? std::nullopt : core::ParseIso8601(v.get<std::string>());
      PutKey(*slot);
    } else if (auto id3 = Middle(name, "key.", ".action")) {
      KeySlot* slot = FindSlot(*id3);
      const std::string action = v.get<std::string>();
      if (action == "regenerate") {
        if (!slot->value.empty()) slot->replaced.push_back(slot->value);
        slot->value = NewKey();
        slot->expires_at.reset();
        PutMeta();  // the generator's draws
      } else if (action == "delete") {
        slot->value.clear();
        slot->replaced.clear();
      }
      if (!action.empty()) PutKey(*slot);
    }
    // "key.<slot>.value" is read-only: accepted unchanged, nothing to do.
  }

  // ---- answers ----
  static std::string DefaultCode(int status) {
    switch (status) {
      case 400:
        return std::string(api::kValidationError);
      case 401:
        return std::string(api::kInvalidApiKey);
      case 403:
        return std::string(api::kForbidden);
      case 404:
        return std::string(api::kNotFound);
      case 405:
        return "METHOD_NOT_ALLOWED";
      case 429:
        return std::string(api::kRateLimitExceeded);
      case 503:
        return "SERVICE_UNAVAILABLE";
      default:
        return status >= 500 ? "INTERNAL_ERROR" : "HTTP_" + std::to_string(status);
    }
  }
  static core::HttpResponse Error(const api::ApiError& e) {
    return JsonResponse(e.status, api::ErrorBody(e));
  }
  static core::HttpResponse Error(int status, std::string_view code, std::string message) {
    return Error(api::ApiError{status, std::string(code), std::move(message), {}});
  }
  static core::HttpResponse Ok(const Json& data) {
    return JsonResponse(200, api::SuccessBody(data));
  }

  struct Caller {
    KeySlot* key = nullptr;
    Account* account = nullptr;
  };

  // 401 / 403 API_DISABLED / 429, in that order; counts the request when it passes.
  std::optional<core::HttpResponse> Authenticate(const MockRequest& r, Caller& caller) {
    auto header = r.http.headers.Get("Authorization");
    if (auto problem = api::CheckAuthorization(header)) return Error(*problem);
    const std::string key(api::BearerKey(*header));
    for (auto& slot : keys_) {
      if (!slot.value.empty() && slot.value == key) {
        if (slot.expires_at && r.now >= *slot.expires_at)
          return Error(401, api::kApiKeyExpired, "API key expired at " + Iso(*slot.expires_at));
        caller.key = &slot;
        break;
      }
      if (std::find(slot.replaced.begin(), slot.replaced.end(), key) != slot.replaced.end())
        return Error(401, api::kApiKeyExpired,
                     "API key was revoked by a regeneration; use the new key");
    }
    if (!caller.key) return Error(401, api::kInvalidApiKey, "Invalid API key");
    caller.account = FindAccount(caller.key->account);
    if (!caller.account) return Error(401, api::kInvalidApiKey, "Invalid API key");
    if (!caller.account->api_enabled)
      return Error(403, api::kApiDisabled, "API access is disabled for this account");

    if (context_->limits_enabled()) {
      auto& limiter = context_->limiter();
      const std::string key_rate = KeyRateKey(key);
      const std::string account_rate = AccountRateKey(caller.account->email);
      limiter.SetWindows(key_rate, {{"minute", core::WindowUnit::kMinute, rate_limit_per_minute_}});
      limiter.SetWindows(account_rate, MonthWindow(caller.account->monthly_limit));
      // Peek both before counting either, so a refused request uses up nothing.
      for (const auto& [rate_key, what] :
           {std::pair{key_rate, std::string("requests per minute for this key")},
            std::pair{account_rate, std::string("requests this month (account quota)")}}) {
        core::RateDecision d = limiter.Peek(rate_key, r.now);
        if (d.allowed) continue;
        auto response = Error(429, api::kRateLimitExceeded,
                              "Rate limit exceeded: " + std::to_string(d.limit) + " " + what);
        auto seconds = std::max<std::int64_t>(
            1, std::chrono::ceil<std::chrono::seconds>(d.retry_after).count());
        response.headers.Set("Retry-After", std::to_string(seconds));
        response.headers.Set("X-RateLimit-Limit", std::to_string(d.limit));
        response.headers.Set("X-RateLimit-Remaining", "0");
        response.headers.Set("X-RateLimit-Reset", Iso(d.resets_at));
        return response;
      }
      limiter.Acquire(key_rate, r.now);
      limiter.Acquire(account_rate, r.now);
    }
    if (caller.account->last_used != r.now) {
      caller.account->last_used = r.now;
      PutAccount(*caller.account);  // lastUsedAt (user stats) moves with accepted requests
    }
    return std::nullopt;
  }

  // A request on its way to its endpoint's function.
  struct Call {
    MockRequest& r;
    Caller caller;
    Json body;  // parsed for POSTs
    const std::string& email() const { return caller.account->email; }
  };
  using EndpointFn = std::function<core::HttpResponse(Call&)>;

  // What every request gets before its endpoint's function: authentication and pacing (401, 403,
  // 429), write scope for POSTs, the JSON body parsed and the request checked against the endpoint
  // table (400). The answer when the request stops here.
  std::optional<core::HttpResponse> Before(const core::EndpointSpec& ep, Call& c) {
    MockRequest& r = c.r;
    if (auto refused = Authenticate(r, c.caller)) return refused;
    const bool is_post = ep.method == core::Method::kPost;
    if (is_post && !c.caller.key->write_scope)
      return Error(403, api::kScopeDenied, "This API key has no write scope");
    api::RequestParts parts;
    parts.path = r.params;
    parts.query = r.query;
    if (is_post) {
      auto parsed = core::ParseJson(r.http.body);
      if (!parsed.ok()) return Error(400, api::kValidationError, "Invalid JSON body");
      c.body = std::move(parsed.value());
      parts.body = &c.body;
    }
    if (auto problem = api::CheckRequest(ep, parts)) return Error(*problem);
    return std::nullopt;
  }

  // The function of each endpoint.
  EndpointTable<EndpointFn> Endpoints() {
    // Endpoints that act on one of the caller's templates (404 unknown, 403 another user's).
    auto own = [this](std::function<core::HttpResponse(Call&, StoredTemplate&)> fn) -> EndpointFn {
      return [this, fn = std::move(fn)](Call& c) {
        StoredTemplate* t = FindTemplate(c.r.Param("token"));
        if (!t) return Error(404, api::kNotFound, "Template not found");
        if (!SameEmail(t->owner, c.email()))
          return Error(403, api::kForbidden, "This template belongs to another user");
        return fn(c, *t);
      };
    };
    EndpointTable<EndpointFn> h;
    h.Add(api::kListItems, [this](Call& c) { return ListItems(c.r, c.email()); });
    h.Add(api::kGetItem, [this](Call& c) { return GetItem(c.r.Param("token"), c.email()); });
    h.Add(api::kListTemplates, [this](Call& c) { return ListTemplates(c.r, c.email()); });
    h.Add(api::kListSharedTemplates, [this](Call& c) { return ListShared(c.r, c.email()); });
    h.Add(api::kGetUserStats, [this](Call& c) { return Stats(c.r, *c.caller.account); });
    h.Add(api::kCreateTemplate, [this](Call& c) { return CreateTemplate(c.r, c.body, c.email()); });
    h.Add(api::kRevokeShare, [this](Call& c) { return Revoke(c.r, c.body, c.email()); });
    h.Add(api::kGetTemplate,
          own([this](Call& c, StoredTemplate& t) { return Ok(Detail(t, c.r.now)); }));
    h.Add(api::kShareTemplate,
          own([this](Call& c, StoredTemplate& t) { return ShareTemplate(c.r, c.body, t); }));
    h.Add(api::kSendTemplate,
          own([this](Call& c, StoredTemplate& t) { return Send(c.r, c.body, t); }));
    h.Add(api::kCheckOwnership,
          own([this](Call& c, StoredTemplate& t) { return CheckOwnership(c.body, t); }));
    return h;
  }

  core::HttpResponse ListItems(const MockRequest& r, const std::string& email) const {
    const std::string status = r.QueryValue("status").value_or("active");
    const std::string type = r.QueryValue("type").value_or("");
    std::vector<api::Item> matching;
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
      if (!SameEmail(it->owner, email) || it->item.status != status) continue;
      if (!type.empty() && it->item.type != type) continue;
      api::Item summary = it->item;
      summary.keywords.reset();  // the list shows no keywords (seed); the detail does
      matching.push_back(std::move(summary));
    }
    auto [page, pagination] =
        Paginate(matching, QueryInt(r, "page", 1), QueryInt(r, "pageSize", api::kDefaultPageSize));
    return Ok(Json(api::ItemList{std::move(page), pagination}));
  }

  core::HttpResponse GetItem(const std::string& token, const std::string& email) const {
    for (const auto& i : items_) {
      if (i.item.token == token && SameEmail(i.owner, email)) {
        api::Item detail = i.item;
        if (!detail.keywords) detail.keywords = std::vector<std::string>{};
        return Ok(Json(detail));
      }
    }
    return Error(404, api::kNotFound, "Item not found");
  }

  api::Template Summary(const StoredTemplate& t, TimePoint now) {
    api::Template s;
    s.token = t.token;
    s.title = t.title;
    s.content = t.content;
    s.image_url = t.image_url;
    s.comment_mode = t.comment_mode;
    s.is_sharing = ActiveShareOf(t.token, now) != nullptr;
    s.created_at = t.created_at;
    return s;
  }

  Json Detail(const StoredTemplate& t, TimePoint now) {
    api::Template d = Summary(t, now);
    d.keywords = t.keywords;
    d.publish_date = t.publish_date;
    d.valid_until = t.valid_until;
    d.updated_at = t.updated_at;
    return Json(d);
  }

  core::HttpResponse ListTemplates(const MockRequest& r, const std::string& email) {
    std::vector<api::Template> mine;
    for (auto it = templates_.rbegin(); it != templates_.rend(); ++it) {
      if (SameEmail(it->owner, email)) mine.push_back(Summary(*it, r.now));
    }
    auto [page, pagination] =
        Paginate(mine, QueryInt(r, "page", 1), QueryInt(r, "pageSize", api::kDefaultPageSize));
    return Ok(Json(api::TemplateList{std::move(page), pagination}));
  }

  core::HttpResponse ListShared(const MockRequest& r, const std::string& email) {
    api::SharedTemplateList out;
    for (auto it = shares_.rbegin(); it != shares_.rend(); ++it) {
      if (!SameEmail(it->owner, email) || !Active(*it, r.now)) continue;
      const StoredTemplate* t = FindTemplate(it->template_token);
      out.shared_templates.push_back(
          {it->template_token, it->share_token, t ? t->title : "", it->tags,
           it->expires_at ? std::optional(Iso(*it->expires_at)) : std::nullopt, it->copy_count});
    }
    return Ok(Json(out));
  }

  core::HttpResponse Stats(const MockRequest& r, const Account& account) {
    api::UserStats s;
    s.email = account.email;
    s.created_at = account.created_at;
    for (const auto& i : items_) {
      if (!SameEmail(i.owner, account.email)) continue;
      ++s.items.total;
      (i.item.type == "stamp" ? s.items.stamp : s.items.paper) += 1;
    }
    s.templates = api::UserStats::Templates{};
    s.shares = api::UserStats::Shares{};
    for (const auto& t : templates_) {
      if (!SameEmail(t.owner, account.email)) continue;
      ++s.templates->total;
      if (ActiveShareOf(t.token, r.now)) ++s.templates->sharing;
    }
    for (const auto& sh : shares_) {
      if (!SameEmail(sh.owner, account.email)) continue;
      ++s.shares->total;
      s.shares->copies += sh.copy_count;
      if (Active(sh, r.now)) ++s.shares->active;
    }
    s.api.enabled = account.api_enabled;
    s.api.monthly_limit = account.monthly_limit;
    for (const auto& w : context_->limiter().Snapshot(AccountRateKey(account.email), r.now)) {
      if (w.name == "month") s.api.monthly_used = w.used;
    }
    s.api.last_used_at = account.last_used ? std::optional(Iso(*account.last_used)) : std::nullopt;
    s.api.rate_limit_per_minute = rate_limit_per_minute_;
    return Ok(Json(s));
  }

  core::HttpResponse CreateTemplate(const MockRequest& r, const Json& body,
                                    const std::string& email) {
    StoredTemplate t;
    t.token = NewToken(api::TokenKind::kTemplate);
    t.owner = email;
    t.title = core::JsonValueOr<std::string>(body, "title", "");
    t.content = core::JsonValueOr<std::string>(body, "content", "");
    t.image_url = core::JsonValueOr<std::string>(body, "imageUrl", "");
    t.comment_mode = core::JsonValueOr<std::string>(body, "commentMode", "independent");
    t.keywords = core::JsonValueOr(body, "keywords", std::vector<std::string>{});
    t.publish_date = OptString(body, "publishDate");
    t.valid_until = OptString(body, "validUntil");
    AddTemplate(t, r.now);
    PutTemplate(templates_.back());
    PutMeta();
    return Ok(Json(api::CreatedTemplate{t.token, t.title, Iso(r.now)}));
  }

  core::HttpResponse ShareTemplate(const MockRequest& r, const Json& body,
                                   const StoredTemplate& t) {
    if (ActiveShareOf(t.token, r.now))
      return Error(400, api::kAlreadyShared, "This template is already being shared");
    StoredShare s;
    s.share_token = NewToken(api::TokenKind::kShare);
    s.template_token = t.token;
    s.owner = t.owner;
    for (const auto& tag : core::JsonValueOr(body, "tags", std::vector<std::string>{}))
      s.tags.push_back(UpperAscii(tag));
    s.created_at = r.now;
    auto minutes = core::JsonValueOr<std::int64_t>(body, "durationMinutes", 0);
    if (minutes > 0) s.expires_at = r.now + std::chrono::minutes(minutes);
    shares_.push_back(s);
    PutShare(shares_.back());
    PutMeta();
    return Ok(Json(api::Share{
        s.share_token, s.expires_at ? std::optional(Iso(*s.expires_at)) : std::nullopt, s.tags}));
  }

  core::HttpResponse Revoke(const MockRequest& r, const Json& body, const std::string& email) {
    const std::string token = core::JsonValueOr<std::string>(body, "shareToken", "");
    auto it = std::find_if(shares_.begin(), shares_.end(),
                           [&](const StoredShare& s) { return s.share_token == token; });
    if (it == shares_.end()) return Error(404, api::kNotFound, "Share not found");
    if (!SameEmail(it->owner, email))
      return Error(403, api::kForbidden, "This share belongs to another user");
    if (!Active(*it, r.now)) {
      return Error(400, api::kNotShared,
                   it->state == "revoked" ? "This share has already been revoked"
                                          : "This share has expired");
    }
    it->state = "revoked";
    PutShare(*it);
    return Ok(Json(api::RevokeResult{kRevokedMessage}));
  }

  core::HttpResponse Send(const MockRequest& r, const Json& body, const StoredTemplate& t) {
    const std::string recipient = core::JsonValueOr<std::string>(body, "recipientEmail", "");
    const Account* to = FindAccount(recipient);
    if (!to) return Error(404, api::kRecipientNotFound, "No account with this email");
    auto merged = api::MergeKeywords(
        t.keywords, core::JsonValueOr(body, "keywords", std::vector<std::string>{}));
    if (merged.size() > api::kMaxKeywords) {
      const std::string why =
          "merged keywords must be at most " + std::to_string(api::kMaxKeywords) + " items";
      return Error({400,
                    std::string(api::kValidationError),
                    "Invalid input: keywords " + why,
                    {{"keywords", why}}});
    }
    StoredItem item;
    item.owner = to->email;
    item.item.token = NewToken(api::TokenKind::kItem);
    item.item.title = t.title;
    item.item.content = t.content;
    item.item.type = "stamp";
    item.item.status = "active";
    item.item.image_url = t.image_url;
    item.item.keywords = std::move(merged);
    item.item.template_token = t.token;
    item.item.sender_email = t.owner;
    item.item.message = OptString(body, "message");
    item.item.created_at = item.item.updated_at = Iso(r.now);
    const std::string item_token = item.item.token;
    items_.push_back(std::move(item));
    PutItem(items_.back());
    PutMeta();
    if (StoredShare* share = ActiveShareOf(t.token, r.now)) {
      ++share->copy_count;
      PutShare(*share);
    }
    return Ok(Json(api::SendResult{item_token, recipient, "sent"}));
  }

  core::HttpResponse CheckOwnership(const Json& body, const StoredTemplate& t) const {
    const std::string email = core::JsonValueOr<std::string>(body, "email", "");
    api::Ownership out;
    const StoredItem* latest = nullptr;
    std::vector<std::string> tokens;
    for (const auto& i : items_) {
      if (SameEmail(i.owner, email) && i.item.template_token == t.token) {
        tokens.push_back(i.item.token);
        latest = &i;
      }
    }
    out.has_item = latest != nullptr;
    if (out.has_item) out.item_tokens = std::move(tokens);
    if (body.contains("keywordKeys") && body["keywordKeys"].is_array()) {
      std::map<std::string, std::string> values;
      for (const auto& key : core::JsonValueOr(body, "keywordKeys", std::vector<std::string>{})) {
        if (!latest || !latest->item.keywords) continue;
        for (const auto& k : *latest->item.keywords) {
          if (api::KeywordKey(k) == key) values[key] = k.substr(key.size() + 1);
        }
      }
      out.keywords = std::move(values);
    }
    return Ok(Json(out));
  }

  MockContext* context_ = nullptr;
  std::uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::vector<Account> accounts_;
  std::vector<KeySlot> keys_;
  std::vector<StoredItem> items_;
  std::vector<StoredTemplate> templates_;
  std::vector<StoredShare> shares_;
  std::int64_t rate_limit_per_minute_ = api::kRequestsPerMinute;
  std::uint64_t token_draws_ = 0;  // values drawn from rng_ since the seed (restored by LoadRows)
};

}  // namespace

std::unique_ptr<ServiceModule> MakeModule() {
  return std::make_unique<Module>();
}

std::optional<std::string> RegenerateKey(MockServer& server, std::string_view slot) {
  const std::string name = "key." + std::string(slot) + ".action";
  if (server.ApplySettings("inventory", {{name, "regenerate"}})) return std::nullopt;
  auto settings = server.Settings("inventory");
  return settings
             ? core::JsonValueOr<std::string>(*settings, "key." + std::string(slot) + ".value", "")
             : std::optional<std::string>();
}

bool DeleteKey(MockServer& server, std::string_view slot) {
  return !server.ApplySettings("inventory", {{"key." + std::string(slot) + ".action", "delete"}});
}

}  // namespace restbox::mock::inventory

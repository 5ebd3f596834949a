#pragma once
// The Inventory mock (API-CONTRACT section 3), private to its folder: the module class and what
// its files share. inventory_module.cpp: registration, the Before stage (keys, pacing, scope,
// validation), settings, answers and key management; items.cpp, templates.cpp, shares.cpp,
// stats.cpp: one resource each; state.cpp: SaveState/LoadState and durable rows; seed.cpp: the
// demo data and fixtures.

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

inline constexpr std::chrono::hours kDay{24};
inline constexpr const char* kRevokedMessage = "共享已成功撤销";

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

bool SameEmail(std::string_view a, std::string_view b);

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
SplitMix Stream(std::uint64_t seed, std::string_view label);
std::string DemoKey(std::uint64_t seed, std::string_view role);
std::string DemoToken(std::uint64_t seed, api::TokenKind kind, std::string_view label);
std::string Iso(TimePoint t);
Json IsoOrNull(const std::optional<TimePoint>& t);
std::string UpperAscii(std::string s);

// A query integer the validator has already accepted (or its default).
int QueryInt(const MockRequest& r, std::string_view name, int fallback);

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
std::vector<std::string> Strings(const Json& j, std::string_view name);
std::optional<std::string> OptString(const Json& j, std::string_view name);
std::optional<TimePoint> OptTime(const Json& j, std::string_view name);
Json OptJson(const std::optional<std::string>& s);

class Module final : public ServiceModule {
 public:
  const core::ServiceSpec& Spec() const override { return api::Spec(); }

  void Register(Router& router, MockContext& context) override;
  void Reset(std::uint64_t seed) override;
  Json Fixtures() const override;
  Json Settings() const override;
  std::optional<std::string> ApplySettings(const Json& patch) override;
  Json SaveState() const override;
  std::optional<std::string> LoadState(const Json& state) override;

  // Durable rows: one per account, key slot, template, item and share, keyed by its position
  // (OrderedRowKey), and one ("meta") for the settings and the draws of the token generator. A
  // write costs the records it touches. Positions are stable because records are only ever
  // appended (no endpoint deletes one; reset and import rewrite every row), and they keep the
  // order that SaveState and the newest-first lists show.
  bool HasRows() const override { return true; }

  std::vector<StateRow> Rows() const override;

  // Rebuilt through LoadState (rows are checked like an imported state), then the token
  // generator continues where it stopped, so a restart never hands out a token again.
  std::optional<std::string> LoadRows(const std::vector<StateRow>& rows) override;

  core::HttpResponse ErrorResponse(int status, const std::string& code,
                                   const std::string& message) const override;
  bool OwnsPath(std::string_view path) const override;
  void Tick(TimePoint now) override;

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
  static Json AccountJson(const Account& a);
  static Json KeyJson(const KeySlot& k);
  static Json TemplateJson(const StoredTemplate& t);
  static Json ItemJson(const StoredItem& i);
  static Json ShareJson(const StoredShare& s);
  Json MetaJson() const;

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
  void PutMeta();

  // ---- fixtures and keys ----
  std::string Token(api::TokenKind kind, std::string_view label) const;
  void AddAccount(Account a);
  void AddKey(std::string slot, std::string account, bool write,
              std::optional<TimePoint> expires_at);
  void AddItem(std::string owner, TimePoint created, api::Item item);
  void AddTemplate(StoredTemplate t, TimePoint created);

  // Keys and tokens count their draws (meta row), so LoadRows can put the generator back where
  // it was. Callers report the meta row.
  std::uint64_t Draw();
  std::string NewKey();
  std::string NewToken(api::TokenKind kind);
  static std::uint64_t RngSeed(std::uint64_t seed) { return seed ^ 0x1A7E47041ULL; }

  Account* FindAccount(std::string_view email);
  KeySlot* FindSlot(std::string_view id);
  StoredTemplate* FindTemplate(std::string_view token);
  StoredShare* ActiveShareOf(std::string_view template_token, TimePoint now);
  static bool Active(const StoredShare& s, TimePoint now);
  static std::string AccountRateKey(std::string_view email);
  static std::string KeyRateKey(std::string_view key);
  static std::vector<core::RateWindow> MonthWindow(std::int64_t limit);

  // ---- settings ----
  // Splits "<prefix><name><suffix>" and returns <name>.
  static std::optional<std::string> Middle(const std::string& s, std::string_view prefix,
                                           std::string_view suffix);
  std::optional<std::string> CheckSetting(const std::string& name, const Json& v);

  // Only called with a name and value CheckSetting accepted.
  void ApplySetting(const std::string& name, const Json& v);

  // ---- answers ----
  static std::string DefaultCode(int status);
  static core::HttpResponse Error(const api::ApiError& e);
  static core::HttpResponse Error(int status, std::string_view code, std::string message);
  static core::HttpResponse Ok(const Json& data);

  struct Caller {
    KeySlot* key = nullptr;
    Account* account = nullptr;
  };

  // 401 / 403 API_DISABLED / 429, in that order; counts the request when it passes.
  std::optional<core::HttpResponse> Authenticate(const MockRequest& r, Caller& caller);

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
  std::optional<core::HttpResponse> Before(const core::EndpointSpec& ep, Call& c);

  // The function of each endpoint.
  EndpointTable<EndpointFn> Endpoints();
  core::HttpResponse ListItems(const MockRequest& r, const std::string& email) const;
  core::HttpResponse GetItem(const std::string& token, const std::string& email) const;
  api::Template Summary(const StoredTemplate& t, TimePoint now);
  Json Detail(const StoredTemplate& t, TimePoint now);
  core::HttpResponse ListTemplates(const MockRequest& r, const std::string& email);
  core::HttpResponse ListShared(const MockRequest& r, const std::string& email);
  core::HttpResponse Stats(const MockRequest& r, const Account& account);

  core::HttpResponse CreateTemplate(const MockRequest& r, const Json& body,
                                    const std::string& email);

  core::HttpResponse ShareTemplate(const MockRequest& r, const Json& body, const StoredTemplate& t);
  core::HttpResponse Revoke(const MockRequest& r, const Json& body, const std::string& email);
  core::HttpResponse Send(const MockRequest& r, const Json& body, const StoredTemplate& t);
  core::HttpResponse CheckOwnership(const Json& body, const StoredTemplate& t) const;
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

}  // namespace restbox::mock::inventory

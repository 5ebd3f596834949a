#pragma once
// The WNCMS mock (API-CONTRACT section 2), private to its folder: the module class and what its
// files share. wncms_module.cpp: registration, the Before stage of every route, settings and
// answers; lists.cpp: list parameters and paging; posts.cpp, tags.cpp, pages.cpp, menus.cpp: one
// resource each; state.cpp: SaveState/LoadState, durable rows and indexes; seed.cpp: the demo
// data and fixtures.

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "restbox/core/validation.hpp"
#include "restbox/mock/endpoint_table.hpp"
#include "restbox/mock/service_module.hpp"
#include "restbox/wncms/models.hpp"
#include "restbox/wncms/spec.hpp"

namespace restbox::mock::wncms {
namespace api = restbox::wncms;
using core::Json;

inline constexpr const char* kApiToken = "wncms_demo_7f3a9c2e5b1d4f60a8e2c4b6";
inline constexpr const char* kEditorToken = "wncms_editor_1b8d3f5a7c9e2d4f6a8b";
inline constexpr std::int64_t kUnknownId = 999999;
inline constexpr const char* kAuthNone = "none";
inline constexpr const char* kAuthToken = "api_token";
inline constexpr std::uint64_t kRngSalt = 0x57C7A5ULL;
// Durable row collections.
inline constexpr const char* kPostRows = "post";
inline constexpr const char* kTagRows = "tag";
inline constexpr const char* kPageRows = "page";
inline constexpr const char* kMenuRows = "menu";
inline constexpr const char* kMetaRows = "meta";

struct RouteSetting {
  bool enabled = true;
  std::string auth = kAuthToken;
};

// Translations of a stored text, by locale ("en", "zh-TW"...).
using Translations = std::map<std::string, std::string>;

struct StoredPost {
  api::Post post;  // categories/tags names are derived from tag_ids when answering
  Translations titles;
};

struct StoredTag {
  api::Tag tag;  // children are derived when answering
  Translations names;
};

// What a list route sorts, filters and pages, whatever the resource: only the sort keys. The
// searchable text and the item's JSON are made by the route's RowText and RowRender (Paginate)
// for the rows that need them (every row only when there are keywords; the page's rows only),
// not for every stored item on every call. The views point into the module's state, which does
// not change while a list is answered.
struct ListRow {
  std::int64_t id = 0;
  std::string_view created_at;
  std::string_view updated_at;
  std::string title;
  std::int64_t sort = 0;
};
// The searchable text of a row (lower-cased by Paginate) and its item in the answer.
using RowText = std::function<std::string(const ListRow&)>;
using RowRender = std::function<Json(const ListRow&)>;

struct ListParams {
  std::int64_t page = 1;
  std::int64_t page_size = api::kDefaultPageSize;
  std::string sort = "created_at";
  std::string direction = "desc";
  std::vector<std::string> keywords;  // lower-cased
  bool random = false;
  std::string locale;
};

std::string LowerAscii(std::string s);
std::vector<std::string> SplitTrimmed(const std::string& text, char separator);

// Laravel's Str::slug for ASCII; text without any ASCII letter or digit keeps its own form.
std::string Slugify(const std::string& text);
std::optional<std::int64_t> ParseId(const std::string& text);
std::string Translated(const std::string& base, const Translations& t, const std::string& locale);
Json TranslationsJson(const Translations& t);
Translations TranslationsFrom(const Json& j);

// Ids by the value of a field (a slug, a title, a name, a parent), so that a write finds what it
// needs without reading every record: it costs the same with 100 or 100,000 stored. Several ids
// may share a value (an imported state); First() is the lowest, the one a scan in id order finds.
template <typename Key>
class IdIndex {
 public:
  void Add(const Key& key, std::int64_t id) { ids_[key].insert(id); }
  void Remove(const Key& key, std::int64_t id) {
    auto it = ids_.find(key);
    if (it == ids_.end()) return;
    it->second.erase(id);
    if (it->second.empty()) ids_.erase(it);
  }
  const std::set<std::int64_t>& Ids(const Key& key) const {
    static const std::set<std::int64_t> kNone;
    auto it = ids_.find(key);
    return it == ids_.end() ? kNone : it->second;
  }
  std::optional<std::int64_t> First(const Key& key) const {
    const auto& ids = Ids(key);
    return ids.empty() ? std::nullopt : std::optional(*ids.begin());
  }
  std::optional<std::int64_t> Last(const Key& key) const {
    const auto& ids = Ids(key);
    return ids.empty() ? std::nullopt : std::optional(*ids.rbegin());
  }
  void Clear() { ids_.clear(); }

 private:
  std::map<Key, std::set<std::int64_t>> ids_;
};

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

  // Durable rows (state_store.hpp): one per post, tag, page and menu, keyed by its id, and one
  // "meta" row for the settings, the id counters and the generator's draws.
  bool HasRows() const override { return true; }

  std::vector<StateRow> Rows() const override;

  // The rows become a SaveState() document for LoadState (which validates every record); then
  // the counters and the generator continue where they stopped (a restart hands out no id or
  // slug again, and random lists go on with the same sequence).
  std::optional<std::string> LoadRows(const std::vector<StateRow>& rows) override;

  core::HttpResponse ErrorResponse(int status, const std::string&,
                                   const std::string& message) const override;
  bool OwnsPath(std::string_view path) const override;

 private:
  // ---- answers ----
  static core::HttpResponse Ok(const std::string& message, Json data);
  static core::HttpResponse Fail(int status, const std::string& message);
  static core::HttpResponse Rejected(const api::Rejection& rejection);
  std::string Now() const { return core::FormatIso8601(context_->Now()); }

  // ---- settings ----
  static std::optional<std::string> AuthSettingBase(const std::string& name);
  // WNCMS stores '' (no auth) or 'simple' (api_token); the contract's names are accepted too.
  static std::optional<std::string> NormalizeAuth(const std::string& value);

  // ---- the common path of every route ----
  // A request that passed the Before stage (route enabled, JSON body, token, validation).
  struct Call {
    MockRequest& r;
    Json body;
  };
  struct EndpointFns {
    std::function<core::HttpResponse(Call&)> answer;
    // Validation only the server can do (it needs the stored data); most endpoints have none.
    std::function<void(const Json& body, std::vector<core::FieldError>& out)> rules;
  };
  EndpointTable<EndpointFns> Endpoints();
  core::HttpResponse Handle(const core::EndpointSpec& ep, const EndpointFns& fns, MockRequest& r);

  // ---- lists ----
  static ListParams ReadList(const Json& body);

  core::HttpResponse Paginate(std::vector<ListRow> rows, const ListParams& p,
                              const std::string& path, const std::string& message,
                              const RowText& text, const RowRender& render);

  // ---- posts ----
  Json RenderPost(const StoredPost& s, const std::string& locale) const;
  core::HttpResponse ListPosts(const Json& body, const std::string& path);
  const StoredPost* FindPostBySlug(const std::string& slug) const;
  // The first post whose title, or one of its translations, is `title`.
  StoredPost* FindPostByTitle(const std::string& title);
  std::string UniqueSlug(const std::function<bool(const std::string&)>& taken);

  // WNCMS syncTagsWithType: names become tags of `type`, created when new.
  std::vector<std::int64_t> TagIdsFor(const std::string& names, const std::string& type);
  void ApplyPost(api::Post& post, const api::NewPost& in, const std::string& now);
  core::HttpResponse StorePost(const Json& body);
  core::HttpResponse ShowPost(const std::string& key, const std::string& locale);

  // ---- tags ----
  StoredTag* FindTag(const std::string& name, const std::string& type);

  StoredTag& AddTag(const std::string& name, const std::string& slug, const std::string& type,
                    std::optional<std::int64_t> parent, std::int64_t sort, const std::string& now,
                    Translations names = {});

  // WNCMS loads children two levels deep.
  Json RenderTag(const StoredTag& t, const std::string& locale, int depth) const;
  core::HttpResponse ListTags(const Json& body, const std::string& path);
  core::HttpResponse StoreTag(const Json& body);
  core::HttpResponse ExistingTags(const Json& body);

  // ---- pages ----
  const api::Page* FindPageBySlug(const std::string& slug) const;
  core::HttpResponse ListPages(const Json& body, const std::string& path);
  core::HttpResponse StorePage(const Json& body);
  core::HttpResponse ShowPage(const std::string& key);

  // ---- menus ----
  const api::Menu* FindMenuByName(const std::string& name) const;

  std::vector<api::MenuItem> BuildItems(const std::vector<api::MenuItemInput>& inputs,
                                        std::optional<std::int64_t> parent);
  core::HttpResponse ListMenus(const Json& body, const std::string& path);
  core::HttpResponse StoreMenu(const Json& body, bool sync);
  core::HttpResponse ShowMenu(const std::string& key);

  // ---- indexes (IdIndex) ----
  void IndexPost(const StoredPost& s, bool add);
  void IndexTag(const StoredTag& t, bool add);
  void Reindex();

  // ---- state ----
  static Json PostJson(const StoredPost& p);
  static Json TagJson(const StoredTag& t);

  // Fixed-width decimal (a negative id, only from an imported state, keeps its sign), so the
  // store lists rows in id order.
  static std::string RowKey(std::int64_t id);

  // The id counters by name (in the meta row), of a const module or not.
  template <typename Self>
  static auto Counters(Self& self)
      -> std::array<std::pair<const char*, decltype(&self.next_post_id_)>, 5> {
    return {{{"next_post_id", &self.next_post_id_},
             {"next_tag_id", &self.next_tag_id_},
             {"next_page_id", &self.next_page_id_},
             {"next_menu_id", &self.next_menu_id_},
             {"next_menu_item_id", &self.next_menu_item_id_}}};
  }
  Json MetaJson() const;

  // Every change of the state marks what it touched; Flush reports those rows (a record that is
  // gone is a deleted row) at the end of the request or admin change, nothing without a store.
  std::int64_t NextId(std::int64_t& counter);
  std::uint64_t Draw();
  template <typename Map, typename ToJson>
  void FlushRows(const char* collection, const std::set<std::int64_t>& ids, const Map& records,
                 ToJson to_json) {
    for (std::int64_t id : ids) {
      auto it = records.find(id);
      context_->RowChanged(
          collection, RowKey(id),
          it == records.end() ? std::nullopt : std::optional(core::DumpJson(to_json(it->second))));
    }
  }
  void Flush();

  template <typename T>
  static std::optional<std::string> LoadList(const Json& state, const char* name,
                                             const std::function<void(T, const Json&)>& add) {
    auto it = state.find(name);
    if (it == state.end()) return std::nullopt;
    if (!it->is_array()) return std::string(name) + " must be an array";
    for (const auto& j : *it) {
      auto v = core::ConvertJson<T>(j);
      if (!v.ok()) return std::string(name) + ": " + v.error().message;
      add(std::move(v.value()), j);
    }
    return std::nullopt;
  }

  static std::int64_t MaxItemId(const std::vector<api::MenuItem>& items);
  void RecomputeNextIds();

  // ---- demo data ----
  void SeedContent();

  // What the current request changed (Flush reports it).
  struct Touched {
    std::set<std::int64_t> posts, tags, pages, menus;
    bool meta = false;
  };
  MockContext* context_ = nullptr;
  std::uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::uint64_t draws_ = 0;  // values drawn from rng_ since the reset (restored by LoadRows)
  Touched touched_;
  std::map<std::string, std::string> users_;      // api_token -> user name
  std::map<std::string, RouteSetting> settings_;  // feature key -> toggle and auth
  std::map<std::int64_t, StoredPost> posts_;
  std::map<std::int64_t, StoredTag> tags_;
  std::map<std::int64_t, api::Page> pages_;
  std::map<std::int64_t, api::Menu> menus_;
  IdIndex<std::string> post_slugs_;
  IdIndex<std::string> post_titles_;                        // titles and their translations
  IdIndex<std::pair<std::string, std::string>> tag_names_;  // (name, type)
  IdIndex<std::int64_t> tag_children_;                      // parent id -> children
  IdIndex<std::string> page_slugs_;
  IdIndex<std::string> menu_names_;
  std::int64_t next_post_id_ = 1;
  std::int64_t next_tag_id_ = 1;
  std::int64_t next_page_id_ = 1;
  std::int64_t next_menu_id_ = 1;
  std::int64_t next_menu_item_id_ = 1;
};

}  // namespace restbox::mock::wncms

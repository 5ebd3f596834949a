// The WNCMS v1 CMS API, mocked (API-CONTRACT section 2).
//
// Order of checks for every route (the first that fails answers, always inside the envelope):
//   403 the route's feature toggle is off ("API access is disabled")
//   400 a body that is not valid JSON, on every route (its token cannot be read from it)
//   401 the route's auth setting is api_token and the body's api_token is missing or unknown
//       ("Invalid token")
//   400 list routes: a body that is not a JSON object, or a malformed list parameter
//   422 validation (the endpoint table through the shared validator, the shared service rules,
//       and what only the server knows: parent_id must exist, slugs and menu names are unique)
//   404 unknown post/page/menu id (or slug)
// On write routes a body that is not a JSON object counts as empty input (Laravel reads no
// input from it), so it fails validation with 422.
// There is no cache: a write is visible to the very next list. Random order (is_random) uses the
// module's own generator, reseeded by every reset, so it is the same sequence after each reset.
// Durable state (restbox-mock --state): one row per post, tag (categories are tags), page and
// menu, and one "meta" row (settings, id counters, draws from the generator); a request reports
// the rows it changed when it ends (Flush), so a write costs what it changes.

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

namespace {

constexpr const char* kApiToken = "wncms_demo_7f3a9c2e5b1d4f60a8e2c4b6";
constexpr const char* kEditorToken = "wncms_editor_1b8d3f5a7c9e2d4f6a8b";
constexpr std::int64_t kUnknownId = 999999;
constexpr const char* kAuthNone = "none";
constexpr const char* kAuthToken = "api_token";
constexpr std::uint64_t kRngSalt = 0x57C7A5ULL;
// Durable row collections.
constexpr const char* kPostRows = "post";
constexpr const char* kTagRows = "tag";
constexpr const char* kPageRows = "page";
constexpr const char* kMenuRows = "menu";
constexpr const char* kMetaRows = "meta";

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

// What a list route sorts, filters and pages, whatever the resource.
struct ListRow {
  std::int64_t id = 0;
  std::string created_at;
  std::string updated_at;
  std::string title;
  std::int64_t sort = 0;
  std::string text;  // lower-cased searchable text for `keywords`
  Json json;
};

struct ListParams {
  std::int64_t page = 1;
  std::int64_t page_size = api::kDefaultPageSize;
  std::string sort = "created_at";
  std::string direction = "desc";
  std::vector<std::string> keywords;  // lower-cased
  bool random = false;
  std::string locale;
};

std::string LowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> SplitTrimmed(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front())))
      part.erase(part.begin());
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.pop_back();
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

// Laravel's Str::slug for ASCII; text without any ASCII letter or digit keeps its own form.
std::string Slugify(const std::string& text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? text : out;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string Translated(const std::string& base, const Translations& t, const std::string& locale) {
  if (locale.empty()) return base;
  auto it = t.find(locale);
  return it == t.end() ? base : it->second;
}

Json TranslationsJson(const Translations& t) {
  Json j = Json::object();
  for (const auto& [k, v] : t) j[k] = v;
  return j;
}

Translations TranslationsFrom(const Json& j) {
  Translations t;
  if (!j.is_object()) return t;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_string()) t[it.key()] = it->get<std::string>();
  }
  return t;
}

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

  void Register(Router& router, MockContext& context) override {
    context_ = &context;
    // One function per endpoint (and its server-side rules), each after the same Before stage.
    auto route = [this](const core::EndpointSpec& ep, const EndpointFns& fns) {
      return [this, &ep, fns](MockRequest& r) {
        core::HttpResponse response = Handle(ep, fns, r);
        Flush();  // the rows this request changed
        return response;
      };
    };
    const auto table = Endpoints();
    table.Register(router, Spec(), route);
    const core::EndpointSpec& index = *Spec().Find(api::kPostsIndex);
    router.AddAlias(Spec().id, index, std::string(api::kPostsIndexAliasPath),
                    route(index, table.At(Spec(), index)));
  }

  void Reset(std::uint64_t seed) override {
    seed_ = seed;
    rng_.seed(seed ^ kRngSalt);
    draws_ = 0;
    users_ = {{kApiToken, "admin"}, {kEditorToken, "editor"}};
    settings_.clear();
    for (const auto& ep : Spec().endpoints) settings_[std::string(api::FeatureKey(ep.id))] = {};
    SeedContent();
    touched_ = {};  // the engine rewrites every row after a reset
  }

  Json Fixtures() const override {
    return {{"api_token", kApiToken},
            {"editor_api_token", kEditorToken},
            {"post_id", 1},
            {"post_slug", "welcome"},
            {"draft_post_id", 19},
            {"published_posts", 19},
            {"tag_id", 1},
            {"child_tag_id", 4},
            {"tag_type", api::kDefaultTagType},
            {"post_tag_id", 5},
            {"page_id", 1},
            {"page_slug", "about"},
            {"menu_id", 1},
            {"menu_name", "Site menu"},
            {"unknown_id", kUnknownId},
            {"default_page_size", api::kDefaultPageSize}};
  }

  Json Settings() const override {
    Json s = Json::object();
    for (const auto& [key, setting] : settings_) {
      s[key] = setting.enabled;
      s[key + std::string(api::kAuthSettingSuffix)] = setting.auth;
    }
    return s;
  }

  std::optional<std::string> ApplySettings(const Json& patch) override {
    if (!patch.is_object()) return "settings must be a JSON object";
    // Validate everything first, so a bad patch changes nothing.
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      const std::string& name = it.key();
      if (auto base = AuthSettingBase(name)) {
        if (!settings_.count(*base)) return "unknown setting '" + name + "'";
        if (!it->is_string() || !NormalizeAuth(it->get<std::string>()))
          return name + " must be \"none\" or \"api_token\"";
        continue;
      }
      if (!settings_.count(name)) return "unknown setting '" + name + "'";
      if (!it->is_boolean()) return name + " must be true or false";
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      if (auto base = AuthSettingBase(it.key())) {
        settings_[*base].auth = *NormalizeAuth(it->get<std::string>());
      } else {
        settings_[it.key()].enabled = it->get<bool>();
      }
    }
    touched_.meta = true;
    Flush();
    return std::nullopt;
  }

  Json SaveState() const override {
    Json posts = Json::array();
    for (const auto& [id, p] : posts_) posts.push_back(PostJson(p));
    Json tags = Json::array();
    for (const auto& [id, t] : tags_) tags.push_back(TagJson(t));
    Json pages = Json::array();
    for (const auto& [id, p] : pages_) pages.push_back(p);
    Json menus = Json::array();
    for (const auto& [id, m] : menus_) menus.push_back(m);
    return {{"posts", posts},
            {"tags", tags},
            {"pages", pages},
            {"menus", menus},
            {"settings", Settings()}};
  }

  std::optional<std::string> LoadState(const Json& state) override {
    if (!state.is_object()) return "state must be an object";
    std::map<std::int64_t, StoredPost> posts;
    std::map<std::int64_t, StoredTag> tags;
    std::map<std::int64_t, api::Page> pages;
    std::map<std::int64_t, api::Menu> menus;
    if (auto err = LoadList<api::Post>(state, "posts", [&](api::Post p, const Json& j) {
          posts[p.id] = {std::move(p), TranslationsFrom(j.value("translations", Json()))};
        })) {
      return err;
    }
    if (auto err = LoadList<api::Tag>(state, "tags", [&](api::Tag t, const Json& j) {
          t.children.clear();
          tags[t.id] = {std::move(t), TranslationsFrom(j.value("translations", Json()))};
        })) {
      return err;
    }
    if (auto err = LoadList<api::Page>(
            state, "pages", [&](api::Page p, const Json&) { pages[p.id] = std::move(p); }))
      return err;
    if (auto err = LoadList<api::Menu>(
            state, "menus", [&](api::Menu m, const Json&) { menus[m.id] = std::move(m); }))
      return err;
    if (auto s = state.find("settings"); s != state.end()) {
      if (auto err = ApplySettings(*s)) return err;
    }
    posts_ = std::move(posts);
    tags_ = std::move(tags);
    pages_ = std::move(pages);
    menus_ = std::move(menus);
    RecomputeNextIds();
    Reindex();
    touched_ = {};  // the engine rewrites every row after a load
    return std::nullopt;
  }

  // Durable rows (state_store.hpp): one per post, tag, page and menu, keyed by its id, and one
  // "meta" row for the settings, the id counters and the generator's draws.
  bool HasRows() const override { return true; }

  std::vector<StateRow> Rows() const override {
    std::vector<StateRow> rows;
    const std::string service = Spec().id;
    for (const auto& [id, p] : posts_)
      rows.push_back({service, kPostRows, RowKey(id), core::DumpJson(PostJson(p))});
    for (const auto& [id, t] : tags_)
      rows.push_back({service, kTagRows, RowKey(id), core::DumpJson(TagJson(t))});
    for (const auto& [id, p] : pages_)
      rows.push_back({service, kPageRows, RowKey(id), core::DumpJson(Json(p))});
    for (const auto& [id, m] : menus_)
      rows.push_back({service, kMenuRows, RowKey(id), core::DumpJson(Json(m))});
    rows.push_back({service, kMetaRows, "", core::DumpJson(MetaJson())});
    return rows;
  }

  // The rows become a SaveState() document for LoadState (which validates every record); then
  // the counters and the generator continue where they stopped (a restart hands out no id or
  // slug again, and random lists go on with the same sequence).
  std::optional<std::string> LoadRows(const std::vector<StateRow>& rows) override {
    Json state = {{"posts", Json::array()},
                  {"tags", Json::array()},
                  {"pages", Json::array()},
                  {"menus", Json::array()}};
    Json counters = Json::object();
    for (const auto& row : rows) {
      auto parsed = core::ParseJson(row.value);
      if (!parsed.ok() || !parsed.value().is_object())
        return "row " + row.collection + "/" + row.key + " is not a JSON object";
      Json& value = parsed.value();
      if (row.collection == kMetaRows) {
        state["settings"] = value.value("settings", Json::object());
        counters = value.value("counters", Json::object());
        continue;
      }
      const char* list = row.collection == kPostRows   ? "posts"
                         : row.collection == kTagRows  ? "tags"
                         : row.collection == kPageRows ? "pages"
                         : row.collection == kMenuRows ? "menus"
                                                       : nullptr;
      if (!list) return "unknown row collection '" + row.collection + "'";
      auto id = value.find("id");
      if (id == value.end() || !id->is_number_integer() ||
          RowKey(id->get<std::int64_t>()) != row.key)
        return row.collection + " row " + row.key + " does not hold the record with that id";
      state[list].push_back(std::move(value));
    }
    if (!counters.is_object()) return "meta row: counters must be an object";
    if (auto err = LoadState(state)) return err;
    // Counters only grow: ids freed since (a menu's replaced items) are not handed out again.
    for (auto [name, counter] : Counters(*this)) {
      *counter = std::max(*counter, core::JsonValueOr<std::int64_t>(counters, name, 1));
    }
    draws_ = core::JsonValueOr<std::uint64_t>(counters, "rng_draws", 0);
    rng_.seed(seed_ ^ kRngSalt);
    rng_.discard(draws_);
    return std::nullopt;
  }

  core::HttpResponse ErrorResponse(int status, const std::string&,
                                   const std::string& message) const override {
    std::string text = message;
    if (status >= 500 && !text.starts_with("Server Error: ")) text = "Server Error: " + text;
    // A forced 400 or 422 has the shape of a real one: data.errors (empty: no field is at fault).
    if (status == 400 || status == 422) return Rejected({status, text, {}});
    return Fail(status, text);
  }

  bool OwnsPath(std::string_view path) const override {
    for (std::string_view prefix :
         {"/api/v1/posts", "/api/v1/tags", "/api/v1/pages", "/api/v1/menus"}) {
      if (path == prefix ||
          (path.starts_with(prefix) && path.substr(prefix.size()).starts_with("/")))
        return true;
    }
    return false;
  }

 private:
  // ---- answers ----
  static core::HttpResponse Ok(const std::string& message, Json data) {
    return JsonResponse(
        200, Json(api::Envelope{200, "success", message, std::move(data), Json::object()}));
  }
  static core::HttpResponse Fail(int status, const std::string& message) {
    return JsonResponse(status,
                        Json(api::Envelope{status, "fail", message, nullptr, Json::object()}));
  }
  static core::HttpResponse Rejected(const api::Rejection& rejection) {
    return JsonResponse(rejection.status, api::RejectionBody(rejection));
  }
  std::string Now() const { return core::FormatIso8601(context_->Now()); }

  // ---- settings ----
  static std::optional<std::string> AuthSettingBase(const std::string& name) {
    if (!name.ends_with(api::kAuthSettingSuffix)) return std::nullopt;
    return name.substr(0, name.size() - api::kAuthSettingSuffix.size());
  }
  // WNCMS stores '' (no auth) or 'simple' (api_token); the contract's names are accepted too.
  static std::optional<std::string> NormalizeAuth(const std::string& value) {
    if (value == kAuthNone || value.empty()) return kAuthNone;
    if (value == kAuthToken || value == "simple") return kAuthToken;
    return std::nullopt;
  }

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

  EndpointTable<EndpointFns> Endpoints() {
    // `field` of the body must not name something that exists already.
    auto taken = [](const char* field, std::function<bool(const std::string&)> exists) {
      return [field, exists](const Json& body, std::vector<core::FieldError>& out) {
        auto it = body.find(field);
        if (it != body.end() && it->is_string() && exists(it->template get<std::string>()))
          out.push_back({field, "The " + std::string(field) + " has already been taken."});
      };
    };
    EndpointTable<EndpointFns> e;
    auto add = [&](std::string_view id, std::function<core::HttpResponse(Call&)> answer,
                   std::function<void(const Json&, std::vector<core::FieldError>&)> rules = {}) {
      e.Add(id, EndpointFns{std::move(answer), std::move(rules)});
    };
    add(api::kPostsIndex, [this](Call& c) { return ListPosts(c.body, c.r.path); });
    add(
        api::kPostsStore, [this](Call& c) { return StorePost(c.body); },
        [this, taken](const Json& body, std::vector<core::FieldError>& out) {
          // A duplicate caught by check_title is skipped or updated, not refused.
          bool duplicate = core::JsonValueOr<bool>(body, "check_title", false) &&
                           FindPostByTitle(core::JsonValueOr<std::string>(body, "title", ""));
          if (!duplicate)
            taken("slug", [this](const std::string& s) { return FindPostBySlug(s) != nullptr; })(
                body, out);
        });
    add(api::kPostsShow, [this](Call& c) {
      return ShowPost(c.r.Param("id"), core::JsonValueOr<std::string>(c.body, "locale", ""));
    });
    add(api::kTagsIndex, [this](Call& c) { return ListTags(c.body, c.r.path); });
    add(
        api::kTagsStore, [this](Call& c) { return StoreTag(c.body); },
        [this](const Json& body, std::vector<core::FieldError>& out) {
          auto parent = body.find("parent_id");
          if (parent != body.end() && parent->is_number_integer() &&
              !tags_.count(parent->get<std::int64_t>()))
            out.push_back({"parent_id", "The selected parent id is invalid."});
        });
    add(api::kTagsExist, [this](Call& c) { return ExistingTags(c.body); });
    add(api::kPagesIndex, [this](Call& c) { return ListPages(c.body, c.r.path); });
    add(
        api::kPagesStore, [this](Call& c) { return StorePage(c.body); },
        taken("slug", [this](const std::string& s) { return FindPageBySlug(s) != nullptr; }));
    add(api::kPagesShow, [this](Call& c) { return ShowPage(c.r.Param("id")); });
    add(api::kMenusIndex, [this](Call& c) { return ListMenus(c.body, c.r.path); });
    add(
        api::kMenusStore, [this](Call& c) { return StoreMenu(c.body, false); },
        taken("name", [this](const std::string& s) { return FindMenuByName(s) != nullptr; }));
    add(api::kMenusSync, [this](Call& c) { return StoreMenu(c.body, true); });
    add(api::kMenusShow, [this](Call& c) { return ShowMenu(c.r.Param("id")); });
    return e;
  }

  core::HttpResponse Handle(const core::EndpointSpec& ep, const EndpointFns& fns, MockRequest& r) {
    const RouteSetting& setting = settings_.at(std::string(api::FeatureKey(ep.id)));
    if (!setting.enabled) return Fail(403, "API access is disabled");

    Json body = Json::object();
    bool malformed = false;
    if (r.http.body.find_first_not_of(" \t\r\n") != std::string::npos) {
      auto parsed = core::ParseJson(r.http.body);
      if (!parsed.ok()) {
        return Rejected({400,
                         "Invalid JSON",
                         {{"body", {"The body must be valid JSON: " + parsed.error().message}}}});
      }
      if (parsed->is_object()) {
        body = std::move(parsed.value());
      } else {
        malformed = true;
      }
    }
    if (setting.auth == kAuthToken) {
      auto token = core::JsonValueOr<std::string>(body, "api_token", "");
      if (token.empty() || !users_.count(token)) return Fail(401, "Invalid token");
    }
    std::vector<core::FieldError> problems;
    if (malformed && api::IsListEndpoint(ep.id))
      problems.push_back({"body", "must be a JSON object"});
    auto table = core::ValidateRequest(ep, &body, {});
    problems.insert(problems.end(), table.begin(), table.end());
    auto rules = api::ServiceRules(ep, body);
    problems.insert(problems.end(), rules.begin(), rules.end());
    if (fns.rules) fns.rules(body, problems);
    // Routes that document neither 400 nor 422 (the show routes) never refuse a parameter: a bad
    // optional one (e.g. a non-string locale) is ignored, so every answer stays documented.
    // (Their documented 400 is the invalid-JSON one above.)
    const bool can_refuse = api::IsListEndpoint(ep.id) || ep.FindError(422) != nullptr;
    auto rejection = api::Reject(ep, problems);
    if (can_refuse && !rejection.errors.empty()) return Rejected(rejection);

    Call c{r, std::move(body)};
    return fns.answer(c);
  }

  // ---- lists ----
  static ListParams ReadList(const Json& body) {
    ListParams p;
    p.page = core::JsonValueOr<std::int64_t>(body, "page", 1);
    p.page_size = core::JsonValueOr<std::int64_t>(body, "page_size", api::kDefaultPageSize);
    p.sort = core::JsonValueOr<std::string>(body, "sort", "created_at");
    p.direction = core::JsonValueOr<std::string>(body, "direction", "desc");
    for (auto& k : SplitTrimmed(core::JsonValueOr<std::string>(body, "keywords", ""), ' '))
      p.keywords.push_back(LowerAscii(k));
    p.random = core::JsonValueOr<bool>(body, "is_random", false);
    p.locale = core::JsonValueOr<std::string>(body, "locale", "");
    return p;
  }

  core::HttpResponse Paginate(std::vector<ListRow> rows, const ListParams& p,
                              const std::string& path, const std::string& message) {
    if (!p.keywords.empty()) {
      std::erase_if(rows, [&](const ListRow& row) {
        return std::none_of(p.keywords.begin(), p.keywords.end(), [&](const std::string& k) {
          return row.text.find(k) != std::string::npos;
        });
      });
    }
    if (p.random) {
      // Fisher-Yates on our own generator: std::shuffle's order differs between standard
      // libraries, and the same seed must give the same order natively and in wasm.
      for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[Draw() % i]);
    } else {
      const bool asc = p.direction == "asc";
      std::stable_sort(rows.begin(), rows.end(), [&](const ListRow& a, const ListRow& b) {
        int c = 0;
        if (p.sort == "updated_at")
          c = a.updated_at.compare(b.updated_at);
        else if (p.sort == "title")
          c = a.title.compare(b.title);
        else if (p.sort == "sort")
          c = a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0;
        else
          c = a.created_at.compare(b.created_at);
        if (c == 0) c = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
        return asc ? c < 0 : c > 0;
      });
    }
    api::Pagination pg;
    pg.total = static_cast<std::int64_t>(rows.size());
    pg.page_size = p.page_size;
    pg.current_page = p.page;
    pg.last_page = std::max<std::int64_t>(1, (pg.total + p.page_size - 1) / p.page_size);
    Json items = Json::array();
    // page and page_size are validated (>= 1, page_size <= 100); the product stays small unless
    // page is huge, which simply gives an empty page.
    if (p.page <= pg.last_page) {
      std::size_t first = static_cast<std::size_t>((p.page - 1) * p.page_size);
      for (std::size_t i = first;
           i < rows.size() && i < first + static_cast<std::size_t>(p.page_size); ++i)
        items.push_back(std::move(rows[i].json));
    }
    pg.count = static_cast<std::int64_t>(items.size());
    pg.has_more = p.page < pg.last_page;
    if (pg.has_more) pg.next = path + "?page=" + std::to_string(p.page + 1);
    if (p.page > 1) pg.previous = path + "?page=" + std::to_string(p.page - 1);
    return Ok(message, {{"data", items}, {"pagination", pg}});
  }

  // ---- posts ----
  Json RenderPost(const StoredPost& s, const std::string& locale) const {
    api::Post p = s.post;
    p.title = Translated(p.title, s.titles, locale);
    p.categories.clear();
    p.tags.clear();
    for (std::int64_t tid : p.tag_ids) {
      auto it = tags_.find(tid);
      if (it == tags_.end()) continue;
      std::string name = Translated(it->second.tag.name, it->second.names, locale);
      if (it->second.tag.type == "post_category")
        p.categories.push_back(name);
      else if (it->second.tag.type == "post_tag")
        p.tags.push_back(name);
    }
    return p;
  }

  core::HttpResponse ListPosts(const Json& body, const std::string& path) {
    ListParams p = ReadList(body);
    std::set<std::int64_t> wanted, excluded;
    for (const auto& v : body.value("tags", Json::array())) wanted.insert(v.get<std::int64_t>());
    for (const auto& v : body.value("excluded_post_ids", Json::array()))
      excluded.insert(v.get<std::int64_t>());
    std::optional<std::string> tag_type;
    if (auto it = body.find("tag_type"); it != body.end() && it->is_string())
      tag_type = it->get<std::string>();
    auto tag_counts = [&](std::int64_t tid) {
      auto it = tags_.find(tid);
      if (it == tags_.end()) return false;
      if (tag_type && it->second.tag.type != *tag_type) return false;
      return wanted.empty() || wanted.count(tid) > 0;
    };
    std::vector<ListRow> rows;
    for (const auto& [id, s] : posts_) {
      const api::Post& post = s.post;
      if (post.status != "published" || excluded.count(id)) continue;
      if ((!wanted.empty() || tag_type) &&
          std::none_of(post.tag_ids.begin(), post.tag_ids.end(), tag_counts))
        continue;
      Json json = RenderPost(s, p.locale);
      std::string title = json["title"].get<std::string>();
      rows.push_back({id, post.created_at, post.updated_at, title, post.sort,
                      LowerAscii(title + "\n" + post.excerpt + "\n" + post.content),
                      std::move(json)});
    }
    return Paginate(std::move(rows), p, path, "Successfully fetched posts");
  }

  const StoredPost* FindPostBySlug(const std::string& slug) const {
    auto id = post_slugs_.First(slug);
    return id ? &posts_.at(*id) : nullptr;
  }
  // The first post whose title, or one of its translations, is `title`.
  StoredPost* FindPostByTitle(const std::string& title) {
    auto id = post_titles_.First(title);
    return id ? &posts_.at(*id) : nullptr;
  }

  std::string UniqueSlug(const std::function<bool(const std::string&)>& taken) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (;;) {
      std::string slug;
      for (int i = 0; i < 6; ++i) slug.push_back(kAlphabet[Draw() % 36]);
      if (!taken(slug)) return slug;
    }
  }

  // WNCMS syncTagsWithType: names become tags of `type`, created when new.
  std::vector<std::int64_t> TagIdsFor(const std::string& names, const std::string& type) {
    std::vector<std::int64_t> ids;
    for (const auto& name : SplitTrimmed(names, ',')) {
      StoredTag* tag = FindTag(name, type);
      if (!tag) tag = &AddTag(name, Slugify(name), type, std::nullopt, 0, Now());
      if (std::find(ids.begin(), ids.end(), tag->tag.id) == ids.end()) ids.push_back(tag->tag.id);
    }
    return ids;
  }

  void ApplyPost(api::Post& post, const api::NewPost& in, const std::string& now) {
    post.title = in.title;
    post.content = in.content;
    if (in.slug) post.slug = *in.slug;
    if (in.excerpt) post.excerpt = *in.excerpt;
    post.status = in.status.value_or("published");
    post.visibility = in.visibility.value_or("public");
    if (in.sort) post.sort = *in.sort;
    auto published = in.published_at ? api::ParsePublishedAt(*in.published_at) : std::nullopt;
    post.published_at = published ? core::FormatIso8601(*published) : now;
    if (in.categories || in.tags) {
      std::vector<std::int64_t> ids;
      // Fields not sent keep the post's current tags of that type.
      for (auto [names, type] :
           {std::pair{&in.categories, "post_category"}, std::pair{&in.tags, "post_tag"}}) {
        if (*names) {
          auto add = TagIdsFor(**names, type);
          ids.insert(ids.end(), add.begin(), add.end());
        } else {
          for (std::int64_t tid : post.tag_ids) {
            auto it = tags_.find(tid);
            if (it != tags_.end() && it->second.tag.type == type) ids.push_back(tid);
          }
        }
      }
      post.tag_ids = ids;
    }
    post.updated_at = now;
  }

  core::HttpResponse StorePost(const Json& body) {
    auto in = core::ConvertJson<api::NewPost>(body);
    if (!in.ok()) return Fail(422, "Validation failed");
    const std::string now = Now();
    if (in->check_title.value_or(false)) {
      if (StoredPost* existing = FindPostByTitle(in->title)) {
        if (!in->update_content_when_duplicated.value_or(false))
          return Ok("Skipped. Duplicated post is found", RenderPost(*existing, ""));
        IndexPost(*existing, false);
        ApplyPost(existing->post, *in, now);
        IndexPost(*existing, true);
        touched_.posts.insert(existing->post.id);
        return Ok("Existing post updated", RenderPost(*existing, ""));
      }
    }
    StoredPost s;
    s.post.id = NextId(next_post_id_);
    s.post.created_at = now;
    s.post.slug =
        UniqueSlug([&](const std::string& slug) { return FindPostBySlug(slug) != nullptr; });
    ApplyPost(s.post, *in, now);
    const std::int64_t id = s.post.id;
    auto& stored = posts_[id] = std::move(s);
    IndexPost(stored, true);
    touched_.posts.insert(id);
    return Ok("post #" + std::to_string(stored.post.id) + " created", RenderPost(stored, ""));
  }

  core::HttpResponse ShowPost(const std::string& key, const std::string& locale) {
    const StoredPost* found = nullptr;
    if (auto id = ParseId(key)) {
      auto it = posts_.find(*id);
      if (it != posts_.end()) found = &it->second;
    }
    if (!found) found = FindPostBySlug(key);
    if (!found) return Fail(404, "Post not found");
    return Ok("Successfully fetched data", RenderPost(*found, locale));
  }

  // ---- tags ----
  StoredTag* FindTag(const std::string& name, const std::string& type) {
    auto id = tag_names_.First({name, type});
    return id ? &tags_.at(*id) : nullptr;
  }

  StoredTag& AddTag(const std::string& name, const std::string& slug, const std::string& type,
                    std::optional<std::int64_t> parent, std::int64_t sort, const std::string& now,
                    Translations names = {}) {
    StoredTag t;
    t.tag.id = NextId(next_tag_id_);
    t.tag.name = name;
    t.tag.slug = slug;
    t.tag.type = type;
    t.tag.parent_id = parent;
    t.tag.sort = sort;
    t.tag.created_at = t.tag.updated_at = now;
    t.names = std::move(names);
    const std::int64_t id = t.tag.id;
    touched_.tags.insert(id);
    StoredTag& stored = tags_[id] = std::move(t);
    IndexTag(stored, true);
    return stored;
  }

  // WNCMS loads children two levels deep.
  Json RenderTag(const StoredTag& t, const std::string& locale, int depth) const {
    api::Tag tag = t.tag;
    tag.name = Translated(tag.name, t.names, locale);
    Json j = tag;
    Json children = Json::array();
    if (depth < 3) {
      for (std::int64_t id : tag_children_.Ids(tag.id))
        children.push_back(RenderTag(tags_.at(id), locale, depth + 1));
    }
    j["children"] = children;
    return j;
  }

  core::HttpResponse ListTags(const Json& body, const std::string& path) {
    ListParams p = ReadList(body);
    const std::string type = core::JsonValueOr<std::string>(body, "type", "");
    std::vector<ListRow> rows;
    for (const auto& [id, t] : tags_) {
      if (t.tag.type != type || t.tag.parent_id) continue;
      Json json = RenderTag(t, p.locale, 1);
      std::string name = json["name"].get<std::string>();
      rows.push_back({id, t.tag.created_at, t.tag.updated_at, name, t.tag.sort,
                      LowerAscii(name + "\n" + t.tag.description), std::move(json)});
    }
    return Paginate(std::move(rows), p, path, "Successfully fetched data");
  }

  core::HttpResponse StoreTag(const Json& body) {
    auto in = core::ConvertJson<api::NewTag>(body);
    if (!in.ok()) return Fail(422, "Validation failed");
    const std::string type =
        in->type && !in->type->empty() ? *in->type : std::string(api::kDefaultTagType);
    const std::string now = Now();
    auto apply = [&](api::Tag& tag) {
      if (in->slug && !in->slug->empty()) tag.slug = *in->slug;
      if (in->parent_id) tag.parent_id = in->parent_id;
      if (in->description) tag.description = *in->description;
      if (in->icon) tag.icon = *in->icon;
      if (in->sort) tag.sort = *in->sort;
      tag.updated_at = now;
    };
    if (StoredTag* existing = FindTag(in->name, type)) {
      if (!in->update_when_duplicated.value_or(false))
        return Ok("Skipped. Duplicated tag found", RenderTag(*existing, "", 1));
      IndexTag(*existing, false);
      apply(existing->tag);
      IndexTag(*existing, true);
      touched_.tags.insert(existing->tag.id);
      return Ok("Existing tag updated", RenderTag(*existing, "", 1));
    }
    StoredTag& t = AddTag(in->name, Slugify(in->name), type, std::nullopt, 0, now);
    IndexTag(t, false);
    apply(t.tag);
    IndexTag(t, true);
    t.tag.updated_at = t.tag.created_at;
    return Ok("tag #" + std::to_string(t.tag.id) + " created", RenderTag(t, "", 1));
  }

  core::HttpResponse ExistingTags(const Json& body) {
    Json ids = Json::array();
    std::set<std::int64_t> seen;
    for (const auto& v : body.value("tagIds", Json::array())) {
      std::int64_t id = v.get<std::int64_t>();
      if (tags_.count(id) && seen.insert(id).second) ids.push_back(id);
    }
    return Ok("Successfully fetched data", {{"ids", ids}});
  }

  // ---- pages ----
  const api::Page* FindPageBySlug(const std::string& slug) const {
    auto id = page_slugs_.First(slug);
    return id ? &pages_.at(*id) : nullptr;
  }

  core::HttpResponse ListPages(const Json& body, const std::string& path) {
    ListParams p = ReadList(body);
    std::vector<ListRow> rows;
    for (const auto& [id, page] : pages_) {
      if (page.status != "published") continue;
      rows.push_back({id, page.created_at, page.updated_at, page.title, page.sort,
                      LowerAscii(page.title + "\n" + page.content), Json(page)});
    }
    return Paginate(std::move(rows), p, path, "Successfully fetched pages");
  }

  core::HttpResponse StorePage(const Json& body) {
    auto in = core::ConvertJson<api::NewPage>(body);
    if (!in.ok()) return Fail(422, "Validation failed");
    api::Page page;
    page.id = NextId(next_page_id_);
    page.title = in->title;
    page.slug = in->slug && !in->slug->empty() ? *in->slug : UniqueSlug([&](const std::string& s) {
      return FindPageBySlug(s) != nullptr;
    });
    page.content = in->content.value_or("");
    page.status = in->status.value_or("published");
    page.sort = in->sort.value_or(0);
    page.created_at = page.updated_at = Now();
    pages_[page.id] = page;
    page_slugs_.Add(page.slug, page.id);
    touched_.pages.insert(page.id);
    return Ok("page #" + std::to_string(page.id) + " created", page);
  }

  core::HttpResponse ShowPage(const std::string& key) {
    const api::Page* found = nullptr;
    if (auto id = ParseId(key)) {
      auto it = pages_.find(*id);
      if (it != pages_.end()) found = &it->second;
    }
    if (!found) found = FindPageBySlug(key);
    if (!found) return Fail(404, "Page not found");
    return Ok("Successfully fetched data", *found);
  }

  // ---- menus ----
  const api::Menu* FindMenuByName(const std::string& name) const {
    auto id = menu_names_.First(name);
    return id ? &menus_.at(*id) : nullptr;
  }

  std::vector<api::MenuItem> BuildItems(const std::vector<api::MenuItemInput>& inputs,
                                        std::optional<std::int64_t> parent) {
    std::vector<api::MenuItem> out;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const auto& in = inputs[i];
      api::MenuItem item;
      item.id = NextId(next_menu_item_id_);
      item.parent_id = parent;
      item.name = in.name;
      item.type = in.type.value_or("link");
      item.url = in.url.value_or("");
      item.icon = in.icon.value_or("");
      item.is_new_window = in.is_new_window.value_or(false);
      item.sort = in.sort.value_or(static_cast<std::int64_t>(i));
      item.items = BuildItems(in.children, item.id);
      out.push_back(std::move(item));
    }
    return out;
  }

  core::HttpResponse ListMenus(const Json& body, const std::string& path) {
    ListParams p = ReadList(body);
    std::vector<ListRow> rows;
    for (const auto& [id, m] : menus_) {
      std::string text = m.name;
      for (const auto& item : m.items) text += "\n" + item.name;
      rows.push_back({id, m.created_at, m.updated_at, m.name, id, LowerAscii(text), Json(m)});
    }
    return Paginate(std::move(rows), p, path, "Successfully fetched menus");
  }

  core::HttpResponse StoreMenu(const Json& body, bool sync) {
    auto in = core::ConvertJson<api::MenuInput>(body);
    if (!in.ok()) return Fail(422, "Validation failed");
    const std::string now = Now();
    api::Menu* menu = nullptr;
    bool created = false;
    if (sync) {
      if (auto id = menu_names_.Last(in->name)) menu = &menus_.at(*id);  // the newest of the name
    }
    if (!menu) {
      api::Menu m;
      m.id = NextId(next_menu_id_);
      m.name = in->name;
      m.created_at = now;
      menu = &(menus_[m.id] = m);
      menu_names_.Add(m.name, m.id);
      created = true;
    }
    menu->items = BuildItems(in->menu_items, std::nullopt);
    menu->updated_at = now;
    touched_.menus.insert(menu->id);
    std::string message = !sync     ? "menu #" + std::to_string(menu->id) + " created"
                          : created ? "Successfully created menu"
                                    : "Successfully synced menu";
    return Ok(message, *menu);
  }

  core::HttpResponse ShowMenu(const std::string& key) {
    auto id = ParseId(key);
    auto it = id ? menus_.find(*id) : menus_.end();
    if (it == menus_.end()) return Fail(404, "Menu not found");
    return Ok("Successfully fetched data", it->second);
  }

  // ---- indexes (IdIndex) ----
  void IndexPost(const StoredPost& s, bool add) {
    auto put = [&](auto& index, const std::string& key) {
      add ? index.Add(key, s.post.id) : index.Remove(key, s.post.id);
    };
    put(post_slugs_, s.post.slug);
    put(post_titles_, s.post.title);
    for (const auto& [locale, title] : s.titles) put(post_titles_, title);
  }
  void IndexTag(const StoredTag& t, bool add) {
    const std::pair<std::string, std::string> name{t.tag.name, t.tag.type};
    add ? tag_names_.Add(name, t.tag.id) : tag_names_.Remove(name, t.tag.id);
    if (t.tag.parent_id) {
      add ? tag_children_.Add(*t.tag.parent_id, t.tag.id)
          : tag_children_.Remove(*t.tag.parent_id, t.tag.id);
    }
  }
  void Reindex() {
    post_slugs_.Clear();
    post_titles_.Clear();
    tag_names_.Clear();
    tag_children_.Clear();
    page_slugs_.Clear();
    menu_names_.Clear();
    for (const auto& [id, p] : posts_) IndexPost(p, true);
    for (const auto& [id, t] : tags_) IndexTag(t, true);
    for (const auto& [id, p] : pages_) page_slugs_.Add(p.slug, id);
    for (const auto& [id, m] : menus_) menu_names_.Add(m.name, id);
  }

  // ---- state ----
  static Json PostJson(const StoredPost& p) {
    Json j = p.post;
    j["translations"] = TranslationsJson(p.titles);
    return j;
  }
  static Json TagJson(const StoredTag& t) {
    Json j = t.tag;
    j["translations"] = TranslationsJson(t.names);
    return j;
  }

  // Fixed-width decimal (a negative id, only from an imported state, keeps its sign), so the
  // store lists rows in id order.
  static std::string RowKey(std::int64_t id) {
    if (id < 0) return std::to_string(id);
    std::string digits = std::to_string(id);
    return std::string(19 - std::min<std::size_t>(19, digits.size()), '0') + digits;
  }

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
  Json MetaJson() const {
    Json counters = {{"rng_draws", draws_}};
    for (auto [name, counter] : Counters(*this)) counters[name] = *counter;
    return {{"settings", Settings()}, {"counters", counters}};
  }

  // Every change of the state marks what it touched; Flush reports those rows (a record that is
  // gone is a deleted row) at the end of the request or admin change, nothing without a store.
  std::int64_t NextId(std::int64_t& counter) {
    touched_.meta = true;
    return counter++;
  }
  std::uint64_t Draw() {
    touched_.meta = true;
    ++draws_;
    return rng_();
  }
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
  void Flush() {
    if (context_->durable()) {
      FlushRows(kPostRows, touched_.posts, posts_, PostJson);
      FlushRows(kTagRows, touched_.tags, tags_, TagJson);
      FlushRows(kPageRows, touched_.pages, pages_, [](const api::Page& p) { return Json(p); });
      FlushRows(kMenuRows, touched_.menus, menus_, [](const api::Menu& m) { return Json(m); });
      if (touched_.meta) context_->RowChanged(kMetaRows, "", core::DumpJson(MetaJson()));
    }
    touched_ = {};
  }

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

  static std::int64_t MaxItemId(const std::vector<api::MenuItem>& items) {
    std::int64_t m = 0;
    for (const auto& i : items) m = std::max({m, i.id, MaxItemId(i.items)});
    return m;
  }

  void RecomputeNextIds() {
    auto next = [](const auto& map) { return map.empty() ? 1 : map.rbegin()->first + 1; };
    next_post_id_ = next(posts_);
    next_tag_id_ = next(tags_);
    next_page_id_ = next(pages_);
    next_menu_id_ = next(menus_);
    next_menu_item_id_ = 1;
    for (const auto& [id, m] : menus_)
      next_menu_item_id_ = std::max(next_menu_item_id_, MaxItemId(m.items) + 1);
  }

  // ---- demo data ----
  void SeedContent() {
    posts_.clear();
    tags_.clear();
    pages_.clear();
    menus_.clear();
    next_post_id_ = next_tag_id_ = next_page_id_ = next_menu_id_ = next_menu_item_id_ = 1;
    // Fixed dates, so lists and goldens do not depend on when the mock starts.
    const core::TimePoint base = *core::ParseIso8601("2025-12-01T08:00:00Z");
    auto at = [&](int days, int hours = 0) {
      return core::FormatIso8601(base + std::chrono::hours(24 * days + hours));
    };

    AddTag("公告", "announcements", "post_category", std::nullopt, 30, at(0),
           {{"en", "Announcements"}});  // 1
    AddTag("教學", "tutorials", "post_category", std::nullopt, 20, at(0),
           {{"en", "Tutorials"}});                                                       // 2
    AddTag("新聞", "news", "post_category", std::nullopt, 10, at(0), {{"en", "News"}});  // 3
    AddTag("Laravel", "laravel", "post_category", 2, 5, at(0));                          // 4
    AddTag("wncms", "wncms", "post_tag", std::nullopt, 0, at(0));                        // 5
    AddTag("php", "php", "post_tag", std::nullopt, 0, at(0));                            // 6
    AddTag("cms", "cms", "post_tag", std::nullopt, 0, at(0));                            // 7
    AddTag("產品", "products", "product_category", std::nullopt, 0, at(0),
           {{"en", "Products"}});  // 8

    struct Seed {
      const char* title;
      const char* slug;
      Translations titles;
    };
    const std::vector<Seed> seeds = {
        {"歡迎使用 WNCMS", "welcome", {{"en", "Welcome to WNCMS"}}},
        {"Getting started with WNCMS", "getting-started", {{"zh-TW", "WNCMS 入門"}}},
        {"如何安裝主題", "install-a-theme", {{"en", "How to install a theme"}}},
        {"Writing your first plugin", "first-plugin", {}},
        {"Laravel 11 升級指南", "laravel-11-upgrade", {}},
        {"API token best practices", "api-token-best-practices", {}},
        {"多語系網站設定", "multilingual-sites", {{"en", "Setting up a multilingual site"}}},
        {"Caching and performance tips", "caching-tips", {}},
        {"文章分頁與篩選", "pagination-and-filters", {}},
        {"Release notes 5.0", "release-notes-5-0", {}},
        {"標籤與分類的差別", "tags-vs-categories", {}},
        {"Building menus with the API", "menus-with-the-api", {}},
        {"SEO 基礎設定", "seo-basics", {}},
        {"Deploying on a VPS", "deploying-on-a-vps", {}},
        {"常見問題 FAQ", "faq", {}},
        {"Custom post types", "custom-post-types", {}},
        {"網站備份與還原", "backup-and-restore", {}},
        {"Using the REST API from JavaScript", "rest-api-from-javascript", {}},
        {"草稿：尚未發布的文章", "draft", {}},
        {"WNCMS 2026 roadmap", "roadmap-2026", {}},
    };
    for (std::size_t i = 0; i < seeds.size(); ++i) {
      const int n = static_cast<int>(i) + 1;
      StoredPost s;
      api::Post& p = s.post;
      p.id = next_post_id_++;
      p.title = seeds[i].title;
      p.slug = seeds[i].slug;
      p.excerpt = std::string("Excerpt of ") + seeds[i].slug;
      p.content = "<p>" + p.title + "</p><p>WNCMS demo content #" + std::to_string(n) + "</p>";
      p.status = n == 19 ? "drafted" : "published";
      p.sort = (n * 7) % 10;
      p.tag_ids = {static_cast<std::int64_t>(1 + i % 3), static_cast<std::int64_t>(5 + i % 2)};
      if (n % 5 == 0) p.tag_ids.push_back(7);
      if (n % 4 == 0) p.tag_ids.push_back(4);
      p.created_at = at(n);
      p.published_at = p.created_at;
      p.updated_at = at(n, (n * 5) % 24 + 24 * (n % 3));
      s.titles = seeds[i].titles;
      posts_[p.id] = std::move(s);
    }

    auto page = [&](const char* title, const char* slug, const char* content, const char* status,
                    int day) {
      api::Page p;
      p.id = next_page_id_++;
      p.title = title;
      p.slug = slug;
      p.content = content;
      p.status = status;
      p.sort = p.id;
      p.created_at = p.updated_at = at(day);
      pages_[p.id] = p;
    };
    page("關於我們", "about", "<p>WNCMS 是一套多站點內容管理系統。</p>", "published", 1);
    page("聯絡我們", "contact", "<p>service@example.com</p>", "published", 2);
    page("Privacy Policy", "privacy", "<p>We keep no personal data in this demo.</p>", "published",
         3);
    page("Coming soon", "coming-soon", "<p>Draft page.</p>", "drafted", 4);

    auto item = [](const char* name, const char* url,
                   std::vector<api::MenuItemInput> children = {}) {
      api::MenuItemInput in;
      in.name = name;
      in.url = url;
      in.children = std::move(children);
      return in;
    };
    for (auto [name, items] :
         {std::pair<const char*, std::vector<api::MenuItemInput>>{
              // Not the documents' example name ("Main menu"): their menus.store example creates
              // that one, and must succeed against the seeded mock as it does in the documents.
              "Site menu",
              {item("首頁", "/"),
               item("文章", "/posts", {item("教學", "/tag/tutorials"), item("新聞", "/tag/news")}),
               item("關於我們", "/page/about")}},
          {"Footer",
           {item("Privacy Policy", "/page/privacy"), item("聯絡我們", "/page/contact")}}}) {
      api::Menu m;
      m.id = next_menu_id_++;
      m.name = name;
      m.items = BuildItems(items, std::nullopt);
      m.created_at = m.updated_at = at(static_cast<int>(m.id));
      menus_[m.id] = m;
    }
    Reindex();
  }

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

}  // namespace

std::unique_ptr<ServiceModule> MakeModule() {
  return std::make_unique<Module>();
}

}  // namespace restbox::mock::wncms

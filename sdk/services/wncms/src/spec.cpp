#include "restbox/wncms/spec.hpp"

#include <array>
#include <utility>
#include <vector>

#include "restbox/core/schema.hpp"
#include "restbox/wncms/models.hpp"

namespace restbox::wncms {
namespace {

using core::FieldIn;
using core::FieldSpec;
using core::FieldType;
using core::StatusSpec;

// Feature toggles. The seed names three of them (wncms_api_posts_index, wncms_api_posts_store,
// wncms_api_tag_store); the rest follow the same family spelling: "posts" for the post routes,
// and WNCMS's own singular model names (tag, page, menu) elsewhere.
constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kFeatureKeys = {{
    {kPostsIndex, "wncms_api_posts_index"},
    {kPostsStore, "wncms_api_posts_store"},
    {kPostsShow, "wncms_api_posts_show"},
    {kTagsIndex, "wncms_api_tag_index"},
    {kTagsStore, "wncms_api_tag_store"},
    {kTagsExist, "wncms_api_tag_exist"},
    {kPagesIndex, "wncms_api_page_index"},
    {kPagesStore, "wncms_api_page_store"},
    {kPagesShow, "wncms_api_page_show"},
    {kMenusIndex, "wncms_api_menu_index"},
    {kMenusStore, "wncms_api_menu_store"},
    {kMenusSync, "wncms_api_menu_sync"},
    {kMenusShow, "wncms_api_menu_show"},
}};

FieldSpec ApiToken() {
  return {.name = "api_token",
          .in = FieldIn::kBody,
          .type = FieldType::kString,
          .description =
              "the user's API token (WNCMS admin -> user profile -> API Token). Needed "
              "when the route's auth setting is api_token (every route, by default)",
          .example = "\"your-api-token-here\""};
}

FieldSpec Locale() {
  return {.name = "locale",
          .type = FieldType::kString,
          .description =
              "answer in this locale (e.g. zh-TW, en) where a translation exists; "
              "otherwise the stored text",
          .max_length = 10,
          .example = "\"zh-TW\""};
}

std::vector<FieldSpec> ListFields() {
  return {
      ApiToken(),
      {.name = "page",
       .type = FieldType::kInteger,
       .description = "page number, from 1",
       .minimum = 1,
       .default_value = "1",
       .example = "2"},
      {.name = "page_size",
       .type = FieldType::kInteger,
       .description = "items per page",
       .minimum = 1,
       .maximum = static_cast<double>(kMaxPageSize),
       .default_value = "15",
       .example = "20"},
      {.name = "keywords",
       .type = FieldType::kString,
       .description = "space-separated words; an item matches when its title (name), excerpt or "
                      "content contains any of them, ignoring ASCII case",
       .example = "\"search term\""},
      {.name = "sort",
       .type = FieldType::kString,
       .description = "sort field",
       .enum_values = {"created_at", "updated_at", "title", "sort"},
       .default_value = "\"created_at\"",
       .example = "\"created_at\""},
      {.name = "direction",
       .type = FieldType::kString,
       .description = "sort direction",
       .enum_values = {"asc", "desc"},
       .default_value = "\"desc\"",
       .example = "\"desc\""},
      Locale(),
  };
}

std::vector<FieldSpec> PostListFields() {
  auto f = ListFields();
  f.push_back({.name = "tags",
               .type = FieldType::kArray,
               .description = "tag ids (integers): posts carrying any of them",
               .example = "[1, 2, 3]"});
  f.push_back({.name = "tag_type",
               .type = FieldType::kString,
               .description =
                   "only the given tags of this type count (post_category, post_tag...); "
                   "alone, posts carrying any tag of this type",
               .max_length = 50,
               .example = "\"post_category\""});
  f.push_back({.name = "excluded_post_ids",
               .type = FieldType::kArray,
               .description = "post ids (integers) left out of the list",
               .example = "[5, 10, 15]"});
  f.push_back({.name = "is_random",
               .type = FieldType::kBoolean,
               .description = "random order instead of sort/direction (the mock's order is seeded: "
                              "the same after every reset)",
               .default_value = "false",
               .example = "true"});
  return f;
}

FieldSpec IdParam(std::string description, std::string example) {
  return {.name = "id",
          .in = FieldIn::kPath,
          .type = FieldType::kString,
          .required = true,
          .description = std::move(description),
          .example = std::move(example)};
}

std::vector<FieldSpec> ShowFields(FieldSpec id) {
  return {std::move(id), ApiToken(), Locale()};
}

FieldSpec Sort() {
  return {.name = "sort",
          .type = FieldType::kInteger,
          .description = "manual order (the list's sort=sort orders by it)",
          .example = "10"};
}

std::vector<FieldSpec> MenuWriteFields(std::string items_description) {
  return {ApiToken(),
          {.name = "name",
           .type = FieldType::kString,
           .required = true,
           .description = "menu name",
           .max_length = 255,
           .example = "\"Main menu\""},
          {.name = "menu_items",
           .type = FieldType::kArray,
           .description = std::move(items_description),
           .example = R"([{"name":"首頁","type":"link","url":"/","children":[]}])"}};
}

// Examples from the seed.
constexpr const char* kListRequest = R"({
  "api_token": "your-api-token-here",
  "page_size": 20,
  "page": 2
})";

constexpr const char* kPostListResponse = R"({
  "code": 200,
  "status": "success",
  "message": "Successfully fetched posts",
  "data": {
    "data": [
      {"id": 21, "title": "Hello WNCMS", "slug": "hello-wncms", "excerpt": "", "content": "…",
       "status": "published", "visibility": "public", "sort": 0,
       "categories": ["News"], "tags": ["release"], "tag_ids": [3, 9],
       "published_at": "2026-01-01T00:00:00.000Z", "created_at": "2026-01-01T00:00:00.000Z",
       "updated_at": "2026-01-01T00:00:00.000Z"}
    ],
    "pagination": {
      "total": 150,
      "count": 20,
      "page_size": 20,
      "current_page": 2,
      "last_page": 8,
      "has_more": true,
      "next": "/api/v1/posts?page=3",
      "previous": "/api/v1/posts?page=1"
    }
  },
  "extra": {}
})";

// A success envelope around `data` (JSON text).
std::string Ok(const std::string& message, const std::string& data) {
  return R"({"code":200,"status":"success","message":")" + message + R"(","data":)" + data +
         R"(,"extra":{}})";
}

std::string ListOf(const std::string& item) {
  return R"({"data":[)" + item + R"(],"pagination":{"total":1,"count":1,"page_size":15,)" +
         R"("current_page":1,"last_page":1,"has_more":false,"next":null,"previous":null}})";
}

constexpr const char* kPost =
    R"({"id":1,"title":"歡迎使用 WNCMS","slug":"welcome","excerpt":"","content":"<p>…</p>","status":"published","visibility":"public","sort":0,"categories":["公告"],"tags":["wncms"],"tag_ids":[1,5],"published_at":"2026-01-01T00:00:00.000Z","created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"})";
constexpr const char* kTag =
    R"({"id":1,"name":"公告","slug":"announcements","type":"post_category","parent_id":null,"description":"","icon":"","sort":0,"children":[],"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"})";
constexpr const char* kPage =
    R"({"id":1,"title":"關於我們","slug":"about","content":"<p>…</p>","status":"published","sort":0,"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"})";
constexpr const char* kMenu =
    R"({"id":1,"name":"Main menu","items":[{"id":1,"parent_id":null,"name":"首頁","type":"link","url":"/","icon":"","is_new_window":false,"sort":0,"items":[]}],"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"})";
constexpr const char* kMenuRequest =
    R"({"api_token":"your-api-token-here","name":"Main menu","menu_items":[{"name":"首頁","type":"link","url":"/"}]})";

// ---- body schemas (restbox/core/schema.hpp) ----
// The seed documents the envelope, the list's data/pagination, the 422's data.errors and the two
// shapes of the disabled-route answer; the items' members are WNCMS's models, which the seed does
// not show: only their id is required, and any member may be null. A post's categories and tags
// are names or tag objects (installations answer either).
constexpr const char* kPostSchema = R"({"type":"object","required":["id"],"properties":{
  "id":{"type":"integer"},"title":{"type":"string","nullable":true},"slug":{"type":"string","nullable":true},
  "excerpt":{"type":"string","nullable":true},"content":{"type":"string","nullable":true},
  "status":{"type":"string","nullable":true},"visibility":{"type":"string","nullable":true},
  "sort":{"type":"integer","nullable":true},
  "categories":{"type":"array","nullable":true,"items":{"anyOf":[{"type":"string"},{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}]}},
  "tags":{"type":"array","nullable":true,"items":{"anyOf":[{"type":"string"},{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}]}},
  "tag_ids":{"type":"array","nullable":true,"items":{"type":"integer"}},
  "published_at":{"type":"string","nullable":true},"created_at":{"type":"string","nullable":true},
  "updated_at":{"type":"string","nullable":true}}})";
constexpr const char* kTagMembers = R"(
  "id":{"type":"integer"},"name":{"type":"string"},"slug":{"type":"string","nullable":true},
  "type":{"type":"string","nullable":true},"parent_id":{"type":"integer","nullable":true},
  "description":{"type":"string","nullable":true},"icon":{"type":"string","nullable":true},
  "sort":{"type":"integer","nullable":true},"created_at":{"type":"string","nullable":true},
  "updated_at":{"type":"string","nullable":true})";
constexpr const char* kPageSchema = R"({"type":"object","required":["id"],"properties":{
  "id":{"type":"integer"},"title":{"type":"string","nullable":true},"slug":{"type":"string","nullable":true},
  "content":{"type":"string","nullable":true},"status":{"type":"string","nullable":true},
  "sort":{"type":"integer","nullable":true},"created_at":{"type":"string","nullable":true},
  "updated_at":{"type":"string","nullable":true}}})";
constexpr const char* kMenuItemMembers = R"(
  "id":{"type":"integer"},"parent_id":{"type":"integer","nullable":true},"name":{"type":"string"},
  "type":{"type":"string","nullable":true},"url":{"type":"string","nullable":true},
  "icon":{"type":"string","nullable":true},"is_new_window":{"type":"boolean","nullable":true},
  "sort":{"type":"integer","nullable":true})";
constexpr const char* kPaginationSchema = R"({"type":"object",
  "required":["total","count","page_size","current_page","last_page","has_more","next","previous"],
  "properties":{"total":{"type":"integer"},"count":{"type":"integer"},"page_size":{"type":"integer"},
  "current_page":{"type":"integer"},"last_page":{"type":"integer"},"has_more":{"type":"boolean"},
  "next":{"type":"string","nullable":true},"previous":{"type":"string","nullable":true}}})";

core::Json TagSchema() {
  core::Json child = core::SchemaFromText(
      std::string("{\"type\":\"object\",\"required\":[\"id\",\"name\"],\"properties\":{") +
      kTagMembers + "}}");
  core::Json tag = child;
  tag["properties"]["children"] = {{"type", "array"}, {"nullable", true}, {"items", child}};
  return tag;
}

core::Json MenuSchema() {
  // Item trees nest without a documented bound: two levels are described, deeper ones any object.
  core::Json leaf = core::SchemaFromText(
      std::string("{\"type\":\"object\",\"required\":[\"id\",\"name\"],\"properties\":{") +
      kMenuItemMembers + "}}");
  core::Json item = leaf;
  item["properties"]["items"] = {{"type", "array"}, {"nullable", true}, {"items", leaf}};
  core::Json menu = core::SchemaFromText(R"({"type":"object","required":["id","name"],"properties":{
    "id":{"type":"integer"},"name":{"type":"string"},"created_at":{"type":"string","nullable":true},
    "updated_at":{"type":"string","nullable":true}}})");
  menu["properties"]["items"] = {{"type", "array"}, {"nullable", true}, {"items", item}};
  return menu;
}

// {"code":200,"status":"success","message":…,"data":<data>,"extra":{}}
core::Json SuccessEnvelope(core::Json data) {
  core::Json e = core::SchemaFromText(
      R"({"type":"object","required":["code","status","message","data"],"properties":{
    "code":{"type":"integer","enum":[200]},"status":{"type":"string","enum":["success"]},
    "message":{"type":"string"},"extra":{"type":"object","nullable":true}}})");
  e["properties"]["data"] = std::move(data);
  return e;
}

core::Json ListEnvelope(core::Json item) {
  core::Json data = {{"type", "object"}, {"required", core::Json::array({"data", "pagination"})}};
  data["properties"]["data"] = {{"type", "array"}, {"items", std::move(item)}};
  data["properties"]["pagination"] = core::SchemaFromText(kPaginationSchema);
  return SuccessEnvelope(std::move(data));
}

// A failure in the envelope: status "fail", a message, data null (or, for 422, data.errors).
// `code` is the HTTP status where present (the seed's 401 answer shows none).
core::Json FailEnvelope(int status) {
  core::Json e =
      core::SchemaFromText(R"({"type":"object","required":["status","message"],"properties":{
    "status":{"type":"string","enum":["fail"]},"message":{"type":"string"},
    "extra":{"type":"object","nullable":true}}})");
  e["properties"]["code"] = {{"type", "integer"}, {"enum", core::Json::array({status})}};
  if (status == 422) {
    e["required"].push_back("data");
    e["properties"]["data"] =
        core::SchemaFromText(R"({"type":"object","required":["errors"],"properties":{
      "errors":{"type":"object","description":"field name -> array of messages"}}})");
  } else {
    e["properties"]["data"] = {{"nullable", true}, {"description", "null"}};
  }
  return e;
}

core::Json ErrorSchema(int status) {
  if (status != 403) return FailEnvelope(status);
  // The seed also shows the short {"status":403,"message":"API access is disabled"}.
  core::Json short_form =
      core::SchemaFromText(R"({"type":"object","required":["status","message"],"properties":{
    "status":{"type":"integer","enum":[403]},"message":{"type":"string"}}})");
  return {{"anyOf", core::Json::array({FailEnvelope(403), short_form})}};
}

core::ServiceSpec Build() {
  core::ServiceSpec s;
  s.id = "wncms";
  s.title = "WNCMS CMS API";
  s.description =
      "Posts, tags, pages and menus of a WNCMS site. Every route is POST with a JSON body carrying "
      "api_token; every answer is the envelope {code, status, message, data, extra}. Each route "
      "has "
      "a feature toggle and an auth setting in System Settings -> API.";
  s.auth = core::AuthScheme::kBodyToken;
  s.default_base_url = "https://your-domain.com";

  const StatusSpec k400{400, "400",
                        "a body that is not valid JSON; malformed parameters: page/page_size not a "
                        "positive integer (page_size <= 100), unknown sort field, direction not "
                        "asc/desc, filters of the wrong type, or a body that is not a JSON object"};
  // Every route reads its token from the body, so a body that is not JSON is refused before the
  // token is looked at, on every route (API-CONTRACT section 2, 400).
  const StatusSpec k400json{400, "400", "a body that is not valid JSON (checked before the token)"};
  const StatusSpec k401{401, "401",
                        "api_token missing or unknown while the route's auth setting is api_token: "
                        "{\"status\":\"fail\",\"message\":\"Invalid token\"} in the envelope"};
  const StatusSpec k403{403, "403", "the route's feature toggle is off: API access is disabled"};
  const StatusSpec k500{500, "500", "Server Error: … (forced or injected)"};
  auto rows = [&](const std::vector<StatusSpec>& specific) {
    std::vector<StatusSpec> v;
    for (auto& e : specific) {
      if (e.status == 400) v.push_back(e);
    }
    if (v.empty()) v.push_back(k400json);
    v.push_back(k401);
    v.push_back(k403);
    for (auto& e : specific) {
      if (e.status != 400) v.push_back(e);
    }
    v.push_back(k500);
    return v;
  };
  auto make = [&](std::string_view id, std::string path, std::string summary, bool idempotent,
                  const std::vector<StatusSpec>& specific, std::vector<FieldSpec> fields) {
    core::EndpointSpec e;
    e.id = std::string(id);
    e.method = core::Method::kPost;
    e.path = std::move(path);
    e.summary = std::move(summary);
    e.success = {200};
    e.errors = rows(specific);
    e.fields = std::move(fields);
    e.idempotent = idempotent;
    return e;
  };

  // ---- posts ----
  auto posts_index = make(kPostsIndex, "/api/v1/posts/index",
                          "List published posts (filters, sort, random order, pagination). Also "
                          "served at POST /api/v1/posts",
                          true, {k400}, PostListFields());
  posts_index.example_request = kListRequest;
  posts_index.example_response = kPostListResponse;

  std::vector<FieldSpec> post_fields = {
      ApiToken(),
      {.name = "title",
       .type = FieldType::kString,
       .required = true,
       .max_length = 255,
       .example = "\"Hello WNCMS\""},
      {.name = "content",
       .type = FieldType::kString,
       .required = true,
       .description = "HTML body",
       .example = "\"<p>Hello</p>\""},
      {.name = "slug",
       .type = FieldType::kString,
       .description = "URL slug; default: a unique random 6-character slug",
       .max_length = 255},
      {.name = "excerpt", .type = FieldType::kString},
      {.name = "status",
       .type = FieldType::kString,
       .description = "only published posts are listed",
       .enum_values = {"published", "drafted", "trashed"},
       .default_value = "\"published\""},
      {.name = "visibility",
       .type = FieldType::kString,
       .enum_values = {"public", "member", "admin"},
       .default_value = "\"public\""},
      {.name = "categories",
       .type = FieldType::kString,
       .description =
           "comma-separated category names (tags of type post_category; created when new)",
       .example = "\"News,Guides\""},
      {.name = "tags",
       .type = FieldType::kString,
       .description = "comma-separated tag names (tags of type post_tag; created when new)",
       .example = "\"release,cms\""},
      {.name = "published_at",
       .type = FieldType::kString,
       .description = "publication time (ISO 8601 or 'YYYY-MM-DD HH:MM:SS', UTC); default: now",
       .format = "date-time"},
      Sort(),
      {.name = "check_title",
       .type = FieldType::kBoolean,
       .description = "look for a post with the same title first: skip (or update, see below) "
                      "instead of creating a duplicate",
       .default_value = "false"},
      {.name = "update_content_when_duplicated",
       .type = FieldType::kBoolean,
       .description = "with check_title: update the existing post instead of skipping",
       .default_value = "false"},
  };
  auto posts_store = make(kPostsStore, "/api/v1/posts/store", "Create a post", false,
                          {{422, "422",
                            "title or content missing, a field of the wrong type or too long, an "
                            "unknown status/visibility, or an unparsable published_at"}},
                          post_fields);
  posts_store.example_request = R"({
  "api_token": "your-api-token-here",
  "title": "Hello WNCMS",
  "content": "<p>Hello</p>",
  "categories": "News",
  "tags": "release,cms"
})";
  posts_store.example_response =
      R"({"code":200,"status":"success","message":"post #21 created","data":{"id":21,"title":"Hello WNCMS","slug":"hello-wncms","excerpt":"","content":"<p>Hello</p>","status":"published","visibility":"public","sort":0,"categories":["News"],"tags":["release","cms"],"tag_ids":[3,9,7],"published_at":"2026-01-01T00:00:00.000Z","created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"},"extra":{}})";

  auto posts_show = make(kPostsShow, "/api/v1/posts/{id}", "Read one post (by id or slug)", true,
                         {{404, "404", "unknown post id or slug"}},
                         ShowFields(IdParam("post id or slug", "\"1\"")));

  // ---- tags ----
  auto tag_list_fields = ListFields();
  tag_list_fields.insert(tag_list_fields.begin() + 1,
                         {.name = "type",
                          .type = FieldType::kString,
                          .required = true,
                          .description = "tag type: post_category, post_tag...",
                          .max_length = 50,
                          .example = "\"post_category\""});
  auto tags_index = make(
      kTagsIndex, "/api/v1/tags/index", "List top-level tags of one type, each with its children",
      true, {{400, "400", k400.trigger}, {422, "422", "type missing or longer than 50 characters"}},
      tag_list_fields);
  tags_index.example_request = R"({"api_token":"your-api-token-here","type":"post_category"})";

  auto tags_store = make(
      kTagsStore, "/api/v1/tags/store", "Create a tag (or skip/update a duplicate name+type)",
      false,
      {{422, "422",
        "name missing or too long, a field of the wrong type, or parent_id not an existing tag"}},
      {ApiToken(),
       {.name = "name",
        .type = FieldType::kString,
        .required = true,
        .max_length = 255,
        .example = "\"新聞\""},
       {.name = "slug",
        .type = FieldType::kString,
        .description = "default: the name, slugified",
        .max_length = 255},
       {.name = "type",
        .type = FieldType::kString,
        .max_length = 50,
        .default_value = "\"post_category\""},
       {.name = "parent_id", .type = FieldType::kInteger, .description = "id of an existing tag"},
       {.name = "description", .type = FieldType::kString},
       {.name = "icon", .type = FieldType::kString, .max_length = 255},
       Sort(),
       {.name = "update_when_duplicated",
        .type = FieldType::kBoolean,
        .description = "a tag with the same name and type exists: update it (true) or skip (false)",
        .default_value = "false"}});
  tags_store.example_request =
      R"({"api_token":"your-api-token-here","name":"新聞","type":"post_category"})";

  auto tags_exist = make(kTagsExist, "/api/v1/tags/exist", "Which of these tag ids exist", true,
                         {{422, "422", "tagIds missing, not an array, or with a non-integer item"}},
                         {ApiToken(),
                          {.name = "tagIds",
                           .type = FieldType::kArray,
                           .required = true,
                           .description = "tag ids (integers)",
                           .example = "[1, 2, 999]"}});
  tags_exist.example_request = R"({"api_token":"your-api-token-here","tagIds":[1,2,999]})";
  tags_exist.example_response =
      R"({"code":200,"status":"success","message":"Successfully fetched data","data":{"ids":[1,2]},"extra":{}})";

  // ---- pages ----
  auto pages_index =
      make(kPagesIndex, "/api/v1/pages/index", "List published pages", true, {k400}, ListFields());
  auto pages_store = make(
      kPagesStore, "/api/v1/pages/store", "Create a page", false,
      {{422, "422", "title missing or too long, a field of the wrong type, or an unknown status"}},
      {ApiToken(),
       {.name = "title",
        .type = FieldType::kString,
        .required = true,
        .max_length = 255,
        .example = "\"關於我們\""},
       {.name = "slug",
        .type = FieldType::kString,
        .description = "default: a unique random slug",
        .max_length = 255},
       {.name = "content", .type = FieldType::kString},
       {.name = "status",
        .type = FieldType::kString,
        .enum_values = {"published", "drafted"},
        .default_value = "\"published\""},
       Sort()});
  auto pages_show = make(kPagesShow, "/api/v1/pages/{id}", "Read one page (by id or slug)", true,
                         {{404, "404", "unknown page id or slug"}},
                         ShowFields(IdParam("page id or slug", "\"1\"")));

  // ---- menus ----
  auto menus_index = make(kMenusIndex, "/api/v1/menus/index", "List menus with their item trees",
                          true, {k400}, ListFields());
  const std::string items =
      "menu items: [{name (required), type (link|page|post|tag; default link), url, icon, "
      "is_new_window, sort, children: [...]}]";
  auto menus_store = make(kMenusStore, "/api/v1/menus/store", "Create a menu", false,
                          {{422, "422", "name missing or too long, or a menu item without a name"}},
                          MenuWriteFields(items));
  auto menus_sync =
      make(kMenusSync, "/api/v1/menus/sync",
           "Replace the items of the menu with this name (created when missing)", true,
           {{422, "422", "name missing or too long, or a menu item without a name"}},
           MenuWriteFields(items + "; they replace the menu's current items"));
  auto menus_show =
      make(kMenusShow, "/api/v1/menus/{id}", "Read one menu with its item tree", true,
           {{404, "404", "unknown menu id"}}, ShowFields(IdParam("menu id", "\"1\"")));

  posts_show.example_request = R"({"api_token":"your-api-token-here","locale":"zh-TW"})";
  posts_show.example_response = Ok("Successfully fetched data", kPost);
  tags_index.example_response = Ok("Successfully fetched data", ListOf(kTag));
  tags_store.example_response = Ok("tag #1 created", kTag);
  pages_index.example_request = kListRequest;
  pages_index.example_response = Ok("Successfully fetched pages", ListOf(kPage));
  pages_store.example_request =
      R"({"api_token":"your-api-token-here","title":"關於我們","content":"<p>…</p>"})";
  pages_store.example_response = Ok("page #1 created", kPage);
  pages_show.example_request = R"({"api_token":"your-api-token-here"})";
  pages_show.example_response = Ok("Successfully fetched data", kPage);
  menus_index.example_request = kListRequest;
  menus_index.example_response = Ok("Successfully fetched menus", ListOf(kMenu));
  menus_store.example_request = kMenuRequest;
  menus_store.example_response = Ok("menu #1 created", kMenu);
  menus_sync.example_request = kMenuRequest;
  menus_sync.example_response = Ok("Successfully synced menu", kMenu);
  menus_show.example_request = R"({"api_token":"your-api-token-here"})";
  menus_show.example_response = Ok("Successfully fetched data", kMenu);

  const core::Json post = core::SchemaFromText(kPostSchema);
  const core::Json page = core::SchemaFromText(kPageSchema);
  posts_index.success_schema = ListEnvelope(post);
  posts_store.success_schema = posts_show.success_schema = SuccessEnvelope(post);
  tags_index.success_schema = ListEnvelope(TagSchema());
  tags_store.success_schema = SuccessEnvelope(TagSchema());
  // WNCMS answers {"ids":[…]}; the contract only says "answers the ids that exist", so a bare
  // array of them is as faithful.
  tags_exist.success_schema = SuccessEnvelope(core::SchemaFromText(
      R"({"anyOf":[{"type":"object","required":["ids"],"properties":{"ids":{"type":"array","items":{"type":"integer"}}}},
                   {"type":"array","items":{"type":"integer"}}]})"));
  pages_index.success_schema = ListEnvelope(page);
  pages_store.success_schema = pages_show.success_schema = SuccessEnvelope(page);
  menus_index.success_schema = ListEnvelope(MenuSchema());
  menus_store.success_schema = menus_sync.success_schema = menus_show.success_schema =
      SuccessEnvelope(MenuSchema());

  s.endpoints = {posts_index, posts_store, posts_show,  tags_index, tags_store,
                 tags_exist,  pages_index, pages_store, pages_show, menus_index,
                 menus_store, menus_sync,  menus_show};
  for (auto& e : s.endpoints) {
    for (auto& row : e.errors) row.schema = ErrorSchema(row.status);
  }
  // Every client of the service finishes its calls through this interpreter and checks them
  // with this function before sending (core::ServiceClient::Call).
  s.interpret = &InterpretResponse;
  s.check_request = &CheckBeforeSending;
  return s;
}

}  // namespace

const core::ServiceSpec& Spec() {
  static const core::ServiceSpec spec = Build();
  return spec;
}

const core::EndpointSpec& PostsIndexAlias() {
  static const core::EndpointSpec alias = [] {
    core::EndpointSpec e = *Spec().Find(kPostsIndex);
    e.path = std::string(kPostsIndexAliasPath);
    return e;
  }();
  return alias;
}

std::string_view FeatureKey(std::string_view endpoint_id) {
  for (const auto& [id, key] : kFeatureKeys) {
    if (id == endpoint_id) return key;
  }
  return {};
}

bool IsListEndpoint(std::string_view endpoint_id) {
  return endpoint_id.ends_with(".index");
}

}  // namespace restbox::wncms

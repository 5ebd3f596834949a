// wncms models against goldens written from the seed's examples (embedded: wasm has no files),
// error parsing of every answer shape, and the validation messages.
#include <gtest/gtest.h>

#include <set>

#include "restbox/core/schema.hpp"
#include "restbox/core/validation.hpp"
#include "restbox/wncms/models.hpp"
#include "restbox/wncms/spec.hpp"

namespace restbox::wncms {
namespace {

using core::Json;

// Seed: 錯誤回應範例.
constexpr const char* kSeedDisabled =
    R"({"code": 403, "status": "fail", "message": "API access is disabled", "data": null, "extra": {}})";
// Seed: 功能開關, "當停用時，您將收到".
constexpr const char* kSeedLegacyDisabled =
    R"({"status": 403, "message": "API access is disabled"})";
// Seed: 檢查身份驗證要求.
constexpr const char* kSeedInvalidToken = R"({"status": "fail", "message": "Invalid token"})";
// Seed: 驗證錯誤.
constexpr const char* kSeedValidation = R"({
  "code": 422,
  "status": "fail",
  "message": "Validation failed",
  "data": {
    "errors": {
      "title": ["The title field is required."],
      "content": ["The content field is required."]
    }
  }
})";
// Seed: 錯誤回應格式.
constexpr const char* kSeedServerError =
    R"({"code": 500, "status": "fail", "message": "Server Error: Database connection failed", "data": null, "extra": {}})";

core::HttpResponse Response(int status, std::string body) {
  core::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

const core::EndpointSpec& Ep(std::string_view id) {
  return *Spec().Find(id);
}

TEST(WncmsModels, SeedListEnvelopeRoundTrips) {
  // posts.index's example in the table is the seed's 成功回應範例 with its 分頁中繼資料 block.
  Json golden = Json::parse(Spec().Find(kPostsIndex)->example_response);
  auto envelope = core::ConvertJson<Envelope>(golden);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->code, 200);
  EXPECT_EQ(envelope->message, "Successfully fetched posts");
  auto pagination = core::ConvertJson<Pagination>(envelope->data["pagination"]);
  ASSERT_TRUE(pagination.ok());
  EXPECT_EQ(pagination->total, 150);
  EXPECT_EQ(pagination->last_page, 8);
  EXPECT_TRUE(pagination->has_more);
  EXPECT_EQ(pagination->next, "/api/v1/posts?page=3");
  EXPECT_EQ(pagination->previous, "/api/v1/posts?page=1");
  EXPECT_EQ(Json(*pagination), golden["data"]["pagination"]);
  EXPECT_EQ(Json(*envelope), golden);
}

TEST(WncmsModels, PaginationWithoutNeighboursWritesNulls) {
  Pagination p;
  p.total = 3;
  p.count = 3;
  Json j = p;
  EXPECT_TRUE(j["next"].is_null());
  EXPECT_TRUE(j["previous"].is_null());
  EXPECT_EQ(core::ConvertJson<Pagination>(j).value(), p);
}

TEST(WncmsModels, SpecExamplesDecodeIntoTheModels) {
  // Every success example of the table is an envelope whose data decodes into the call's model.
  for (const auto& ep : Spec().endpoints) {
    SCOPED_TRACE(ep.id);
    ASSERT_FALSE(ep.example_response.empty());
    auto envelope = DecodeEnvelope(Response(200, ep.example_response));
    ASSERT_TRUE(envelope.ok()) << envelope.error().Describe();
    const Json& data = envelope->data;
    auto check = [&](auto model, const Json& item) {
      using T = decltype(model);
      auto decoded = core::ConvertJson<T>(item);
      ASSERT_TRUE(decoded.ok()) << decoded.error().message;
      EXPECT_EQ(Json(*decoded), item);  // nothing lost, nothing invented
    };
    const std::string resource = ep.id.substr(0, ep.id.find('.'));
    if (ep.id == kTagsExist) {
      EXPECT_EQ(data["ids"], Json::parse("[1,2]"));
      continue;
    }
    const Json& item = IsListEndpoint(ep.id) ? data["data"][0] : data;
    if (IsListEndpoint(ep.id)) {
      EXPECT_TRUE(core::ConvertJson<Pagination>(data["pagination"]).ok());
    }
    if (resource == "posts") {
      check(Post{}, item);
    } else if (resource == "tags") {
      check(Tag{}, item);
    } else if (resource == "pages") {
      check(Page{}, item);
    } else {
      check(Menu{}, item);
    }
  }
}

// The seed shows no post: installations answer categories and tags as names or as tag objects.
TEST(WncmsModels, PostTagsReadAsNamesFromEitherShape) {
  auto names = Json::parse(R"({"id":1,"categories":["News"],"tags":["a","b"]})").get<Post>();
  auto objects = Json::parse(
                     R"({"id":1,"categories":[{"id":3,"name":"News","type":"post_category"}],
                         "tags":[{"id":4,"name":"a"},{"id":5,"name":"b"}]})")
                     .get<Post>();
  EXPECT_EQ(names, objects);
  EXPECT_EQ(objects.tags, (std::vector<std::string>{"a", "b"}));
  // Both shapes satisfy the table's schema; another type of item does not.
  const auto& schema = Spec().Find(kPostsShow)->success_schema;
  auto envelope = [](const char* post) {
    return Json::parse(std::string(R"({"code":200,"status":"success","message":"ok","data":)") +
                       post + "}");
  };
  EXPECT_TRUE(core::ValidateSchema(schema, envelope(R"({"id":1,"tags":[{"name":"a"}]})")).empty());
  EXPECT_TRUE(core::ValidateSchema(schema, envelope(R"({"id":1,"tags":["a"]})")).empty());
  EXPECT_FALSE(core::ValidateSchema(schema, envelope(R"({"id":1,"tags":[7]})")).empty());
}

TEST(WncmsModels, RequestsSendOnlyWhatIsSet) {
  NewPost post{.title = "你好", .content = "<p>hi</p>", .status = "drafted", .check_title = true};
  Json j = post;
  EXPECT_EQ(j,
            Json::parse(
                R"({"title":"你好","content":"<p>hi</p>","status":"drafted","check_title":true})"));
  EXPECT_EQ(core::ConvertJson<NewPost>(j).value(), post);

  ListQuery q{.page = 2, .tags = {1, 2}, .direction = "asc", .is_random = false};
  Json jq = q;
  EXPECT_EQ(jq, Json::parse(R"({"page":2,"tags":[1,2],"direction":"asc","is_random":false})"));
  EXPECT_EQ(core::ConvertJson<ListQuery>(jq).value(), q);

  MenuInput menu{.name = "Main",
                 .menu_items = {{.name = "A", .children = {{.name = "B", .url = "/b"}}}}};
  Json jm = menu;
  EXPECT_EQ(jm["menu_items"][0]["children"][0], Json::parse(R"({"name":"B","url":"/b"})"));
  EXPECT_EQ(core::ConvertJson<MenuInput>(jm).value(), menu);

  NewTag tag{.name = "新聞", .parent_id = 3, .update_when_duplicated = true};
  EXPECT_EQ(core::ConvertJson<NewTag>(Json(tag)).value(), tag);
}

TEST(WncmsErrors, FullEnvelope403) {
  core::Error e = ParseError(Response(403, kSeedDisabled));
  EXPECT_EQ(e.kind, core::ErrorKind::kForbidden);
  EXPECT_EQ(e.http_status, 403);
  EXPECT_EQ(e.code, "403");
  EXPECT_EQ(e.message, "API access is disabled");
}

TEST(WncmsErrors, ShortLegacy403Shape) {
  core::Error e = ParseError(Response(403, kSeedLegacyDisabled));
  EXPECT_EQ(e.kind, core::ErrorKind::kForbidden);
  EXPECT_EQ(e.code, "403");
  EXPECT_EQ(e.message, "API access is disabled");
  // Older WNCMS sends it with HTTP 200: still the same error, read from the body.
  core::Error on_200 = ParseError(Response(200, kSeedLegacyDisabled));
  EXPECT_EQ(on_200.kind, core::ErrorKind::kForbidden);
  EXPECT_EQ(on_200.http_status, 200);
  EXPECT_EQ(on_200.code, "403");
  auto decoded = DecodeEnvelope(Response(200, kSeedLegacyDisabled));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "403");
}

TEST(WncmsErrors, InvalidTokenInsideTheEnvelopeAndBare) {
  core::Error e = ParseError(Response(
      401, R"({"code":401,"status":"fail","message":"Invalid token","data":null,"extra":{}})"));
  EXPECT_EQ(e.kind, core::ErrorKind::kUnauthorized);
  EXPECT_EQ(e.code, "401");
  EXPECT_EQ(e.message, "Invalid token");
  // The seed's bare shape on HTTP 200 (no numeric code): a service error, not a success.
  auto bare = DecodeEnvelope(Response(200, kSeedInvalidToken));
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().kind, core::ErrorKind::kService);
  EXPECT_EQ(bare.error().code, "");
  EXPECT_EQ(bare.error().message, "Invalid token");
}

TEST(WncmsErrors, ValidationDetails) {
  core::Error e = ParseError(Response(422, kSeedValidation));
  EXPECT_EQ(e.kind, core::ErrorKind::kUnprocessable);
  EXPECT_EQ(e.code, "422");
  EXPECT_EQ(e.message, "Validation failed");
  std::vector<core::FieldError> want = {{"content", "The content field is required."},
                                        {"title", "The title field is required."}};
  EXPECT_EQ(e.details, want);
}

TEST(WncmsErrors, ServerErrorAndNonJson) {
  core::Error e = ParseError(Response(500, kSeedServerError));
  EXPECT_EQ(e.kind, core::ErrorKind::kServerError);
  EXPECT_EQ(e.message, "Server Error: Database connection failed");
  core::Error proxy = ParseError(Response(502, "<html>bad gateway</html>"));
  EXPECT_EQ(proxy.kind, core::ErrorKind::kServerError);
  EXPECT_EQ(proxy.code, "502");
  EXPECT_EQ(proxy.message, "Bad Gateway");
  EXPECT_EQ(proxy.raw_body, "<html>bad gateway</html>");
}

TEST(WncmsErrors, InterpretResponseGivesDataOrTheTypedError) {
  auto ok = InterpretResponse(Ep(kPostsIndex), Response(200, Ep(kPostsIndex).example_response));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["pagination"]["total"], 150);
  auto fail = InterpretResponse(Ep(kPostsIndex), Response(403, kSeedDisabled));
  ASSERT_FALSE(fail.ok());
  EXPECT_EQ(fail.error().code, "403");
  auto not_json = InterpretResponse(Ep(kPostsIndex), Response(200, "nope"));
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().kind, core::ErrorKind::kDecode);
}

TEST(WncmsValidation, LaravelMessagesFromTheSharedValidator) {
  Json body = {{"title", 5}};
  auto problems = core::ValidateRequest(Ep(kPostsStore), &body, {});
  auto rules = ServiceRules(Ep(kPostsStore), body);
  problems.insert(problems.end(), rules.begin(), rules.end());
  Rejection r = Reject(Ep(kPostsStore), problems);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.message, "Validation failed");
  EXPECT_EQ(r.errors["title"], std::vector<std::string>{"The title field must be a string."});
  EXPECT_EQ(r.errors["content"], std::vector<std::string>{"The content field is required."});
  Json envelope = RejectionBody(r);
  EXPECT_EQ(envelope["code"], 422);
  EXPECT_EQ(envelope["status"], "fail");
  EXPECT_EQ(envelope["data"]["errors"]["content"][0], "The content field is required.");
}

TEST(WncmsValidation, ListParametersAre400AndWin) {
  Json body = {{"page_size", "abc"}, {"direction", "up"}, {"type", ""}};
  auto problems = core::ValidateRequest(Ep(kTagsIndex), &body, {});
  auto rules = ServiceRules(Ep(kTagsIndex), body);
  problems.insert(problems.end(), rules.begin(), rules.end());
  Rejection r = Reject(Ep(kTagsIndex), problems);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.message, "Invalid parameters");
  EXPECT_EQ(r.errors["page_size"],
            std::vector<std::string>{"The page size field must be an integer."});
  EXPECT_EQ(r.errors["direction"],
            std::vector<std::string>{"The direction field must be one of: asc, desc."});
  EXPECT_EQ(r.errors.count("type"), 0u);  // a 422 problem, reported once the parameters are fine

  Json only_type = {{"type", ""}};
  auto p2 = ServiceRules(Ep(kTagsIndex), only_type);
  Rejection r2 = Reject(Ep(kTagsIndex), p2);
  EXPECT_EQ(r2.status, 422);
  EXPECT_EQ(r2.errors["type"], std::vector<std::string>{"The type field is required."});
}

TEST(WncmsValidation, ServiceRules) {
  auto messages = [](std::string_view ep, const Json& body) {
    std::set<std::string> out;
    for (const auto& p : ServiceRules(Ep(ep), body)) out.insert(p.field + ": " + p.message);
    return out;
  };
  EXPECT_EQ(messages(kTagsExist, {{"tagIds", {1, "x", 2.5}}}),
            (std::set<std::string>{"tagIds.1: The tagIds.1 field must be an integer.",
                                   "tagIds.2: The tagIds.2 field must be an integer."}));
  EXPECT_EQ(
      messages(kMenusSync,
               Json::parse(R"({"name":"m","menu_items":[{"name":"a","children":[{"url":"/"}]}]})")),
      (std::set<std::string>{
          "menu_items.0.children.0.name: The menu items.0.children.0.name field is required."}));
  EXPECT_EQ(
      messages(kPostsStore, {{"title", "t"}, {"content", "c"}, {"published_at", "yesterday"}}),
      (std::set<std::string>{"published_at: The published at field must be a valid date."}));
  EXPECT_TRUE(messages(kPostsStore,
                       {{"title", "t"}, {"content", "c"}, {"published_at", "2026-02-03 04:05:06"}})
                  .empty());
  EXPECT_EQ(messages(kPostsIndex, {{"page", 1e30}}),
            (std::set<std::string>{"page: The page field must be an integer."}));
  EXPECT_EQ(*ParsePublishedAt("2026-02-03 04:05:06"), *core::ParseIso8601("2026-02-03T04:05:06Z"));
}

TEST(WncmsValidation, LengthsCountCodePoints) {
  std::string title;
  for (int i = 0; i < 255; ++i) title += "文";
  Json body = {{"title", title}, {"content", "c"}};
  EXPECT_TRUE(core::ValidateRequest(Ep(kPostsStore), &body, {}).empty());
  body["title"] = title + "文";
  auto problems = core::ValidateRequest(Ep(kPostsStore), &body, {});
  EXPECT_EQ(Reject(Ep(kPostsStore), problems).errors["title"],
            std::vector<std::string>{"The title field must be at most 255 characters."});
}

TEST(WncmsSpec, RoutesTogglesAndAlias) {
  std::set<std::string_view> keys;
  for (const auto& ep : Spec().endpoints) {
    SCOPED_TRACE(ep.id);
    EXPECT_EQ(ep.method, core::Method::kPost);
    EXPECT_TRUE(ep.path.starts_with("/api/v1/"));
    EXPECT_TRUE(ep.IsSuccess(200));
    for (int status : {401, 403, 500})
      EXPECT_NE(ep.FindError(status, std::to_string(status)), nullptr);
    std::string_view key = FeatureKey(ep.id);
    EXPECT_TRUE(key.starts_with("wncms_api_"));
    EXPECT_TRUE(keys.insert(key).second);
  }
  EXPECT_EQ(Spec().endpoints.size(), 13u);
  // The three names the seed gives.
  EXPECT_EQ(FeatureKey(kPostsIndex), "wncms_api_posts_index");
  EXPECT_EQ(FeatureKey(kPostsStore), "wncms_api_posts_store");
  EXPECT_EQ(FeatureKey(kTagsStore), "wncms_api_tag_store");
  EXPECT_EQ(PostsIndexAlias().path, "/api/v1/posts");
  EXPECT_EQ(PostsIndexAlias().id, kPostsIndex);
  EXPECT_EQ(Spec().auth, core::AuthScheme::kBodyToken);
}

}  // namespace
}  // namespace restbox::wncms
